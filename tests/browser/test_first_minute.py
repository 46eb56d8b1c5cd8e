"""The first minute on a phone, for every role: where signing in lands, what home shows,
the session page under way, a form refused, and the menu, at 360 x 740 with axe."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import PHONE, assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def above_the_fold(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] + box["height"] <= PHONE["height"]


@pytest.fixture
def floor_walk(manager, store_a):
    start = factories.later_today()
    return factories.SessionFactory(
        session_type=factories.SessionTypeFactory(name="Floor walk"),
        lead=manager,
        team=store_a,
        place="Ground floor",
        planned_start=start,
        planned_end=start + dt.timedelta(hours=1),
    )


@pytest.fixture
def actions(manager, owner, store_a):
    today = timezone.localdate()
    for who in (manager, owner):
        factories.ActionFactory(
            owner=who,
            team=store_a,
            title="Unlock the fitting rooms",
            due_on=today - dt.timedelta(3),
        )
        factories.ActionFactory(
            owner=who, team=store_a, title="Lower the card reader", due_on=today + dt.timedelta(5)
        )


def test_a_managers_home_lists_sessions_to_start_and_actions_overdue_first(
    page, manager, floor_walk, actions
):
    login(page, manager)

    assert page.url.endswith("/")
    start = page.get_by_role("button", name="Start Floor walk")
    assert above_the_fold(start)
    titles = page.locator("#h-home-actions ~ ul a").all_inner_texts()
    assert titles == ["Unlock the fitting rooms", "Lower the card reader"]
    assert fits_the_width(page)
    screenshot(page, "first-minute-home-manager-phone")
    assert_accessible(page)

    start.click()

    assert page.get_by_role("link", name="Log an observation").first.is_visible()


def test_signing_in_during_a_session_lands_on_it_leading_with_capture(
    page, manager, floor_walk, actions
):
    floor_walk.start(by=manager)

    login(page, manager)

    assert page.url.endswith(f"/sessions/{floor_walk.pk}/")
    log = page.get_by_role("link", name="Log an observation").first
    assert above_the_fold(log)
    assert log.bounding_box()["width"] >= PHONE["width"] - 40
    complete = page.get_by_role("link", name="Complete with a reflection")
    assert not above_the_fold(complete)
    assert fits_the_width(page)
    screenshot(page, "first-minute-session-under-way-phone")
    assert_accessible(page)


def test_a_planned_session_page_leads_with_start(page, manager, floor_walk):
    login(page, manager)

    page.goto(f"/sessions/{floor_walk.pk}/")

    assert above_the_fold(page.get_by_role("button", name="Start the session"))
    screenshot(page, "first-minute-session-planned-phone")
    assert_accessible(page)


def test_an_action_owner_lands_on_their_actions_and_home_lists_them(page, owner, actions):
    login(page, owner)

    assert page.url.endswith("/insights/actions/mine/")
    page.goto("/")
    assert page.get_by_role("link", name="Unlock the fitting rooms").is_visible()
    assert page.get_by_text("Overdue 3 days").is_visible()
    assert fits_the_width(page)
    screenshot(page, "first-minute-home-owner-phone")
    assert_accessible(page)


def test_a_cx_lead_lands_on_triage_when_observations_wait(page, cx_lead, floor_walk, manager):
    floor_walk.start(by=manager)
    factories.ObservationFactory(session=floor_walk)

    login(page, cx_lead)

    assert page.url.endswith("/insights/triage/")
    page.goto("/")
    assert fits_the_width(page)
    screenshot(page, "first-minute-home-cx-lead-phone")
    assert_accessible(page)


def test_an_executive_lands_on_the_dashboard(page, executive):
    login(page, executive)

    assert page.url.endswith("/insights/dashboard/")
    page.goto("/")
    assert fits_the_width(page)
    screenshot(page, "first-minute-home-executive-phone")
    assert_accessible(page)


def test_a_refused_form_puts_the_focus_on_its_summary_which_leads_to_the_field(
    page, manager, floor_walk
):
    floor_walk.start(by=manager)
    login(page, manager)
    page.goto(f"/sessions/{floor_walk.pk}/complete/")

    page.get_by_role("button", name="Complete the session").click()

    summary = page.locator(".error-summary")
    # Waits for the refused page to load and its script to move the focus.
    expect(summary).to_be_focused()
    assert page.get_by_label("What surprised you?").get_attribute("aria-invalid") == "true"
    screenshot(page, "first-minute-form-errors-phone")
    assert_accessible(page)

    summary.get_by_role("link", name="What would you change?").click()

    focused = page.evaluate("document.activeElement.id")
    assert focused == "id_would_change"


@pytest.mark.parametrize("who", ["manager", "cx_lead", "executive", "owner"])
def test_each_roles_thumb_bar_fits_a_phone(page, cast, who):
    login(page, cast[who])
    bar = page.get_by_role("navigation", name="Main")

    for item in bar.locator(":scope > ul > li > a, :scope > ul > li > button").all():
        box = item.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]
        assert box["height"] >= 44
    assert fits_the_width(page)


def test_the_sign_in_page_in_debug_says_where_the_demo_logins_are(page, settings):
    settings.DEBUG = True

    page.goto("/accounts/login/")

    assert page.get_by_role("heading", name="Trying the demo?").is_visible()
    assert fits_the_width(page)
    screenshot(page, "first-minute-login-debug-phone")
    assert_accessible(page)
