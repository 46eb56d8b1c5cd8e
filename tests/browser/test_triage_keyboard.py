"""Triage at keyboard speed, pressed in Chromium at laptop size: no mouse from queue to empty."""

import datetime as dt

import pytest
from django.utils import timezone

from insights.models import Action, TeamTriageSettings
from journal.models import Observation
from tests import factories
from tests.browser.conftest import assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)
State = Observation.TriageState


@pytest.fixture
def waiting(manager, store_a, owner, cx_lead):
    """Ten observations waiting, oldest first, an open action to link to, a default owner."""
    session = factories.SessionFactory(team=store_a, lead=manager)
    observations = []
    for number in range(10):
        observation = factories.ObservationFactory(
            session=session, what_happened=f"Observation number {number}: the queue was long."
        )
        Observation.objects.filter(pk=observation.pk).update(
            created_at=timezone.now() - dt.timedelta(days=20 - number)
        )
        observations.append(observation)
    factories.ActionFactory(title="Open a second till", owner=owner, team=store_a)
    TeamTriageSettings.objects.create(team=store_a, default_owner=owner)
    return observations


def active_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def decided(page, press) -> None:
    """Press the keys of a decision and wait for the next observation (or the queue) to open."""
    before = page.url
    press()
    page.wait_for_url(lambda url: url != before)
    page.wait_for_load_state()


def new_action(page) -> None:
    page.keyboard.press("n")
    assert active_id(page) == "id_title"
    for _ in range(10):
        if active_id(page) == "id_due_on":
            break
        page.keyboard.press("Tab")
    # A date field takes its parts as typed digits in the browser's own order (day or month
    # first); a date whose day and month are the same reads alike in both.
    due = dt.date(timezone.localdate().year + 1, 11, 11)
    page.keyboard.type(f"{due:%d%m%Y}")
    page.keyboard.press("Enter")


def link(page) -> None:
    page.keyboard.press("l")
    assert active_id(page) == "id_action"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")


def duplicate(page) -> None:
    page.keyboard.press("d")
    assert active_id(page) == "id_original"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")


def no_action(page) -> None:
    page.keyboard.press("x")
    assert active_id(page) == "id_reason"
    page.keyboard.type("A one-off: the till had just broken down.")
    page.keyboard.press("Control+Enter")


def test_ten_observations_triaged_with_the_keyboard_only(desktop_page, cx_lead, owner, waiting):
    page = desktop_page
    login(page, cx_lead)
    page.goto("/insights/triage/")
    assert_accessible(page)
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/insights/triage/{waiting[0].pk}/")

    # ? opens the help and Esc closes it; j and k move through the queue.
    page.keyboard.press("?")
    assert page.locator("#triage-help").is_visible()
    assert_accessible(page)
    page.keyboard.press("Escape")
    assert not page.locator("#triage-help").is_visible()
    page.keyboard.press("j")
    page.wait_for_url(f"**/insights/triage/{waiting[1].pk}/")
    page.keyboard.press("k")
    page.wait_for_url(f"**/insights/triage/{waiting[0].pk}/")
    page.wait_for_load_state()

    decisions = [new_action, link, duplicate, no_action, new_action, link, no_action,
                 duplicate, link, no_action]  # fmt: skip
    for number, decide in enumerate(decisions):
        assert page.url.endswith(f"/insights/triage/{waiting[number].pk}/")
        if number == 0:
            page.keyboard.press("n")
            screenshot(page, "insights-triage-keyboard-laptop")
            assert_accessible(page)
        decided(page, lambda decide=decide: decide(page))

    assert page.url.endswith("/insights/triage/")
    assert page.get_by_text("Nothing waiting").is_visible()
    states = [Observation.objects.get(pk=o.pk).triage_state for o in waiting]
    assert states.count(State.UNTRIAGED) == 0
    assert states.count(State.ACTIONED) == 5
    assert states.count(State.DUPLICATE) == 2
    assert states.count(State.NO_ACTION) == 3
    created = Action.objects.exclude(title="Open a second till")
    assert [a.owner for a in created] == [owner, owner]


def test_single_keys_are_typed_into_a_field_not_taken_as_shortcuts(desktop_page, cx_lead, waiting):
    page = desktop_page
    login(page, cx_lead)
    page.goto(f"/insights/triage/{waiting[0].pk}/")
    page.keyboard.press("x")

    page.keyboard.type("no lead, just jk?")

    assert page.get_by_label("Why no action").input_value() == "no lead, just jk?"
    assert page.url.endswith(f"/insights/triage/{waiting[0].pk}/")
    assert not page.locator("#triage-help").is_visible()


def test_the_owner_search_narrows_the_list(desktop_page, cx_lead, manager, owner, waiting):
    manager.first_name, manager.last_name = "Zora", "Zebedee"
    manager.save()
    page = desktop_page
    login(page, cx_lead)
    page.goto(f"/insights/triage/{waiting[0].pk}/")

    page.get_by_role("searchbox", name="Search the people listed").fill("zebe")

    shown = page.locator("#id_owner optgroup:not([hidden]) option:not([hidden])")
    # The default owner stays offered, being the one chosen.
    assert sorted(shown.all_inner_texts()) == sorted(["Zora Zebedee", str(owner)])


def test_bulk_no_action_from_the_queue_on_a_phone(page, cx_lead, waiting):
    login(page, cx_lead)
    page.goto("/insights/triage/")
    for observation in waiting[:3]:
        page.get_by_label(f"Select #{observation.pk}", exact=True).check()
    page.get_by_text("Decide for the selected observations").click()
    page.get_by_label("Why no action").fill("Seasonal rush; the extra till is already planned.")
    screenshot(page, "insights-triage-bulk-phone")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_role("button", name="Record no action for them").click()

    page.get_by_text("Recorded no action, with why: 3 observations.").wait_for()
    states = [Observation.objects.get(pk=o.pk).triage_state for o in waiting]
    assert states == [State.NO_ACTION] * 3 + [State.UNTRIAGED] * 7


def test_a_cx_lead_sets_a_teams_default_owner(desktop_page, cx_lead, manager, store_a):
    page = desktop_page
    login(page, cx_lead)
    page.goto("/insights/triage/")
    page.get_by_role("link", name="Default action owners of your teams").click()
    assert_accessible(page)
    page.get_by_role("link", name="Change the default owner of Store A").click()
    assert_accessible(page)

    page.get_by_label("Default action owner").select_option(str(manager.pk))
    page.get_by_role("button", name="Save").click()

    page.get_by_text(f"New actions for Store A now go to {manager}.").wait_for()
    assert TeamTriageSettings.objects.get(team=store_a).default_owner == manager
