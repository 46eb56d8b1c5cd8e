"""Themes: who keeps the list, what bad input gets, and themes set at triage and on actions."""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from insights import triage
from insights.models import Action, ActionEvent, Theme
from journal.models import Observation
from tests import factories
from tests.insights.helpers import in_days

pytestmark = pytest.mark.django_db
LIST = reverse("insights:theme-list")
NEW = reverse("insights:theme-create")
BULK = reverse("insights:triage-bulk")
GOOD = {"name": "Signage", "description": "Signs that point the wrong way.", "is_active": "on"}


@pytest.fixture
def store_lead(store_a):
    """A CX lead of a store: themes are everyone's, so not theirs to change."""
    return factories.CxLeadFactory(username="store_lead", teams=[store_a])


@pytest.fixture
def people(cast, staff, store_lead):
    return {**cast, "staff": staff, "store_lead": store_lead}


@pytest.fixture
def signage():
    return factories.ThemeFactory(name="Signage")


@pytest.fixture
def waiting():
    return factories.ThemeFactory(name="Waiting time")


def edit_url(theme):
    return reverse("insights:theme-edit", args=[theme.pk])


# --- who reads and keeps the list ------------------------------------------------------

READERS = {"cx_lead": 200, "store_lead": 200, "staff": 200, "anonymous": 302}
KEEPERS = {"cx_lead": 200, "staff": 200, "anonymous": 302}
ROLES = ["manager", "other_manager", "cx_lead", "store_lead", "executive", "owner", "staff"]


@pytest.mark.parametrize("who", [*ROLES, "anonymous"])
def test_who_reads_the_themes(client_as, people, who):
    assert client_as(people[who]).get(LIST).status_code == READERS.get(who, 403)


@pytest.mark.parametrize("who", [*ROLES, "anonymous"])
def test_who_opens_a_theme_to_change_it(client_as, people, signage, who):
    client = client_as(people[who])

    assert client.get(NEW).status_code == KEEPERS.get(who, 403)
    assert client.get(edit_url(signage)).status_code == KEEPERS.get(who, 403)


@pytest.mark.parametrize("who", [*ROLES, "anonymous"])
def test_who_adds_a_theme(client_as, people, who):
    response = client_as(people[who]).post(NEW, {**GOOD, "name": "Packaging"})

    may = who in ("cx_lead", "staff")
    assert response.status_code == (302 if may or who == "anonymous" else 403)
    assert Theme.objects.filter(name="Packaging").exists() == may


def test_only_keepers_see_the_change_links(client_as, signage, cx_lead, store_lead):
    assert b"New theme" in client_as(cx_lead).get(LIST).content
    page = client_as(store_lead).get(LIST).content

    assert b"New theme" not in page
    assert edit_url(signage).encode() not in page


def test_a_missing_theme_is_404(client_as, cx_lead):
    assert client_as(cx_lead).get(reverse("insights:theme-edit", args=[999])).status_code == 404


# --- keeping the list ----------------------------------------------------------------


def test_adding_a_theme_stores_it_tidied(client_as, cx_lead):
    response = client_as(cx_lead).post(NEW, {**GOOD, "name": "  Staff   knowledge "})

    assert response.url == LIST
    assert Theme.objects.get().name == "Staff knowledge"


def test_retiring_a_theme_keeps_it_on_what_carries_it(client_as, cx_lead, signage, observation):
    observation.themes.add(signage)

    client_as(cx_lead).post(edit_url(signage), {"name": "Signage", "description": "Old."})

    signage.refresh_from_db()
    assert not signage.is_active
    assert list(observation.themes.all()) == [signage]
    assert b"Retired" in client_as(cx_lead).get(LIST).content


