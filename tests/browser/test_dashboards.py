"""The dashboard and the public page in a real browser: phone and laptop, axe clean."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from immersion.models import Touchpoint
from insights.charts import contrast
from journal.models import Emotion
from tests import factories
from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, login, screenshot
from tests.dashboards.conftest import action, completed_session, finish, observation

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def recent(cast, store_a, store_b):
    """A few weeks of sessions, observations and actions ending today."""
    now = timezone.now()
    walk = factories.SessionTypeFactory(name="Floor walk")
    programme = factories.ProgrammeFactory(owner=cast["cx_lead"], target_sessions=4)
    programme.participants.set([cast["manager"], cast["other_manager"]])
    feelings = [Emotion.FRUSTRATED, Emotion.ANGRY, Emotion.HAPPY, Emotion.CONFUSED]
    places = [Touchpoint.STORE, Touchpoint.PHONE, Touchpoint.WEBSITE, Touchpoint.STAFF]
    for i in range(16):
        team, lead = (store_a, cast["manager"]) if i % 2 else (store_b, cast["other_manager"])
        when = now - dt.timedelta(days=3 + 5 * i)
        session = completed_session(team, lead, when, walk)
        obs = observation(
            session, when, emotion=feelings[i % 4], touchpoint=places[i // 4], intensity=1 + i % 5
        )
        made = action(team, cast["owner"], when + dt.timedelta(days=1), when.date(), [obs])
        if i % 3 == 0:
            finish(
                made,
                when + dt.timedelta(days=2),
                verified_at=when + dt.timedelta(days=4),
                verifier=cast["cx_lead"],
                is_published=True,
                you_said=f"Waiting at the counter took too long ({i}).",
                we_did="We opened a second counter at busy times.",
            )


@pytest.mark.parametrize(("size", "label"), [(PHONE, "phone"), (DESKTOP, "laptop")])
def test_dashboard_reads_on_phone_and_laptop(new_page, cast, recent, size, label):
    page = new_page(**size)
    login(page, cast["executive"])
    page.goto("/insights/dashboard/")
    assert page.get_by_role("heading", level=1).is_visible()
    name = "Observations by feeling and touchpoint, good and bad"
    assert page.get_by_role("img", name=name).count() == 1
    page.get_by_text("Data table").first.click()
    screenshot(page, f"dashboards-dashboard-{label}")
    assert_accessible(page)


LAPTOP = {"width": 1366, "height": 768}
SIZES = [(PHONE, "phone"), (LAPTOP, "laptop")]

# Each chart text's rendered size in px: its font size times the SVG's scale on screen.
CHART_TEXT_SIZES = """() => [...document.querySelectorAll('svg.chart-svg')].flatMap(svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].map(t => ({
    text: t.textContent, px: parseFloat(t.getAttribute('font-size')) * scale,
    rotated: !!t.getAttribute('transform'),
  }));
})"""

# Links and controls of the page's main content smaller than 24 x 24 px.
SMALL_TARGETS = """() => [...document.querySelectorAll(
  'main a, main button, main summary, main select, main input:not([type=hidden])'
)].filter(el => el.offsetParent !== null).map(el => {
  const r = el.getBoundingClientRect();
  return {text: (el.textContent || el.name || '').trim().slice(0, 40), w: r.width, h: r.height};
}).filter(t => t.w < 24 || t.h < 24)"""

# Tables wider than their box whose first column does not stay put.
TABLES_CUT_OFF = """() => [...document.querySelectorAll('main .table-responsive')].filter(box => {
  const first = box.querySelector('th');
  return box.scrollWidth > box.clientWidth + 1 && getComputedStyle(first).position !== 'sticky';
}).map(box => box.querySelector('caption')?.textContent)"""

STATUS_FILLS = """() => [...document.querySelectorAll('svg.chart-svg')]
  .filter(svg => svg.querySelector('title').textContent.startsWith('Actions by status'))
  .flatMap(svg => [...svg.querySelectorAll('rect[stroke-width]')].map(r => ({
    y: r.getAttribute('y'), fill: r.getAttribute('fill')})))"""


def open_dashboard(new_page, cast, size):
    page = new_page(**size)
    login(page, cast["executive"])
    page.goto("/insights/dashboard/")
    for summary in page.locator("details.chart-data > summary").all():
        summary.click()
    return page


@pytest.mark.parametrize(("size", "label"), SIZES)
def test_chart_text_is_at_least_12_px_and_never_rotated(new_page, cast, recent, size, label):
    page = open_dashboard(new_page, cast, size)
    texts = page.evaluate(CHART_TEXT_SIZES)
    assert texts
    assert [t for t in texts if t["px"] < 12] == []
    assert [t for t in texts if t["rotated"]] == []


@pytest.mark.parametrize(("size", "label"), SIZES)
def test_every_link_and_control_is_at_least_24_px(new_page, cast, recent, size, label):
    page = open_dashboard(new_page, cast, size)
    assert page.evaluate(SMALL_TARGETS) == []


@pytest.mark.parametrize(("size", "label"), SIZES)
def test_tables_fit_or_keep_their_first_column(new_page, cast, recent, size, label):
    page = open_dashboard(new_page, cast, size)
    assert page.evaluate(TABLES_CUT_OFF) == []
    screenshot(page, f"dashboards-dashboard-tables-{label}")
    assert_accessible(page)


def test_adjacent_status_segments_contrast_three_to_one(new_page, cast, recent):
    page = open_dashboard(new_page, cast, PHONE)
    fills = page.evaluate(STATUS_FILLS)
    rows = {}
    for rect in fills:
        rows.setdefault(rect["y"], []).append(rect["fill"])
    assert any(len(row) > 1 for row in rows.values())
    for row in rows.values():
        for one, other in itertools.pairwise(row):
            assert contrast(one, other) >= 3, (one, other)


def test_dashboard_filter_errors_are_shown_on_the_field(page, cast):
    login(page, cast["executive"])
    page.goto("/insights/dashboard/?period=custom&start=2026-02-30&end=2026-03-01")
    assert page.locator(".invalid-feedback").get_by_text("Enter a valid date.").is_visible()
    screenshot(page, "dashboards-dashboard-error-phone")
    assert_accessible(page)


@pytest.mark.parametrize(("size", "label"), [(PHONE, "phone"), (DESKTOP, "laptop")])
def test_public_page_without_signing_in(new_page, cast, recent, size, label):
    page = new_page(**size)
    page.goto("/insights/you-said-we-did/")
    assert page.get_by_role("heading", name="You said, we did").is_visible()
    assert page.get_by_text("We opened a second counter at busy times.").first.is_visible()
    screenshot(page, f"dashboards-public-{label}")
    assert_accessible(page)
