"""A re-visit answered on a phone at 360 px with no signal, then sent once the signal is back."""

import datetime as dt

import pytest
from django.utils import timezone

from insights.models import Action, ReVisit
from tests import factories
from tests.browser.conftest import assert_accessible, login, screenshot
from tests.browser.test_offline_capture import capture_url, open_ready, wait_for_state
from tests.insights.helpers import verified

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def revisit(manager, owner, cx_lead, store_a):
    source = factories.SessionFactory(
        team=store_a, lead=manager, planned_start=timezone.now() - dt.timedelta(days=9)
    )
    observation = factories.ObservationFactory(session=source, emotion="confused", intensity=4)
    action = Action.create(
        by=cx_lead,
        observations=[observation],
        title="Sign the returns desk",
        owner=owner,
        team=store_a,
        due_on=timezone.localdate(),
    )
    verified(action, owner, cx_lead)
    return ReVisit.objects.get(action=action)


@pytest.fixture
def later_session(manager, store_a, revisit):
    walk = factories.SessionFactory(
        team=store_a, lead=manager, planned_start=timezone.now() + dt.timedelta(minutes=1)
    )
    walk.start(by=manager)
    return walk


def test_a_revisit_answered_offline_reaches_the_action_once(page, manager, later_session, revisit):
    login(page, manager)
    open_ready(page, capture_url(later_session))
    page.context.set_offline(True)
    page.reload()

    page.wait_for_selector("#capture-form[data-ready]")
    page.get_by_label("Last time: the customer would feel confused at store.").check()
    assert page.get_by_label("Store", exact=True).is_checked()
    page.get_by_label("Reassured").check()
    page.get_by_label("What happened?").fill("The returns desk sign is up; no one asked.")
    screenshot(page, "revisit-prompt-phone")
    assert_accessible(page)
    page.get_by_role("button", name="Save observation").click()
    page.locator("#kept-banner").filter(has_text="Kept on this phone").wait_for()
    assert ReVisit.objects.get(pk=revisit.pk).answer_id is None
    assert page.get_by_text("Last time:").count() == 0

    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    wait_for_state(page, "All saved")

    revisit.refresh_from_db()
    assert revisit.answer.emotion == "reassured"
    assert revisit.improved is True


def test_the_revisit_pages_pass_axe_at_phone_size(page, cx_lead, revisit, later_session):
    still_negative = factories.ObservationFactory(
        session=later_session, emotion="confused", intensity=3
    )
    revisit.record_answer(still_negative)
    login(page, cx_lead)
    pages = [
        "/insights/revisits/",
        f"/insights/actions/{revisit.action_id}/",
        "/insights/dashboard/",
        "/insights/triage/",
        f"/insights/triage/{still_negative.pk}/",
    ]
    for url in pages:
        page.goto(url)
        assert_accessible(page)
    page.goto(f"/insights/actions/{revisit.action_id}/")
    assert page.get_by_text("before: confused (4)").is_visible()
    screenshot(page, "revisit-action-phone")
