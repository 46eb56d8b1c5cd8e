"""A programme is changed only by a CX lead who reaches all of it, and read within one's reach.

The cast's CX lead looks after the whole region; `store_lead` below looks after store A only.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from immersion.models import Programme
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def store_lead(store_a):
    return factories.CxLeadFactory(username="store_lead", teams=[store_a])


@pytest.fixture
def region_programme(cx_lead, store_a, store_b):
    programme = factories.ProgrammeFactory(owner=cx_lead, name="Region walks")
    programme.participant_teams.add(store_a, store_b)
    return programme


def edit_data(programme, **overrides):
    data = {
        "name": "Renamed",
        "starts_on": programme.starts_on.isoformat(),
        "ends_on": programme.ends_on.isoformat(),
        "target_sessions": 5,
        "participant_teams": [team.pk for team in programme.participant_teams.all()],
        "participants": [person.pk for person in programme.participants.all()],
    }
    data.update(overrides)
    return data


def test_a_store_lead_cannot_change_a_programme_reaching_other_stores(
    client_as, store_lead, store_a, store_b, region_programme
):
    url = reverse("immersion:programme-edit", args=[region_programme.pk])
    client = client_as(store_lead)

    assert client.get(url).status_code == 403
    response = client.post(url, edit_data(region_programme, participant_teams=[store_a.pk]))

    assert response.status_code == 403
    region_programme.refresh_from_db()
    assert region_programme.name == "Region walks"
    assert set(region_programme.participant_teams.all()) == {store_a, store_b}


def test_a_named_participant_outside_scope_also_keeps_the_programme_from_a_store_lead(
    client_as, store_lead, store_a, cx_lead, other_manager
):
    programme = factories.ProgrammeFactory(owner=store_lead, name="Store walks")
    programme.participant_teams.add(store_a)
    programme.participants.add(other_manager)

    url = reverse("immersion:programme-edit", args=[programme.pk])
    response = client_as(store_lead).post(url, edit_data(programme, participants=[]))

    assert response.status_code == 403
    assert list(programme.participants.all()) == [other_manager]


def test_the_lead_who_reaches_every_team_changes_it(client_as, cx_lead, region_programme):
    url = reverse("immersion:programme-edit", args=[region_programme.pk])

    response = client_as(cx_lead).post(url, edit_data(region_programme))

    assert response.status_code == 302
    region_programme.refresh_from_db()
    assert region_programme.name == "Renamed"
    assert region_programme.participant_teams.count() == 2


def test_a_store_lead_changes_a_programme_of_their_own_store(client_as, store_lead, store_a):
    programme = factories.ProgrammeFactory(owner=store_lead)
    programme.participant_teams.add(store_a)

    url = reverse("immersion:programme-edit", args=[programme.pk])
    response = client_as(store_lead).post(url, edit_data(programme))

    assert response.status_code == 302
    assert Programme.objects.get(pk=programme.pk).name == "Renamed"


def test_the_change_link_is_offered_only_to_who_may_change(
    client_as, store_lead, cx_lead, region_programme
):
    url = reverse("immersion:programme-detail", args=[region_programme.pk])
    edit_url = reverse("immersion:programme-edit", args=[region_programme.pk])

    assert edit_url not in client_as(store_lead).get(url).content.decode()
    assert edit_url in client_as(cx_lead).get(url).content.decode()


def test_a_retired_target_type_is_kept_when_the_programme_is_saved(
    client_as, cx_lead, region_programme
):
    retired = factories.SessionTypeFactory(name="Old walk", is_active=False)
    region_programme.target_types.add(retired)
    url = reverse("immersion:programme-edit", args=[region_programme.pk])

    response = client_as(cx_lead).post(url, edit_data(region_programme, target_types=[retired.pk]))

    assert response.status_code == 302
    assert list(region_programme.target_types.all()) == [retired]


def test_the_page_shows_only_participants_within_the_viewers_reach(
    client_as, store_lead, region_programme, manager, other_manager
):
    url = reverse("immersion:programme-detail", args=[region_programme.pk])

    response = client_as(store_lead).get(url)

    assert [row.user for row in response.context["people"]] == [manager]
    assert [row.team.name for row in response.context["teams"]] == ["Store A"]
    assert str(other_manager) not in response.content.decode()


def test_a_participant_shows_only_their_teams_within_reach(
    client_as, store_lead, store_a, region_programme, manager, store_b
):
    manager.teams.add(store_b)
    url = reverse("immersion:programme-detail", args=[region_programme.pk])

    response = client_as(store_lead).get(url)

    (row,) = response.context["people"]
    assert list(row.user.teams.all()) == [store_a]
    assert [team.team for team in response.context["teams"]] == [store_a]


@pytest.mark.parametrize("people", [1, 6])
def test_the_scoped_page_keeps_its_query_count(
    client_as, store_lead, store_a, store_b, people, django_assert_num_queries
):
    programme = factories.ProgrammeFactory(owner=store_lead)
    programme.participant_teams.add(store_a, store_b)
    for n in range(people):
        for store in (store_a, store_b):
            lead = factories.ManagerFactory(teams=[store])
            factories.SessionFactory(
                lead=lead, team=store, planned_start=timezone.now() - dt.timedelta(days=n + 1)
            )
    client = client_as(store_lead)

    # 1 user, 2 role groups, 3 the user's teams, 4 their scope, 5 the programme (if visible)
    # with whether it reaches beyond the scope, 6 its target types, then participation's five:
    # 7 its participant teams, 8 the participants in reach, 9 their teams in reach,
    # 10 counts per lead, 11 counts per companion.
    with django_assert_num_queries(11):
        response = client.get(reverse("immersion:programme-detail", args=[programme.pk]))

    assert len(response.context["people"]) == people
    assert response.context["can_change"] is False


def test_a_named_participant_who_is_no_longer_a_manager_is_kept(
    client_as, cx_lead, store_a, region_programme
):
    former_manager = factories.UserFactory(teams=[store_a])
    region_programme.participants.add(former_manager)
    url = reverse("immersion:programme-edit", args=[region_programme.pk])

    response = client_as(cx_lead).post(url, edit_data(region_programme))

    assert response.status_code == 302
    assert list(region_programme.participants.all()) == [former_manager]
