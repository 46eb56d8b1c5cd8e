"""The journey view in a real browser: legible on a phone and a laptop, axe clean."""

import datetime as dt

import pytest
from django.utils import timezone

from immersion.models import Touchpoint
from journal.models import Emotion, JourneyStage
from tests import factories
from tests.browser.conftest import PHONE, assert_accessible, login, screenshot
from tests.dashboards.conftest import action, completed_session, finish, observation

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"width": 1366, "height": 768}

# The smallest text rendered in the page's main part, and anything drawn rotated.
SMALLEST_TEXT = """() => {
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  let smallest = 100;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!node.textContent.trim() || !el.getClientRects().length) continue;
    if (el.closest(".visually-hidden, details:not([open]) > :not(summary)")) continue;
    smallest = Math.min(smallest, parseFloat(getComputedStyle(el).fontSize));
  }
  return smallest;
}"""
ROTATED = """() => [...document.querySelectorAll("main *")].filter(el => {
  const t = getComputedStyle(el).transform;
  return t && t !== "none" && !/^matrix\\(1, 0, 0, 1,/.test(t);
}).length"""
SMALLEST_TARGET = """() => Math.min(...[...document.querySelectorAll("main .journey a")].map(a => {
  const box = a.getBoundingClientRect();
  return Math.min(box.width, box.height);
}))"""


@pytest.fixture
def observed(cast, store_a, store_b):
    """Observations along several stages, and a fix verified at one touchpoint."""
    now = timezone.now()
    walk = factories.SessionTypeFactory(name="Floor walk")
    persona = factories.PersonaFactory(name="Wheelchair user")
    stages = [JourneyStage.DISCOVER, JourneyStage.CHOOSE, JourneyStage.BUY, JourneyStage.GET_HELP]
    feelings = [Emotion.FRUSTRATED, Emotion.HAPPY, Emotion.CONFUSED, Emotion.DELIGHTED]
    for i in range(16):
        when = now - dt.timedelta(days=2 + 3 * i)
        session = completed_session(store_a, cast["manager"], when, walk, persona=persona)
        obs = observation(
            session,
            when,
            journey_stage=stages[i % 4],
            touchpoint=[Touchpoint.STORE, Touchpoint.STAFF][i % 2],
            emotion=feelings[i % 4],
            intensity=1 + i % 5,
        )
        if i == 12:
            made = action(store_a, cast["owner"], when, when.date(), [obs])
            finish(made, now - dt.timedelta(days=20), now - dt.timedelta(days=19), cast["cx_lead"])


@pytest.mark.parametrize(("size", "label"), [(PHONE, "phone"), (LAPTOP, "laptop")])
def test_journey_reads_on_phone_and_laptop(new_page, cast, observed, size, label):
    page = new_page(**size)
    login(page, cast["executive"])
    page.goto("/insights/journey/?period=13w")
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.get_by_text("Action verified").first.is_visible()
    screenshot(page, f"journey-{label}")
    assert page.evaluate(SMALLEST_TEXT) >= 12
    assert page.evaluate(ROTATED) == 0
    assert page.evaluate(SMALLEST_TARGET) >= 24
    assert_accessible(page)
