"""The session state machine: every allowed move and every refused one, with its history row."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from immersion.models import ImmersionSession, SessionEvent, SessionStateError
from tests import factories

pytestmark = pytest.mark.django_db

Status = ImmersionSession.Status
REFLECTION = {
    "surprised_by": "Nobody offered help at the step.",
    "customer_feeling": "Invisible and in the way.",
    "would_change": "A bell at the side door and a ramp sign.",
}


@pytest.fixture
def session(manager, store_a):
    return factories.SessionFactory(lead=manager, team=store_a)


def started(session, by):
    session.start(by=by)
    return session


def completed(session, by):
    session.start(by=by)
    session.complete(by=by, **REFLECTION)
    return session


def test_lead_starts_a_planned_session(session, manager):
    session.start(by=manager)

    session.refresh_from_db()
    assert session.status == Status.IN_PROGRESS
    assert session.started_at is not None
    event = session.events.get()
    assert (event.actor, event.from_status, event.to_status) == (manager, "planned", "in_progress")


def test_companion_may_start_the_session(session, store_a):
    companion = factories.ManagerFactory(teams=[store_a])
    session.companions.add(companion)

    session.start(by=companion)

    assert session.status == Status.IN_PROGRESS


def test_someone_not_taking_part_cannot_start(session, cx_lead):
    with pytest.raises(SessionStateError, match="Only the people doing"):
        session.start(by=cx_lead)

    session.refresh_from_db()
    assert session.status == Status.PLANNED
    assert not session.events.exists()


def test_completing_stores_the_reflection_and_end(session, manager):
    completed(session, manager)

    session.refresh_from_db()
    assert session.status == Status.COMPLETED
    assert session.ended_at >= session.started_at
    assert session.surprised_by == REFLECTION["surprised_by"]
    assert [e.to_status for e in session.events.all()] == ["in_progress", "completed"]


def test_completing_needs_a_start(session, manager):
    with pytest.raises(SessionStateError, match="under way"):
        session.complete(by=manager, **REFLECTION)

    session.refresh_from_db()
    assert session.status == Status.PLANNED


def test_completing_needs_the_whole_reflection(session, manager):
    started(session, manager)

    with pytest.raises(SessionStateError, match="Complete the reflection"):
        session.complete(by=manager, **{**REFLECTION, "would_change": "  "})

    session.refresh_from_db()
    assert session.status == Status.IN_PROGRESS


def test_cancelling_a_planned_session_records_the_reason(session, cx_lead):
    session.cancel(by=cx_lead, reason="Store closed for a refit.")

    session.refresh_from_db()
    assert session.status == Status.CANCELLED
    assert session.cancel_reason == "Store closed for a refit."
    assert session.events.get().note == "Store closed for a refit."


def test_lead_manager_may_cancel_their_own_session(session, manager):
    session.cancel(by=manager, reason="Clashes with a stock count.")

    assert session.status == Status.CANCELLED


def test_cancelling_needs_a_reason(session, cx_lead):
    with pytest.raises(SessionStateError, match="Say why"):
        session.cancel(by=cx_lead, reason=" ")

    session.refresh_from_db()
    assert session.status == Status.PLANNED


def test_executive_cannot_cancel(session, executive):
    with pytest.raises(SessionStateError):
        session.cancel(by=executive, reason="Not needed.")


@pytest.mark.parametrize("make", [started, completed])
def test_only_planned_sessions_can_be_cancelled(session, manager, cx_lead, make):
    make(session, manager)

    with pytest.raises(SessionStateError, match="Only a planned session can be cancelled"):
        session.cancel(by=cx_lead, reason="Too late.")


def test_cx_lead_reopens_a_completed_session_with_a_reason(session, manager, cx_lead):
    completed(session, manager)

    session.reopen(by=cx_lead, reason="Reflection was about the wrong store.")

    session.refresh_from_db()
    assert session.status == Status.IN_PROGRESS
    assert session.ended_at is None
    last = session.events.last()
    assert (last.actor, last.from_status, last.note) == (
        cx_lead,
        "completed",
        "Reflection was about the wrong store.",
    )


def test_reopening_needs_a_reason(session, manager, cx_lead):
    completed(session, manager)

    with pytest.raises(SessionStateError, match="Say why"):
        session.reopen(by=cx_lead, reason="")


@pytest.mark.parametrize("who", ["manager", "executive", "other_manager"])
def test_only_a_cx_lead_reopens(session, cast, who):
    completed(session, cast["manager"])

    with pytest.raises(SessionStateError, match="Only a CX lead"):
        session.reopen(by=cast[who], reason="Please.")


@pytest.mark.parametrize("make", [lambda s, m: s, started])
def test_only_completed_sessions_can_be_reopened(session, manager, cx_lead, make):
    make(session, manager)

    with pytest.raises(SessionStateError, match="Only a completed session can be reopened"):
        session.reopen(by=cx_lead, reason="Check.")


def test_a_reopened_session_can_be_completed_again(session, manager, cx_lead):
    completed(session, manager)
    session.reopen(by=cx_lead, reason="Add the second floor.")

    session.complete(by=manager, **REFLECTION)

    assert session.status == Status.COMPLETED


def test_a_completed_session_cannot_be_started_again(session, manager):
    completed(session, manager)

    with pytest.raises(SessionStateError, match="Only a planned session can be started"):
        session.start(by=manager)


def test_a_repeated_start_by_the_same_person_changes_nothing(session, manager):
    assert session.start(by=manager) is True
    started_at = session.started_at

    assert session.start(by=manager) is False

    session.refresh_from_db()
    assert (session.status, session.started_at) == (Status.IN_PROGRESS, started_at)
    assert session.events.filter(to_status=Status.IN_PROGRESS).count() == 1


def test_cancelled_session_cannot_start_or_complete(session, manager):
    session.cancel(by=manager, reason="Ill.")

    with pytest.raises(SessionStateError, match="this one is cancelled"):
        session.start(by=manager)
    with pytest.raises(SessionStateError, match="this one is cancelled"):
        session.complete(by=manager, **REFLECTION)


def test_missed_after_the_grace_period(session, settings):
    after = session.planned_end + settings.MISSED_SESSION_GRACE + dt.timedelta(minutes=1)
    with time_machine.travel(after):
        session.mark_missed()

    session.refresh_from_db()
    assert session.status == Status.MISSED
    event = session.events.get()
    assert event.actor is None
    assert event.from_status == "planned"


def test_not_missed_within_the_grace_period(session, settings):
    within = session.planned_end + settings.MISSED_SESSION_GRACE - dt.timedelta(minutes=1)
    with time_machine.travel(within), pytest.raises(SessionStateError, match="still be started"):
        session.mark_missed()


@pytest.mark.parametrize("make", [started, completed])
def test_started_sessions_are_never_missed(session, manager, make):
    make(session, manager)

    with (
        time_machine.travel(session.planned_end + dt.timedelta(days=2)),
        pytest.raises(SessionStateError, match="Only a planned session can be missed"),
    ):
        session.mark_missed()


def test_missed_session_cannot_be_started(session, manager):
    with time_machine.travel(session.planned_end + dt.timedelta(days=1)):
        session.mark_missed()

    with pytest.raises(SessionStateError, match="this one is missed"):
        session.start(by=manager)


def test_a_stale_copy_cannot_move_a_changed_session(session, manager):
    stale = ImmersionSession.objects.get(pk=session.pk)
    session.cancel(by=manager, reason="Ill.")

    with pytest.raises(SessionStateError, match="this one is cancelled"):
        stale.start(by=manager)
    assert SessionEvent.objects.filter(session=session).count() == 1


def test_database_refuses_a_completed_session_without_reflection(session):
    with pytest.raises(IntegrityError), transaction.atomic():
        ImmersionSession.objects.filter(pk=session.pk).update(
            status=Status.COMPLETED, started_at=timezone.now(), ended_at=timezone.now()
        )


def test_database_refuses_an_unknown_status(session):
    with pytest.raises(IntegrityError), transaction.atomic():
        ImmersionSession.objects.filter(pk=session.pk).update(status="paused")


def test_database_refuses_an_end_on_an_open_session(session):
    with pytest.raises(IntegrityError), transaction.atomic():
        ImmersionSession.objects.filter(pk=session.pk).update(
            started_at=timezone.now(), ended_at=timezone.now()
        )
