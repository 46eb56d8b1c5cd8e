"""Who a new action goes to: the team's default owner, and owners offered by team."""

import re

import pytest
from django.urls import reverse

from insights.forms import default_due_on
from insights.models import TeamTriageSettings
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ("manager", "other_manager", "cx_lead", "executive", "owner")


def triage_page(client, observation, **params):
    return client.get(reverse("insights:triage-observation", args=[observation.pk]), params)


def owner_groups(response) -> dict[str, list[str]]:
    """The owner list as {group label: [names]}, read from the page's HTML."""
    select = re.search(r'<select name="owner".*?</select>', response.content.decode(), re.S)
    groups = re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select.group(0), re.S)
    return {label: re.findall(r">([^<]+)</option>", body) for label, body in groups}


def test_new_action_owner_defaults_to_the_teams_default_owner(
    client_as, cx_lead, observation, owner, store_a
):
    TeamTriageSettings.objects.create(team=store_a, default_owner=owner)

    response = triage_page(client_as(cx_lead), observation)

    assert response.context["new_form"]["owner"].value() == owner.pk


def test_a_team_without_a_default_takes_the_one_of_the_team_above(
    client_as, cx_lead, observation, executive, region
):
    TeamTriageSettings.objects.create(team=region, default_owner=cx_lead)

    response = triage_page(client_as(cx_lead), observation)

    assert response.context["new_form"]["owner"].value() == cx_lead.pk


def test_due_date_keeps_its_default_from_one_function(client_as, cx_lead, observation):
    response = triage_page(client_as(cx_lead), observation)

    assert response.context["new_form"]["due_on"].value() == default_due_on(2)


def test_owners_are_grouped_by_team_nearest_first_without_executives(
    client_as, cx_lead, observation, owner, manager, executive, other_manager
):
    groups = owner_groups(triage_page(client_as(cx_lead), observation))

    assert list(groups) == ["Store A", "North"]
    assert set(groups["Store A"]) == {str(owner), str(manager)}
    assert groups["North"] == [str(cx_lead)]
    assert str(executive) not in str(groups)
    assert str(other_manager) not in str(groups)


def test_everyone_in_reach_is_offered_on_purpose(
    client_as, cx_lead, observation, executive, other_manager
):
    groups = owner_groups(triage_page(client_as(cx_lead), observation, owners="everyone"))

    assert str(executive) in groups["North"]
    assert groups["Store B"] == [str(other_manager)]


def test_the_owner_list_has_a_search_box_but_no_inline_script(client_as, cx_lead, observation):
    content = triage_page(client_as(cx_lead), observation).content.decode()

    assert 'type="search"' in content
    assert 'data-filters-select="id_owner"' in content
    assert "<script>" not in content


def test_an_executive_chosen_on_purpose_can_own_the_action(
    client_as, cx_lead, observation, executive, store_a
):
    from tests.insights.test_views import new_action_data

    response = client_as(cx_lead).post(
        reverse("insights:triage-new-action", args=[observation.pk]) + "?owners=everyone",
        new_action_data(executive, store_a),
    )

    assert response.status_code == 302
    assert observation.actions.get().owner == executive


def test_the_triage_page_has_no_alt_access_keys(client_as, cx_lead, observation):
    content = triage_page(client_as(cx_lead), observation).content.decode()

    assert "accesskey" not in content


# --- the default owners page ------------------------------------------------------


def settings_url(team):
    return reverse("insights:triage-team-settings", args=[team.pk])


@pytest.mark.parametrize("role", ROLES)
def test_only_cx_leads_open_the_default_owner_pages(client_as, cast, store_a, role):
    client = client_as(cast[role])
    expected = 200 if role == "cx_lead" else 403

    assert client.get(reverse("insights:triage-teams")).status_code == expected
    assert client.get(settings_url(store_a)).status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_only_cx_leads_change_a_default_owner(client_as, cast, store_a, owner, role):
    response = client_as(cast[role]).post(settings_url(store_a), {"default_owner": owner.pk})

    assert response.status_code == (302 if role == "cx_lead" else 403)
    assert TeamTriageSettings.objects.filter(team=store_a).exists() == (role == "cx_lead")


def test_anonymous_is_sent_to_sign_in_from_the_default_owner_pages(client, store_a):
    for url in (reverse("insights:triage-teams"), settings_url(store_a)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response.url


def test_a_team_outside_the_scope_is_forbidden(client_as, cx_lead, owner):
    elsewhere = factories.TeamFactory(name="Elsewhere")
    client = client_as(cx_lead)

    assert client.get(settings_url(elsewhere)).status_code == 403
    assert client.post(settings_url(elsewhere), {"default_owner": owner.pk}).status_code == 403
    assert not TeamTriageSettings.objects.exists()


def test_an_unknown_team_is_not_found(client_as, cx_lead):
    response = client_as(cx_lead).get(reverse("insights:triage-team-settings", args=[99999]))

    assert response.status_code == 404


def test_the_team_list_shows_only_the_cx_leads_teams(client_as, cx_lead, store_a, store_b):
    factories.TeamFactory(name="Elsewhere")

    response = client_as(cx_lead).get(reverse("insights:triage-teams"))

    assert {str(team) for team in response.context["teams"]} == {"North", "Store A", "Store B"}


def test_setting_a_default_owner_saves_it_with_who_set_it(client_as, cx_lead, store_a, owner):
    response = client_as(cx_lead).post(settings_url(store_a), {"default_owner": owner.pk})

    assert response.status_code == 302
    saved = TeamTriageSettings.objects.get(team=store_a)
    assert (saved.default_owner, saved.updated_by) == (owner, cx_lead)


def test_clearing_the_default_owner_keeps_the_team_without_one(client_as, cx_lead, store_a, owner):
    TeamTriageSettings.objects.create(team=store_a, default_owner=owner)

    client_as(cx_lead).post(settings_url(store_a), {"default_owner": ""})

    assert TeamTriageSettings.objects.get(team=store_a).default_owner is None


@pytest.mark.parametrize("value", ["not a number", "99999"])
def test_a_bad_default_owner_is_refused_and_nothing_stored(client_as, cx_lead, store_a, value):
    response = client_as(cx_lead).post(settings_url(store_a), {"default_owner": value})

    assert response.status_code == 400
    assert "Choose someone in a team you look after" in response.content.decode()
    assert not TeamTriageSettings.objects.exists()


def test_someone_outside_the_scope_cannot_be_the_default_owner(client_as, cx_lead, store_a):
    outsider = factories.UserFactory(teams=[factories.TeamFactory(name="Elsewhere")])

    response = client_as(cx_lead).post(settings_url(store_a), {"default_owner": outsider.pk})

    assert response.status_code == 400
    assert not TeamTriageSettings.objects.exists()
