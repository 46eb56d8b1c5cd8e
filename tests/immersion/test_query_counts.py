"""Pages whose SQL query count must not grow with the data: pinned at two data sizes."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from immersion.models import ImmersionSession
from tests import factories

pytestmark = pytest.mark.django_db


def add_sessions(lead, team, count, companions=1):
    start = timezone.now() + dt.timedelta(hours=1)
    for n in range(count):
        session = factories.SessionFactory(
            lead=lead,
            team=team,
            planned_start=start + dt.timedelta(hours=3 * n),
            persona=factories.PersonaFactory(),
        )
        for _ in range(companions):
            session.companions.add(factories.ManagerFactory(teams=[team]))


@pytest.mark.parametrize(("sessions", "programmes"), [(1, 1), (12, 3)])
def test_today_queries(
    client_as, manager, cx_lead, region, store_a, sessions, programmes, django_assert_num_queries
):
    add_sessions(manager, store_a, sessions)
    for _ in range(programmes):
        programme = factories.ProgrammeFactory(owner=cx_lead)
        programme.participant_teams.add(region)
        programme.target_types.add(factories.SessionTypeFactory())
    client = client_as(manager)

    # 1 the signed-in user, 2 their role groups,
    # 3 their sessions for the coming week with type, persona and team,
    # 4 their teams' paths, 5 the programmes running today that they take part in,
    # 6 those programmes' target types, 7 their sessions across those periods.
    with django_assert_num_queries(7):
        response = client.get(reverse("immersion:today"))
    assert response.status_code == 200
    assert len(response.context["progress"]) == programmes


@pytest.mark.parametrize("sessions", [1, 30])
def test_schedule_list_queries(
    client_as, cx_lead, manager, store_a, sessions, django_assert_num_queries
):
    add_sessions(manager, store_a, sessions)
    client = client_as(cx_lead)

    # 1 user, 2 role groups, 3 the user's teams, 4 their subtree (scope),
    # 5 the count for the paginator, 6 the team filter's choices, 7 the manager filter's,
    # 8 the type filter's, 9 the persona filter's, 10 the programme filter's,
    # 11 the page of sessions with everything it shows.
    with django_assert_num_queries(11):
        response = client.get(reverse("immersion:schedule"))
    assert response.status_code == 200


@pytest.mark.parametrize(("people", "sessions_each"), [(1, 1), (8, 4)])
def test_programme_page_queries(
    client_as, cx_lead, region, people, sessions_each, django_assert_num_queries
):
    programme = factories.ProgrammeFactory(owner=cx_lead)
    programme.participant_teams.add(region)
    programme.target_types.add(factories.SessionTypeFactory())
    for _ in range(people):
        store = factories.TeamFactory(parent=region)
        add_sessions(factories.ManagerFactory(teams=[store]), store, sessions_each)
    programme.participants.add(factories.ManagerFactory(teams=[region]))
    client = client_as(cx_lead)

    # 1 user, 2 role groups, 3 the user's teams, 4 their scope, 5 the programme (if visible),
    # 6 its target types, 7 its participant teams, 8 the participants,
    # 9 their teams, 10 counts per lead, 11 counts per companion.
    with django_assert_num_queries(11):
        response = client.get(reverse("immersion:programme-detail", args=[programme.pk]))
    assert response.status_code == 200
    assert len(response.context["people"]) == people * (1 + sessions_each) + 1


@pytest.mark.parametrize(("companions", "observations"), [(1, 1), (6, 8)])
def test_session_detail_queries(
    client_as, manager, store_a, companions, observations, django_assert_num_queries
):
    add_sessions(factories.ManagerFactory(teams=[store_a]), store_a, 1, companions=companions)
    session = ImmersionSession.objects.get()
    session.companions.add(manager)
    session.start(by=manager)
    for _ in range(observations):
        factories.ObservationFactory(session=session, author=manager)
    client = client_as(manager)

    # 1 user, 2 role groups, 3 the user's teams, 4 their scope, 5 the session with its type,
    # persona, programme, team and lead, 6 its companions, 7 its history with actors,
    # 8 the observations the user may see, 9 their photos.
    with django_assert_num_queries(9):
        response = client.get(reverse("immersion:session-detail", args=[session.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("obs-card") == observations
