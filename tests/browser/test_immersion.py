"""The manager's day on a phone, and the CX lead's planning pages, in Chromium with axe."""

import datetime as dt

import pytest

from immersion.models import ImmersionSession
from tests import factories
from tests.browser.conftest import assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def wheelchair_day(manager, store_a):
    session_type = factories.SessionTypeFactory(
        name="Wheelchair day",
        prompts=[
            "Entrances, doors and lifts: which needed someone else's help?",
            "Can you reach the shelves, the card reader and the counter on your own?",
            "Which rule made things harder than the building did?",
        ],
    )
    start = factories.later_today()
    return factories.SessionFactory(
        session_type=session_type,
        persona=factories.PersonaFactory(
            name="Wheelchair user", description="Uses a manual wheelchair and shops alone."
        ),
        lead=manager,
        team=store_a,
        place="Side entrance",
        planned_start=start,
        planned_end=start + dt.timedelta(hours=2),
        brief="Try the side entrance first.",
    )


def test_manager_starts_a_session_reads_the_prompts_and_completes_it(
    page, manager, region, wheelchair_day
):
    programme = factories.ProgrammeFactory(name="Walk in their shoes")
    programme.participant_teams.add(region)
    login(page, manager)
    page.goto("/today/")
    assert page.get_by_role("heading", name="Next up: Wheelchair day").is_visible()
    assert page.get_by_text("0 of 3 completed, 1 planned").is_visible()
    screenshot(page, "immersion-today-phone")
    assert_accessible(page)

    page.get_by_role("button", name="Start the session").click()

    prompts = page.locator("ol.prompts li")
    assert prompts.all_inner_texts() == wheelchair_day.session_type.prompts
    assert page.get_by_text("Session started").is_visible()
    screenshot(page, "immersion-session-under-way-phone")
    assert_accessible(page)

    page.get_by_role("link", name="Complete with a reflection").click()
    page.get_by_label("What surprised you?").fill("The side door needs two hands to open.")
    page.get_by_label("How would the customer feel?").fill("Shut out before they start.")
    page.get_by_label("What would you change?").fill("An automatic door at the side entrance.")
    screenshot(page, "immersion-complete-phone")
    assert_accessible(page)
    page.get_by_role("button", name="Complete the session").click()

    assert page.get_by_text("Session completed").is_visible()
    assert page.get_by_role("heading", name="Reflection").is_visible()
    screenshot(page, "immersion-session-completed-phone")
    assert_accessible(page)
    wheelchair_day.refresh_from_db()
    assert wheelchair_day.status == ImmersionSession.Status.COMPLETED
    assert wheelchair_day.would_change == "An automatic door at the side entrance."


def test_completing_without_a_reflection_shows_the_fields_to_fill(page, manager, wheelchair_day):
    wheelchair_day.start(by=manager)
    login(page, manager)
    page.goto(f"/sessions/{wheelchair_day.pk}/complete/")

    page.get_by_role("button", name="Complete the session").click()

    assert page.locator(".invalid-feedback").count() == 3
    screenshot(page, "immersion-complete-refused-phone")
    assert_accessible(page)


def test_cx_lead_pages_are_accessible_on_a_phone(page, cx_lead, manager, region, wheelchair_day):
    programme = factories.ProgrammeFactory(owner=cx_lead, name="Autumn walks")
    programme.participant_teams.add(region)
    login(page, cx_lead)

    for path, name in [
        ("/sessions/", "immersion-schedule-phone"),
        ("/sessions/new/", "immersion-plan-phone"),
        (f"/programmes/{programme.pk}/", "immersion-programme-phone"),
        ("/programmes/new/", "immersion-programme-form-phone"),
        ("/session-types/", "immersion-session-types-phone"),
        (f"/session-types/{wheelchair_day.session_type_id}/", "immersion-session-type-form-phone"),
        (f"/sessions/{wheelchair_day.pk}/", "immersion-session-cx-lead-phone"),
    ]:
        page.goto(path)
        screenshot(page, name)
        assert_accessible(page)


def test_calendar_page_is_accessible(page, manager):
    login(page, manager)
    page.goto("/calendar/")

    screenshot(page, "immersion-calendar-phone")
    assert_accessible(page)


def test_schedule_and_programme_tables_are_accessible_on_a_laptop(
    desktop_page, cx_lead, region, wheelchair_day
):
    programme = factories.ProgrammeFactory(owner=cx_lead, name="Autumn walks")
    programme.participant_teams.add(region)
    login(desktop_page, cx_lead)

    for path, name in [
        ("/sessions/", "immersion-schedule-desktop"),
        (f"/programmes/{programme.pk}/", "immersion-programme-desktop"),
    ]:
        desktop_page.goto(path)
        assert desktop_page.locator("table").first.is_visible()
        screenshot(desktop_page, name)
        assert_accessible(desktop_page)
