"""The dashboard and the public page in a real browser: phone and laptop, axe clean."""

import datetime as dt

import pytest
from django.utils import timezone

from immersion.models import Touchpoint
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
    assert page.get_by_role("img", name="Touchpoints against customer feelings").count() == 1
    page.get_by_text("Data table").first.click()
    screenshot(page, f"dashboards-dashboard-{label}")
    assert_accessible(page)


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
