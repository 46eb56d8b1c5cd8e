"""Themes in Chromium: the themes page kept by a CX lead, and triage with suggested themes,
at 360 px and at laptop size, each page axe clean."""

import pytest
from django.contrib.auth.models import Group

from immersion.models import Role
from insights.models import Action, TeamTriageSettings, Theme
from tests import factories
from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)
SIZES = {"phone": PHONE, "laptop": DESKTOP}


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    # A transactional test empties every table afterwards, the role groups included.
    for role in Role:
        Group.objects.get_or_create(name=role.label)


@pytest.fixture
def to_triage(manager, store_a, owner):
    """A waiting observation at the store whose touchpoint has been filed under Signage."""
    signage = factories.ThemeFactory(name="Signage", description="Signs that mislead.")
    factories.ThemeFactory(name="Waiting time", description="Queues and slow replies.")
    TeamTriageSettings.objects.create(team=store_a, default_owner=owner)
    session = factories.SessionFactory(team=store_a, lead=manager)
    for _ in range(2):
        factories.ObservationFactory(session=session, touchpoint="store").themes.add(signage)
    return factories.ObservationFactory(
        session=session, touchpoint="store", what_happened="The sign to the lifts points at a wall."
    )


@pytest.mark.parametrize("size", list(SIZES))
def test_a_cx_lead_adds_a_theme(new_page, cx_lead, size):
    screen = new_page(**SIZES[size])
    login(screen, cx_lead)

    screen.goto("/insights/themes/")
    assert_accessible(screen)
    screen.get_by_role("link", name="New theme").click()
    screen.get_by_role("button", name="Save the theme").click()
    assert screen.get_by_text("Give the theme a name.").first.is_visible()
    assert_accessible(screen)
    screen.get_by_label("Name").fill("Packaging")
    screen.get_by_label("Description").fill("Boxes and wrapping.")
    screen.get_by_role("button", name="Save the theme").click()
    screen.wait_for_url("**/insights/themes/")

    assert screen.get_by_role("link", name="Change Packaging").is_visible()
    assert screen.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    screenshot(screen, f"themes-{size}")
    assert Theme.objects.filter(name="Packaging").exists()
    screen.get_by_role("link", name="Change Packaging").click()
    assert screen.get_by_role("button", name="Delete the theme").is_visible()
    assert_accessible(screen)


@pytest.mark.parametrize("size", list(SIZES))
def test_triage_ticks_the_suggested_theme_and_the_new_action_carries_it(
    new_page, cx_lead, owner, to_triage, size
):
    screen = new_page(**SIZES[size])
    login(screen, cx_lead)

    screen.goto(f"/insights/triage/{to_triage.pk}/")
    signage = screen.get_by_role("checkbox", name="Signage")
    assert signage.is_checked()
    assert not screen.get_by_role("checkbox", name="Waiting time").is_checked()
    assert_accessible(screen)
    screenshot(screen, f"triage-themes-{size}")
    screen.get_by_role("checkbox", name="Waiting time").check()
    screen.get_by_role("button", name="Create action").click()
    screen.wait_for_url(lambda url: f"/triage/{to_triage.pk}/" not in url)

    action = Action.objects.get(observations=to_triage)
    assert sorted(t.name for t in action.themes.all()) == ["Signage", "Waiting time"]


@pytest.mark.parametrize("size", list(SIZES))
def test_the_dashboard_shows_themes_by_feeling(new_page, cx_lead, owner, store_a, to_triage, size):
    action = factories.ActionFactory(owner=owner, team=store_a, created_by=cx_lead)
    action.themes.add(Theme.objects.get(name="Signage"))
    screen = new_page(**SIZES[size])
    login(screen, cx_lead)

    screen.goto("/insights/dashboard/")

    themes = screen.get_by_role(
        "region", name="Observations by theme and feeling, scrolls sideways"
    )
    assert themes.get_by_role("rowheader", name="Signage").is_visible()
    assert_accessible(screen)


@pytest.mark.parametrize("size", list(SIZES))
def test_the_action_list_grouped_by_theme(new_page, cx_lead, owner, store_a, size):
    signage = factories.ThemeFactory(name="Signage")
    for title in ("Move the lift sign", "Number the fitting rooms"):
        factories.ActionFactory(owner=owner, team=store_a, title=title).themes.add(signage)
    factories.ActionFactory(owner=owner, team=store_a, title="Train the new starters")
    screen = new_page(**SIZES[size])
    login(screen, cx_lead)

    screen.goto("/insights/actions/")
    screen.get_by_label("Group by").select_option("theme")
    screen.get_by_role("button", name="Filter").click()

    screen.get_by_role("heading", name="Signage (2)").wait_for()
    assert screen.get_by_role("heading", name="No theme (1)").is_visible()
    screenshot(screen, f"actions-by-theme-{size}")
    assert_accessible(screen)
