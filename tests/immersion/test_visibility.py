"""Who reads which sessions and programmes (the QuerySets other apps build on)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from immersion.access import session_for
from immersion.models import ImmersionSession, Programme
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions(manager, other_manager, store_a, store_b):
    return {
        "a": factories.SessionFactory(lead=manager, team=store_a),
        "b": factories.SessionFactory(lead=other_manager, team=store_b),
    }


def visible(user):
    return set(ImmersionSession.objects.visible_to(user))


def test_manager_sees_their_teams_sessions_only(manager, sessions):
    assert visible(manager) == {sessions["a"]}


def test_region_cx_lead_and_executive_see_every_store(cx_lead, executive, sessions):
    assert visible(cx_lead) == set(sessions.values())
    assert visible(executive) == set(sessions.values())


def test_companion_from_another_team_sees_the_session(other_manager, sessions):
    sessions["a"].companions.add(other_manager)

    assert visible(other_manager) == set(sessions.values())
    assert sessions["a"].is_participant(other_manager)


def test_visible_to_lists_each_session_once(manager, store_a, sessions):
    sessions["a"].companions.add(manager, factories.ManagerFactory(teams=[store_a]))

    assert list(ImmersionSession.objects.visible_to(manager)) == [sessions["a"]]


def test_user_without_role_sees_nothing_of_their_team(owner, sessions):
    assert visible(owner) == set()


def test_for_participant_is_lead_or_companion(manager, store_a, sessions):
    joined = factories.SessionFactory(team=store_a)
    joined.companions.add(manager)
    factories.SessionFactory(team=store_a)

    assert set(ImmersionSession.objects.for_participant(manager)) == {sessions["a"], joined}


def test_is_participant_is_false_for_a_team_mate(store_a, sessions):
    team_mate = factories.ManagerFactory(teams=[store_a])

    assert not sessions["a"].is_participant(team_mate)


def test_session_for_hides_other_teams_sessions(other_manager, sessions):
    with pytest.raises(Http404):
        session_for(other_manager, sessions["a"].pk)


def test_session_for_refuses_changes_by_an_executive(executive, sessions):
    assert session_for(executive, sessions["a"].pk) == sessions["a"]
    with pytest.raises(PermissionDenied):
        session_for(executive, sessions["a"].pk, to="manage")


def test_programme_visible_to_cx_lead_of_participant_team(cx_lead, store_a, region):
    elsewhere = factories.RegionFactory()
    other_lead = factories.CxLeadFactory(teams=[elsewhere])
    programme = factories.ProgrammeFactory(owner=other_lead)
    programme.participant_teams.add(store_a)
    unrelated = factories.ProgrammeFactory(owner=other_lead)

    assert set(Programme.objects.visible_to(cx_lead)) == {programme}
    assert set(Programme.objects.visible_to(other_lead)) == {programme, unrelated}


def test_manager_sees_programmes_of_their_region(manager, other_manager, region, cx_lead):
    programme = factories.ProgrammeFactory(owner=cx_lead)
    programme.participant_teams.add(region)
    direct = factories.ProgrammeFactory(owner=cx_lead)
    direct.participants.add(other_manager)

    assert set(Programme.objects.visible_to(manager)) == {programme}
    assert set(Programme.objects.visible_to(other_manager)) == {programme, direct}
