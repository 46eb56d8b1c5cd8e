"""Programmes: who takes part, participation against target, and the design pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from immersion.models import Persona, Programme, SessionType
from immersion.participation import expected_by_now, own_progress, participation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(cx_lead, region):
    today = timezone.localdate()
    programme = factories.ProgrammeFactory(
        owner=cx_lead,
        starts_on=today - dt.timedelta(days=45),
        ends_on=today + dt.timedelta(days=45),
        target_sessions=2,
    )
    programme.participant_teams.add(region)
    return programme


def session_at(lead, team, days_ago, **kwargs):
    start = timezone.now() - dt.timedelta(days=days_ago)
    return factories.SessionFactory(lead=lead, team=team, planned_start=start, **kwargs)


def complete(session):
    session.start(by=session.lead)
    session.complete(by=session.lead, surprised_by="a", customer_feeling="b", would_change="c")


def rows_by_user(programme):
    people, teams = participation(
        programme, list(programme.target_types.values_list("pk", flat=True))
    )
    return {row.user: row for row in people}, {row.team: row for row in teams}


def test_team_participants_are_the_managers_of_the_team_and_its_sub_teams(
    programme, manager, other_manager, cx_lead, executive, owner
):
    people, _teams = rows_by_user(programme)

    assert set(people) == {manager, other_manager}


def test_direct_participants_join_the_team_ones(programme, cx_lead):
    outsider = factories.ManagerFactory(teams=[factories.RegionFactory()])
    programme.participants.add(outsider)

    people, _teams = rows_by_user(programme)

    assert outsider in people


def test_counts_completed_planned_missed_cancelled(programme, manager, store_a):
    complete(session_at(manager, store_a, 30))
    session_at(manager, store_a, 20).mark_missed()
    session_at(manager, store_a, 10).cancel(by=manager, reason="Ill.")
    factories.SessionFactory(
        lead=manager, team=store_a, planned_start=timezone.now() + dt.timedelta(days=3)
    )

    tally = rows_by_user(programme)[0][manager].tally

    assert (tally.completed, tally.planned, tally.missed, tally.cancelled) == (1, 1, 1, 1)


def test_companion_sessions_count_too(programme, manager, other_manager, store_a):
    session = session_at(manager, store_a, 5)
    session.companions.add(other_manager)
    session.start(by=manager)
    session.complete(by=manager, surprised_by="a", customer_feeling="b", would_change="c")

    people, _ = rows_by_user(programme)

    assert people[other_manager].tally.completed == 1


def test_sessions_outside_the_period_or_types_do_not_count(programme, manager, store_a):
    counted_type = factories.SessionTypeFactory(name="Wheelchair day")
    programme.target_types.add(counted_type)
    complete(session_at(manager, store_a, 60))
    complete(session_at(manager, store_a, 5))
    complete(session_at(manager, store_a, 4, session_type=counted_type))

    assert rows_by_user(programme)[0][manager].tally.completed == 1


def test_on_track_behind_and_met(programme, manager, other_manager, store_a, store_b):
    # Half way through, a target of 2 expects 1 completed by now.
    complete(session_at(manager, store_a, 10))
    factories.SessionFactory(
        lead=manager, team=store_a, planned_start=timezone.now() + dt.timedelta(days=5)
    )
    people, teams = rows_by_user(programme)

    assert people[manager].state == "on_track"
    assert people[other_manager].state == "behind"
    assert (teams[store_a].behind, teams[store_b].behind) == (0, 1)

    complete(session_at(manager, store_a, 3))
    assert rows_by_user(programme)[0][manager].state == "met"


def test_expected_by_now_is_pro_rata(programme):
    start = programme.starts_on
    programme.target_sessions = 4

    assert expected_by_now(programme, 4, start - dt.timedelta(days=1)) == 0
    assert expected_by_now(programme, 4, programme.ends_on) == 4
    halfway = start + (programme.ends_on - start) / 2
    assert expected_by_now(programme, 4, halfway) == 1


READ = {
    "manager": 403,
    "other_manager": 403,
    "cx_lead": 200,
    "executive": 200,
    "owner": 403,
}


@pytest.mark.parametrize(("who", "expected"), READ.items())
def test_programme_page_by_role(client_as, cast, programme, who, expected):
    url = reverse("immersion:programme-detail", args=[programme.pk])

    assert client_as(cast[who]).get(url).status_code == expected


def test_programme_outside_reach_is_404(client_as, executive):
    elsewhere = factories.ProgrammeFactory()
    elsewhere.participant_teams.add(factories.RegionFactory())

    url = reverse("immersion:programme-detail", args=[elsewhere.pk])
    assert client_as(executive).get(url).status_code == 404


def test_executive_reads_but_cannot_edit_a_programme(client_as, executive, programme):
    url = reverse("immersion:programme-edit", args=[programme.pk])

    assert client_as(executive).get(url).status_code == 403
    assert client_as(executive).post(url, {"name": "Mine"}).status_code == 403


def test_programme_page_shows_who_is_behind(client_as, cx_lead, programme, manager, other_manager):
    response = client_as(cx_lead).get(reverse("immersion:programme-detail", args=[programme.pk]))

    assert response.context["behind"] == 2
    assert str(other_manager) in response.content.decode()


def programme_data(**overrides):
    today = timezone.localdate()
    data = {
        "name": "Spring walks",
        "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=90)).isoformat(),
        "target_sessions": 3,
    }
    data.update(overrides)
    return data


def test_cx_lead_creates_a_programme_with_teams_and_types(client_as, cx_lead, store_a):
    session_type = factories.SessionTypeFactory()

    response = client_as(cx_lead).post(
        reverse("immersion:programme-create"),
        programme_data(participant_teams=[store_a.pk], target_types=[session_type.pk]),
    )

    assert response.status_code == 302
    programme = Programme.objects.get(name="Spring walks")
    assert programme.owner == cx_lead
    assert list(programme.participant_teams.all()) == [store_a]
    assert list(programme.target_types.all()) == [session_type]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_on": "2020-01-01"}, "ends_on"),
        ({"starts_on": "not a date"}, "starts_on"),
        ({"target_sessions": 0}, "target_sessions"),
        ({"target_sessions": 1000}, "target_sessions"),
        ({"name": ""}, "name"),
        ({}, "participant_teams"),
    ],
)
def test_programme_form_refuses_bad_input(client_as, cx_lead, store_a, overrides, field):
    data = programme_data(**overrides)
    if field != "participant_teams":
        data["participant_teams"] = [store_a.pk]

    response = client_as(cx_lead).post(reverse("immersion:programme-create"), data)

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Programme.objects.exists()


def test_programme_form_refuses_a_team_outside_scope(client_as, cx_lead):
    elsewhere = factories.RegionFactory()

    response = client_as(cx_lead).post(
        reverse("immersion:programme-create"), programme_data(participant_teams=[elsewhere.pk])
    )

    assert response.status_code == 400
    assert response.context["form"].errors["participant_teams"]


# Session types and personas.


def type_data(**overrides):
    data = {
        "name": "Wheelchair day",
        "purpose": "Feel the service as a disabled customer does.",
        "prompts": "Which doors needed help?\n\n  Could you reach the counter?  \n",
        "duration_minutes": 360,
        "suggested_touchpoints": ["store", "staff"],
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_cx_lead_creates_a_session_type_with_ordered_prompts(client_as, cx_lead):
    response = client_as(cx_lead).post(reverse("immersion:session-type-create"), type_data())

    assert response.status_code == 302
    created = SessionType.objects.get(name="Wheelchair day")
    assert created.prompts == ["Which doors needed help?", "Could you reach the counter?"]
    assert created.default_duration == dt.timedelta(hours=6)
    assert created.suggested_touchpoints == ["store", "staff"]


def test_editing_a_session_type_shows_its_prompts_one_per_line(client_as, cx_lead):
    session_type = factories.SessionTypeFactory()

    response = client_as(cx_lead).get(
        reverse("immersion:session-type-edit", args=[session_type.pk])
    )

    assert "\n".join(session_type.prompts) in response.content.decode()
    assert response.context["form"].initial["duration_minutes"] == 60


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"prompts": "  \n \n"}, "prompts"),
        ({"prompts": "\n".join(f"Prompt {n}" for n in range(21))}, "prompts"),
        ({"duration_minutes": 5}, "duration_minutes"),
        ({"duration_minutes": "an hour"}, "duration_minutes"),
        ({"suggested_touchpoints": ["spaceship"]}, "suggested_touchpoints"),
        ({"name": ""}, "name"),
    ],
)
def test_session_type_form_refuses_bad_input(client_as, cx_lead, overrides, field):
    response = client_as(cx_lead).post(
        reverse("immersion:session-type-create"), type_data(**overrides)
    )

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not SessionType.objects.exists()


def test_duplicate_session_type_name_is_refused(client_as, cx_lead):
    factories.SessionTypeFactory(name="Wheelchair day")

    response = client_as(cx_lead).post(reverse("immersion:session-type-create"), type_data())

    assert response.status_code == 400
    assert response.context["form"].errors["name"]


def test_cx_lead_creates_and_edits_a_persona(client_as, cx_lead):
    client = client_as(cx_lead)
    client.post(
        reverse("immersion:persona-create"),
        {"name": "Parent with a buggy", "description": "Both hands full.", "is_active": "on"},
    )
    persona = Persona.objects.get()

    response = client.post(
        reverse("immersion:persona-edit", args=[persona.pk]),
        {"name": "Parent with a buggy", "description": "Toddler and a baby.", "is_active": ""},
    )

    assert response.status_code == 302
    persona.refresh_from_db()
    assert (persona.description, persona.is_active) == ("Toddler and a baby.", False)


def test_persona_needs_a_description(client_as, cx_lead):
    response = client_as(cx_lead).post(
        reverse("immersion:persona-create"), {"name": "Older customer", "description": ""}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["description"]


@pytest.mark.parametrize("who", ["manager", "executive", "owner"])
def test_only_cx_leads_design_the_catalogue(client_as, cast, who):
    client = client_as(cast[who])

    assert client.get(reverse("immersion:session-types")).status_code == 403
    assert client.post(reverse("immersion:session-type-create"), type_data()).status_code == 403
    assert client.post(reverse("immersion:persona-create"), {}).status_code == 403
    assert not SessionType.objects.exists()


def test_retired_types_are_not_offered_when_scheduling(client_as, manager):
    factories.SessionTypeFactory(name="Old walk", is_active=False)
    active = factories.SessionTypeFactory(name="Floor walk")

    form = client_as(manager).get(reverse("immersion:session-create")).context["form"]

    assert list(form.fields["session_type"].queryset) == [active]


def test_manager_sees_their_own_standing_on_today(client_as, programme, manager, store_a):
    complete(session_at(manager, store_a, 10))
    factories.SessionFactory(
        lead=manager, team=store_a, planned_start=timezone.now() + dt.timedelta(days=5)
    )
    finished = factories.ProgrammeFactory(
        starts_on=programme.starts_on - dt.timedelta(days=200),
        ends_on=programme.starts_on - dt.timedelta(days=100),
    )
    finished.participants.add(manager)

    response = client_as(manager).get(reverse("immersion:today"))

    [(shown, row)] = response.context["progress"]
    assert shown == programme
    assert (row.tally.completed, row.tally.planned, row.state) == (1, 1, "on_track")
    assert "1 of 2 completed" in response.content.decode()


def test_own_progress_counts_only_the_programmes_types(programme, manager, store_a):
    counted = factories.SessionTypeFactory(name="Listening post")
    programme.target_types.add(counted)
    complete(session_at(manager, store_a, 10))
    complete(session_at(manager, store_a, 8, session_type=counted))

    [(_programme, row)] = own_progress(manager)

    assert row.tally.completed == 1


@pytest.mark.parametrize(
    ("minutes", "label"), [(45, "45 min"), (120, "2 h"), (90, "1 h 30 min"), (1440, "24 h")]
)
def test_session_type_length_reads_as_people_say_it(minutes, label):
    assert SessionType(default_duration=dt.timedelta(minutes=minutes)).duration_label == label
