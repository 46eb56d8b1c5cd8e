"""Session pages through the client, as every member of the cast."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from immersion.models import ImmersionSession
from tests import factories

pytestmark = pytest.mark.django_db

Status = ImmersionSession.Status
REFLECTION = {
    "surprised_by": "The queue at the till.",
    "customer_feeling": "Ignored.",
    "would_change": "Open a second till at lunchtime.",
}


@pytest.fixture
def session(manager, store_a):
    return factories.SessionFactory(lead=manager, team=store_a)


def url(name, session):
    return reverse(f"immersion:{name}", args=[session.pk])


# Role by URL: what each member of the cast gets for a session in store A.
READ_MATRIX = {
    "manager": 200,
    "other_manager": 404,
    "cx_lead": 200,
    "executive": 200,
    "owner": 404,
}


@pytest.mark.parametrize(("who", "expected"), READ_MATRIX.items())
def test_session_detail_by_role(client_as, cast, session, who, expected):
    response = client_as(cast[who]).get(url("session-detail", session))

    assert response.status_code == expected


def test_anonymous_is_sent_to_login(client, session):
    response = client.get(url("session-detail", session))

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


# Changing pages: 404 outside reach, 403 in reach but not theirs to change.
CHANGE_MATRIX = {
    "session-edit": {"manager": 200, "other_manager": 404, "cx_lead": 200, "executive": 403},
    "session-cancel": {"manager": 200, "other_manager": 404, "cx_lead": 200, "executive": 403},
    "session-complete": {"manager": 200, "other_manager": 404, "cx_lead": 403, "executive": 403},
    "session-reopen": {"manager": 403, "other_manager": 404, "cx_lead": 200, "executive": 403},
}


@pytest.mark.parametrize(
    ("page", "who", "expected"),
    [(page, who, code) for page, row in CHANGE_MATRIX.items() for who, code in row.items()],
)
def test_change_pages_by_role(client_as, cast, session, page, who, expected):
    response = client_as(cast[who]).get(url(page, session))

    assert response.status_code == expected


@pytest.mark.parametrize(("who", "expected"), [("other_manager", 404), ("executive", 403)])
def test_start_refused_outside_the_session(client_as, cast, session, who, expected):
    response = client_as(cast[who]).post(url("session-start", session))

    assert response.status_code == expected
    session.refresh_from_db()
    assert session.status == Status.PLANNED


def test_team_mate_reads_but_cannot_start_another_managers_session(client_as, session, store_a):
    team_mate = factories.ManagerFactory(teams=[store_a])
    client = client_as(team_mate)

    assert client.get(url("session-detail", session)).status_code == 200
    assert client.post(url("session-start", session)).status_code == 403


@pytest.mark.parametrize(("who", "expected"), [("other_manager", 404), ("executive", 403)])
def test_cancel_post_refused(client_as, cast, session, who, expected):
    response = client_as(cast[who]).post(url("session-cancel", session), {"reason": "No."})

    assert response.status_code == expected
    session.refresh_from_db()
    assert session.status == Status.PLANNED


def test_start_is_post_only(client_as, manager, session):
    assert client_as(manager).get(url("session-start", session)).status_code == 405


def test_manager_starts_then_completes_with_a_reflection(client_as, manager, session):
    client = client_as(manager)

    response = client.post(url("session-start", session))
    assert response.status_code == 302
    response = client.post(url("session-complete", session), REFLECTION)

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == Status.COMPLETED
    assert session.would_change == REFLECTION["would_change"]


def test_detail_shows_the_prompts_in_order(client_as, manager, session):
    response = client_as(manager).get(url("session-detail", session))

    content = response.content.decode()
    first, second = session.session_type.prompts
    assert content.index(first) < content.index(second)


def test_completing_without_reflection_is_refused_on_the_fields(client_as, manager, session):
    client = client_as(manager)
    client.post(url("session-start", session))

    response = client.post(url("session-complete", session), {**REFLECTION, "surprised_by": ""})

    assert response.status_code == 400
    assert response.context["form"].errors["surprised_by"]
    session.refresh_from_db()
    assert session.status == Status.IN_PROGRESS


def test_completing_a_planned_session_shows_why(client_as, manager, session):
    response = client_as(manager).post(url("session-complete", session), REFLECTION)

    assert response.status_code == 400
    assert "Only a session under way can be completed" in response.content.decode()


def test_starting_twice_says_it_was_already_under_way(client_as, manager, session):
    client = client_as(manager)
    client.post(url("session-start", session))

    response = client.post(url("session-start", session), follow=True)

    assert response.status_code == 200
    assert "The session was already under way." in response.content.decode()


def test_cancel_needs_a_reason(client_as, cx_lead, session):
    response = client_as(cx_lead).post(url("session-cancel", session), {"reason": "   "})

    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    session.refresh_from_db()
    assert session.status == Status.PLANNED


def test_cx_lead_cancels_with_a_reason(client_as, cx_lead, session):
    response = client_as(cx_lead).post(url("session-cancel", session), {"reason": "Refit."})

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.cancel_reason) == (Status.CANCELLED, "Refit.")


def test_cx_lead_reopens_a_completed_session(client_as, manager, cx_lead, session):
    session.start(by=manager)
    session.complete(by=manager, **REFLECTION)

    response = client_as(cx_lead).post(url("session-reopen", session), {"reason": "Wrong store."})

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == Status.IN_PROGRESS


def test_reopen_needs_a_reason(client_as, manager, cx_lead, session):
    session.start(by=manager)
    session.complete(by=manager, **REFLECTION)

    response = client_as(cx_lead).post(url("session-reopen", session), {"reason": ""})

    assert response.status_code == 400
    session.refresh_from_db()
    assert session.status == Status.COMPLETED


def test_editing_a_started_session_is_refused(client_as, manager, session):
    session.start(by=manager)

    response = client_as(manager).get(url("session-edit", session))

    assert response.status_code == 302
    assert response.url == url("session-detail", session)


# Today.


def test_today_lists_the_managers_next_seven_days(client_as, manager, store_a):
    now = timezone.now()
    soon = factories.SessionFactory(
        lead=manager, team=store_a, planned_start=now + dt.timedelta(hours=1)
    )
    later = factories.SessionFactory(
        lead=manager, team=store_a, planned_start=now + dt.timedelta(days=6)
    )
    too_far = factories.SessionFactory(
        lead=manager, team=store_a, planned_start=now + dt.timedelta(days=9)
    )
    not_mine = factories.SessionFactory(team=store_a, planned_start=now + dt.timedelta(hours=2))

    response = client_as(manager).get(reverse("immersion:today"))

    shown = {response.context["at_hand"]} | {
        s for _day, sessions in response.context["days"] for s in sessions
    }
    assert {soon, later} <= shown
    assert too_far not in shown
    assert not_mine not in shown


def test_today_puts_the_session_under_way_at_hand(client_as, manager, store_a):
    now = timezone.now()
    factories.SessionFactory(lead=manager, team=store_a, planned_start=now + dt.timedelta(hours=3))
    running = factories.SessionFactory(
        lead=manager, team=store_a, planned_start=now - dt.timedelta(minutes=30)
    )
    running.start(by=manager)

    response = client_as(manager).get(reverse("immersion:today"))

    assert response.context["at_hand"] == running
    assert b"Continue the session" in response.content


@pytest.mark.parametrize("who", ["cx_lead", "executive", "owner"])
def test_today_is_for_managers(client_as, cast, who):
    assert client_as(cast[who]).get(reverse("immersion:today")).status_code == 403


# Schedule list.


def test_schedule_lists_only_visible_sessions(client_as, manager, session, other_manager, store_b):
    factories.SessionFactory(lead=other_manager, team=store_b)

    response = client_as(manager).get(reverse("immersion:schedule"))

    assert list(response.context["page"]) == [session]


def test_schedule_filters_by_status_and_team(client_as, cx_lead, session, other_manager, store_b):
    other = factories.SessionFactory(lead=other_manager, team=store_b)
    other.cancel(by=other_manager, reason="Ill.")

    response = client_as(cx_lead).get(
        reverse("immersion:schedule"), {"status": "cancelled", "team": store_b.pk}
    )

    assert list(response.context["page"]) == [other]


def test_schedule_team_filter_includes_sub_teams(client_as, cx_lead, region, session):
    response = client_as(cx_lead).get(reverse("immersion:schedule"), {"team": region.pk})

    assert list(response.context["page"]) == [session]


def test_schedule_filter_refuses_a_team_outside_scope(client_as, manager, session, store_b):
    response = client_as(manager).get(reverse("immersion:schedule"), {"team": store_b.pk})

    assert response.status_code == 200
    assert list(response.context["page"]) == []
    assert response.context["filter"].errors["team"]


def test_schedule_filters_by_period(client_as, cx_lead, manager, store_a):
    base = timezone.now() + dt.timedelta(days=10)
    inside = factories.SessionFactory(lead=manager, team=store_a, planned_start=base)
    factories.SessionFactory(lead=manager, team=store_a, planned_start=base + dt.timedelta(days=5))
    day = timezone.localdate(base).isoformat()

    response = client_as(cx_lead).get(
        reverse("immersion:schedule"), {"starts_from": day, "starts_until": day}
    )

    assert list(response.context["page"]) == [inside]


def test_schedule_rejects_a_malformed_date_without_failing(client_as, cx_lead, session):
    response = client_as(cx_lead).get(reverse("immersion:schedule"), {"starts_from": "soon"})

    assert response.status_code == 200
    assert response.context["filter"].errors["starts_from"]


def test_schedule_is_paginated(client_as, cx_lead, manager, store_a):
    start = timezone.now() + dt.timedelta(days=1)
    for n in range(30):
        factories.SessionFactory(
            lead=manager, team=store_a, planned_start=start + dt.timedelta(days=n)
        )

    response = client_as(cx_lead).get(reverse("immersion:schedule"), {"page": 2})

    assert len(response.context["page"]) == 5


def test_session_under_way_offers_the_journal_to_its_participants(client_as, manager, session):
    session.start(by=manager)

    response = client_as(manager).get(url("session-detail", session))

    assert (
        reverse("journal:capture", kwargs={"session_id": session.pk}) in response.content.decode()
    )


def test_executive_sees_the_observations_but_cannot_add(client_as, manager, executive, session):
    session.start(by=manager)
    factories.ObservationFactory(session=session, author=manager, what_happened="Locked door.")

    response = client_as(executive).get(url("session-detail", session))

    content = response.content.decode()
    assert "Locked door." in content
    assert reverse("journal:capture", kwargs={"session_id": session.pk}) not in content


def test_schedule_filters_by_manager(client_as, cx_lead, manager, session, store_a):
    team_mate = factories.ManagerFactory(teams=[store_a])
    factories.SessionFactory(lead=team_mate, team=store_a)

    response = client_as(cx_lead).get(reverse("immersion:schedule"), {"lead": manager.pk})

    assert list(response.context["page"]) == [session]


def test_schedule_filter_refuses_a_manager_outside_scope(client_as, manager, other_manager):
    response = client_as(manager).get(reverse("immersion:schedule"), {"lead": other_manager.pk})

    assert response.context["filter"].errors["lead"]


def test_schedule_starts_this_week_unless_the_period_is_cleared(
    client_as, cx_lead, manager, store_a, session
):
    old = factories.SessionFactory(
        lead=manager, team=store_a, planned_start=timezone.now() - dt.timedelta(days=30)
    )
    client = client_as(cx_lead)

    assert list(client.get(reverse("immersion:schedule")).context["page"]) == [session]
    everything = client.get(reverse("immersion:schedule"), {"starts_from": ""})
    assert list(everything.context["page"]) == [old, session]
