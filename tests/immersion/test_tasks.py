"""Reminder e-mails (once per session, recipient and kind) and the automatic "missed" sweep."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from immersion import tasks
from immersion.models import ImmersionSession, SessionReminder
from tests import factories

pytestmark = pytest.mark.django_db

Status = ImmersionSession.Status


@pytest.fixture(autouse=True)
def _a_tuesday_morning():
    """Subjects say "Today" or "Tomorrow", so the clock must not depend on when tests run."""
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def tomorrow_session(manager, store_a):
    start = timezone.now() + dt.timedelta(hours=20)
    return factories.SessionFactory(lead=manager, team=store_a, planned_start=start)


def test_day_before_reminder_goes_to_lead_and_companions(tomorrow_session, store_a, manager):
    companion = factories.ManagerFactory(teams=[store_a])
    tomorrow_session.companions.add(companion)

    sent = tasks.send_session_reminders()

    assert sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([manager.email, companion.email])
    assert mail.outbox[0].subject.startswith("Tomorrow: ")
    assert f"/sessions/{tomorrow_session.pk}/" in mail.outbox[0].body
    claim = SessionReminder.objects.get(recipient=manager)
    assert claim.sent_at is not None


def test_day_before_reminder_for_this_evening_says_today(manager, store_a):
    factories.SessionFactory(
        lead=manager, team=store_a, planned_start=timezone.now() + dt.timedelta(hours=9)
    )

    tasks.send_session_reminders()

    assert mail.outbox[0].subject.startswith("Today: ")
    assert "later today" in mail.outbox[0].body


def test_running_twice_sends_each_reminder_once(tomorrow_session):
    tasks.send_session_reminders()
    tasks.send_session_reminders()

    assert len(mail.outbox) == 1


def test_a_claimed_reminder_is_never_sent_again(tomorrow_session, manager):
    # A worker that died after claiming, before or after sending: the claim stands.
    SessionReminder.objects.create(
        session=tomorrow_session,
        recipient=manager,
        kind=SessionReminder.Kind.DAY_BEFORE,
        claimed_at=timezone.now(),
    )

    assert tasks.send_session_reminders() == 0
    assert mail.outbox == []


def test_soon_reminder_follows_the_day_before_one(tomorrow_session):
    tasks.send_session_reminders()

    with time_machine.travel(tomorrow_session.planned_start - dt.timedelta(minutes=45)):
        tasks.send_session_reminders()
        tasks.send_session_reminders()

    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Tomorrow", "Starting soon"]


def test_short_notice_session_gets_only_the_soon_reminder(manager, store_a):
    factories.SessionFactory(
        lead=manager, team=store_a, planned_start=timezone.now() + dt.timedelta(minutes=30)
    )

    tasks.send_session_reminders()

    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Starting soon"]


def test_no_reminders_for_cancelled_sessions_or_opted_out_people(
    tomorrow_session, manager, store_a
):
    opted_out = factories.ManagerFactory(teams=[store_a], reminder_emails=False)
    other = factories.SessionFactory(
        lead=opted_out, team=store_a, planned_start=tomorrow_session.planned_start
    )
    tomorrow_session.cancel(by=manager, reason="Ill.")

    assert tasks.send_session_reminders() == 0
    assert mail.outbox == []
    assert other.status == Status.PLANNED


def test_a_failed_send_releases_the_claim_for_the_next_run(tomorrow_session, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(tasks, "send_mail", broken)
    assert tasks.send_session_reminders() == 0
    assert not SessionReminder.objects.exists()

    monkeypatch.undo()
    assert tasks.send_session_reminders() == 1


# The missed sweep.


def test_sweep_marks_sessions_past_the_grace_period(manager, store_a, settings):
    session = factories.SessionFactory(lead=manager, team=store_a)

    with time_machine.travel(session.planned_end + settings.MISSED_SESSION_GRACE):
        assert tasks.mark_missed_sessions() == 0
    with time_machine.travel(
        session.planned_end + settings.MISSED_SESSION_GRACE + dt.timedelta(minutes=5)
    ):
        assert tasks.mark_missed_sessions() == 1

    session.refresh_from_db()
    assert session.status == Status.MISSED


def test_sweep_is_idempotent(manager, store_a):
    session = factories.SessionFactory(lead=manager, team=store_a)

    with time_machine.travel(session.planned_end + dt.timedelta(days=1)):
        tasks.mark_missed_sessions()
        assert tasks.mark_missed_sessions() == 0

    assert session.events.count() == 1


def test_sweep_leaves_started_and_cancelled_sessions(manager, store_a):
    started = factories.SessionFactory(lead=manager, team=store_a)
    started.start(by=manager)
    cancelled = factories.SessionFactory(
        lead=manager, team=store_a, planned_start=started.planned_end
    )
    cancelled.cancel(by=manager, reason="Ill.")

    with time_machine.travel(timezone.now() + dt.timedelta(days=3)):
        assert tasks.mark_missed_sessions() == 0

    started.refresh_from_db()
    cancelled.refresh_from_db()
    assert (started.status, cancelled.status) == (Status.IN_PROGRESS, Status.CANCELLED)


def test_sweep_skips_a_session_started_after_it_was_listed(manager, store_a, monkeypatch):
    session = factories.SessionFactory(lead=manager, team=store_a)
    original = ImmersionSession.mark_missed

    def started_meanwhile(self, now=None):
        ImmersionSession.objects.filter(pk=self.pk).update(
            status=Status.IN_PROGRESS, started_at=timezone.now()
        )
        return original(self, now=now)

    monkeypatch.setattr(ImmersionSession, "mark_missed", started_meanwhile)
    with time_machine.travel(session.planned_end + dt.timedelta(days=1)):
        assert tasks.mark_missed_sessions() == 0

    session.refresh_from_db()
    assert session.status == Status.IN_PROGRESS


def test_beat_schedules_both_tasks(settings):
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert {"immersion.tasks.send_session_reminders", "immersion.tasks.mark_missed_sessions"} <= (
        scheduled
    )