def test_a_theme_in_use_cannot_be_deleted(signage, observation):
    observation.themes.add(signage)

    with pytest.raises(ProtectedError):
        signage.delete()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "description": "Something."}, "name", "Give the theme a name."),
        ({"name": "   ", "description": "Something."}, "name", "Give the theme a name."),
        ({"name": "signage", "description": "Again."}, "name", "already a theme of that name"),
        ({"name": "Queues", "description": "  "}, "description", "Say what belongs"),
        ({"name": "x" * 61, "description": "Long."}, "name", "at most 60 characters"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(client_as, cx_lead, signage, data, field, message):
    response = client_as(cx_lead).post(NEW, data)

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert b"error-summary" in response.content
    assert Theme.objects.count() == 1


@pytest.mark.parametrize("size", [1, 15])
def test_the_themes_page_queries_are_constant(
    client_as, cx_lead, session_a, size, django_assert_num_queries
):
    for _ in range(size):
        theme = factories.ThemeFactory()
        factories.ObservationFactory(session=session_a).themes.add(theme)
    client = client_as(cx_lead)
    # user, groups, teams (whether top-level, for the change links), the themes with counts
    with django_assert_num_queries(4):
        response = client.get(LIST)
    assert response.status_code == 200


# --- at triage -----------------------------------------------------------------------


def new_action_post(owner, team, **extra):
    return {
        "title": "Re-hang the signs",
        "description": "",
        "owner": owner.pk,
        "team": team.pk,
        "due_on": in_days(7).isoformat(),
        "priority": Action.Priority.NORMAL,
        "themes-shown": "1",
        **extra,
    }


def test_themes_most_used_at_the_touchpoint_are_suggested_and_ticked(
    client_as, cx_lead, session_a, signage, waiting
):
    for _ in range(2):
        factories.ObservationFactory(session=session_a, touchpoint="store").themes.add(signage)
    factories.ObservationFactory(session=session_a, touchpoint="phone").themes.add(waiting)
    fresh = factories.ObservationFactory(session=session_a, touchpoint="store")

    response = client_as(cx_lead).get(reverse("insights:triage-observation", args=[fresh.pk]))

    suggested = [item["theme"] for item in response.context["suggested_themes"]]
    assert suggested == [signage]
    assert response.context["themes_form"].initial["themes"] == [signage.pk]
    assert "used 2 times at Store" in response.content.decode()


def test_themes_of_a_similar_observation_are_suggested_first(
    client_as, cx_lead, session_a, signage, waiting
):
    for _ in range(3):
        factories.ObservationFactory(
            session=session_a, touchpoint="store", what_happened="Dusty shelves by the door."
        ).themes.add(waiting)
    alike = factories.ObservationFactory(
        session=session_a, touchpoint="store", what_happened="The fitting rooms sign is wrong."
    )
    alike.themes.add(signage)
    fresh = factories.ObservationFactory(
        session=session_a, touchpoint="store", what_happened="A fitting rooms sign points away."
    )

    response = client_as(cx_lead).get(reverse("insights:triage-observation", args=[fresh.pk]))

    suggested = [item["theme"] for item in response.context["suggested_themes"]]
    assert suggested == [signage, waiting]


def test_a_new_action_at_triage_takes_the_observations_themes(
    client_as, cx_lead, owner, store_a, observation, signage, waiting
):
    url = reverse("insights:triage-new-action", args=[observation.pk])

    response = client_as(cx_lead).post(
        url, new_action_post(owner, store_a, themes=[signage.pk, waiting.pk])
    )

    assert response.status_code == 302
    action = Action.objects.get(title="Re-hang the signs")
    assert set(observation.themes.all()) == {signage, waiting}
    assert set(action.themes.all()) == {signage, waiting}


def test_no_action_sets_the_themes_chosen(client_as, cx_lead, observation, signage, waiting):
    observation.themes.add(waiting)
    url = reverse("insights:triage-no-action", args=[observation.pk])

    client_as(cx_lead).post(
        url, {"reason": "A one-off.", "themes-shown": "1", "themes": [signage.pk]}
    )

    assert list(observation.themes.all()) == [signage]


def test_a_one_tap_link_leaves_the_themes_as_they_are(
    client_as, cx_lead, action, session_a, signage
):
    second = factories.ObservationFactory(session=session_a)
    second.themes.add(signage)

    client_as(cx_lead).post(
        reverse("insights:triage-link", args=[second.pk]), {"action": action.pk}
    )

    assert list(second.themes.all()) == [signage]
    assert Observation.objects.get(pk=second.pk).triage_state == "actioned"


@pytest.mark.parametrize("value", ["999", "abc"])
def test_an_unknown_theme_at_triage_is_refused_and_nothing_decided(
    client_as, cx_lead, owner, store_a, observation, value
):
    url = reverse("insights:triage-new-action", args=[observation.pk])

    response = client_as(cx_lead).post(url, new_action_post(owner, store_a, themes=[value]))

    assert response.status_code == 400
    assert "Choose themes from the list" in response.content.decode()
    assert not Action.objects.exists()
    assert Observation.objects.get(pk=observation.pk).triage_state == "untriaged"


def test_a_retired_theme_is_not_offered_nor_accepted(
    client_as, cx_lead, owner, store_a, observation, signage
):
    signage.is_active = False
    signage.save()
    page = client_as(cx_lead).get(reverse("insights:triage-observation", args=[observation.pk]))
    url = reverse("insights:triage-new-action", args=[observation.pk])

    response = client_as(cx_lead).post(url, new_action_post(owner, store_a, themes=[signage.pk]))

    assert signage.pk not in [pk for pk, _ in page.context["themes_form"].fields["themes"].choices]
    assert response.status_code == 400


def test_a_retired_theme_an_observation_holds_stays_offered_and_kept(
    client_as, cx_lead, observation, signage
):
    observation.themes.add(signage)
    signage.is_active = False
    signage.save()
    page = client_as(cx_lead).get(reverse("insights:triage-observation", args=[observation.pk]))
    url = reverse("insights:triage-no-action", args=[observation.pk])

    client_as(cx_lead).post(url, {"reason": "Known.", "themes-shown": "1", "themes": [signage.pk]})

    assert "Signage (retired)" in page.content.decode()
    assert list(observation.themes.all()) == [signage]


def test_bulk_adds_the_themes_to_each_and_the_new_action_takes_them_all(
    client_as, cx_lead, owner, store_a, session_a, signage, waiting
):
    first, second = factories.ObservationFactory.create_batch(2, session=session_a)
    first.themes.add(waiting)

    response = client_as(cx_lead).post(
        BULK,
        {
            "observations": [first.pk, second.pk],
            "decision": "new",
            "bulk-new-title": "Open a second till",
            "bulk-new-description": "",
            "bulk-new-owner": owner.pk,
            "bulk-new-team": store_a.pk,
            "bulk-new-due_on": in_days(10).isoformat(),
            "bulk-new-priority": Action.Priority.HIGH,
            "bulk-themes-themes-shown": "1",
            "bulk-themes-themes": [signage.pk],
        },
    )

    assert response.status_code == 302
    assert set(first.themes.all()) == {signage, waiting}
    assert set(second.themes.all()) == {signage}
    assert set(Action.objects.get().themes.all()) == {signage, waiting}


def test_bulk_with_an_unknown_theme_decides_nothing(client_as, cx_lead, session_a):
    both = factories.ObservationFactory.create_batch(2, session=session_a)

    response = client_as(cx_lead).post(
        BULK,
        {
            "observations": [o.pk for o in both],
            "decision": "none",
            "bulk-none-reason": "Seen before.",
            "bulk-themes-themes-shown": "1",
            "bulk-themes-themes": ["999"],
        },
    )

    assert response.status_code == 400
    assert {o.triage_state for o in Observation.objects.all()} == {"untriaged"}


def test_triage_functions_leave_themes_alone_without_any_given(
    observation, cx_lead, owner, store_a, signage
):
    observation.themes.add(signage)

    action = triage.create_action(
        observation, by=cx_lead, title="Fix", owner=owner, team=store_a, due_on=in_days(3)
    )

    assert list(action.themes.all()) == [signage]


# --- on the action -------------------------------------------------------------------


def edit_post(action, **changes):
    data = {
        "title": action.title,
        "description": action.description,
        "owner": action.owner_id,
        "team": action.team_id,
        "due_on": action.due_on.isoformat(),
        "priority": action.priority,
        "you_said": "",
        "we_did": "",
        "version": action.version,
        "note": "",
    }
    return {**data, **changes}


def test_changing_an_actions_themes_is_kept_in_its_history(
    client_as, cx_lead, action, signage, waiting
):
    action.themes.add(waiting)
    version = action.version

    response = client_as(cx_lead).post(
        reverse("insights:action-edit", args=[action.pk]), edit_post(action, themes=[signage.pk])
    )

    assert response.status_code == 302
    assert list(action.themes.all()) == [signage]
    event = action.events.last()
    assert (event.kind, event.old_value, event.new_value) == (
        ActionEvent.Kind.EDITED, "Waiting time", "Signage",
    )  # fmt: skip
    assert Action.objects.get(pk=action.pk).version == version + 1


def test_saving_an_action_keeps_a_retired_theme_it_holds(client_as, cx_lead, action, signage):
    action.themes.add(signage)
    signage.is_active = False
    signage.save()
    url = reverse("insights:action-edit", args=[action.pk])
    form = client_as(cx_lead).get(url).context["form"]

    client_as(cx_lead).post(url, edit_post(action, themes=form.initial["themes"], title="New"))

    assert list(action.themes.all()) == [signage]
    assert not action.events.filter(note__startswith="Themes").exists()


def test_an_unknown_theme_on_the_action_form_changes_nothing(client_as, cx_lead, action):
    response = client_as(cx_lead).post(
        reverse("insights:action-edit", args=[action.pk]),
        edit_post(action, themes=["999"], title="Changed"),
    )

    assert response.status_code == 400
    assert Action.objects.get(pk=action.pk).title != "Changed"


def test_a_stale_action_form_changes_no_themes(client_as, cx_lead, action, signage):
    stale = edit_post(action, themes=[signage.pk])
    action.comment(by=cx_lead, text="Meanwhile.")
    action.edit(by=cx_lead, title="Changed meanwhile")

    response = client_as(cx_lead).post(reverse("insights:action-edit", args=[action.pk]), stale)

    assert response.status_code == 409
    assert not action.themes.exists()


def test_the_action_page_shows_its_themes(client_as, cx_lead, action, signage):
    action.themes.add(signage)

    response = client_as(cx_lead).get(reverse("insights:action-detail", args=[action.pk]))

    assert "Signage" in response.content.decode()


@pytest.mark.parametrize("size", [1, 12])
def test_the_action_form_queries_are_constant(
    client_as, cx_lead, action, size, django_assert_num_queries
):
    themes = [factories.ThemeFactory() for _ in range(size)]
    action.themes.add(*themes[: size // 2 + 1])
    client = client_as(cx_lead)
    # user, groups, teams, subtree; the action with owner/team/creator/verifier; the owner
    # and team choices; the action's themes and the themes offered
    with django_assert_num_queries(9):
        response = client.get(reverse("insights:action-edit", args=[action.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("who", [*ROLES, "anonymous"])
def test_who_deletes_an_unused_theme(client_as, people, signage, who):
    response = client_as(people[who]).post(reverse("insights:theme-delete", args=[signage.pk]))

    may = who in ("cx_lead", "staff")
    assert response.status_code == (302 if may or who == "anonymous" else 403)
    assert Theme.objects.exists() != may


def test_a_theme_in_use_is_not_deleted_but_retire_is_offered(
    client_as, cx_lead, signage, observation
):
    observation.themes.add(signage)

    response = client_as(cx_lead).post(reverse("insights:theme-delete", args=[signage.pk]))

    assert response.status_code == 409
    assert "retire it instead" in response.content.decode()
    assert Theme.objects.filter(pk=signage.pk).exists()


def test_only_an_unused_theme_offers_delete(client_as, cx_lead, signage, waiting, action):
    action.themes.add(waiting)
    client = client_as(cx_lead)

    assert b"Delete the theme" in client.get(edit_url(signage)).content
    assert b"Delete the theme" not in client.get(edit_url(waiting)).content


def test_deleting_needs_a_post(client_as, cx_lead, signage):
    response = client_as(cx_lead).get(reverse("insights:theme-delete", args=[signage.pk]))

    assert response.status_code == 405
