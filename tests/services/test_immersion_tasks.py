"""Reminders and the missed sweep on real PostgreSQL, with concurrent runs and real workers."""

import datetime as dt
import secrets

import pytest
from django.core.cache import cache
from django.utils import timezone

from immersion import tasks
from immersion.models import ImmersionSession, SessionEvent, SessionReminder
from tests import factories
from tests.services.conftest import race, wait_for
from tests.services.immersion_mail import delivered

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def upcoming(manager, store_a):
    companion = factories.ManagerFactory(teams=[store_a])
    sessions = []
    for hours in (5, 10, 15):
        session = factories.SessionFactory(
            lead=manager, team=store_a, planned_start=timezone.now() + dt.timedelta(hours=hours)
        )
        session.companions.add(companion)
        sessions.append(session)
    return sessions


def test_concurrent_reminder_runs_send_each_once(upcoming, mailoutbox):
    totals = race(*[tasks.send_session_reminders] * 4)

    assert sum(totals) == 6
    assert len(mailoutbox) == 6
    assert SessionReminder.objects.filter(sent_at__isnull=False).count() == 6


def test_concurrent_sweeps_mark_each_session_once(manager, store_a):
    past = timezone.now() - dt.timedelta(days=2)
    for n in range(5):
        factories.SessionFactory(
            lead=manager,
            team=store_a,
            planned_start=past + dt.timedelta(hours=2 * n),
            planned_end=past + dt.timedelta(hours=2 * n + 1),
        )

    totals = race(*[tasks.mark_missed_sessions] * 4)

    assert sum(totals) == 5
    assert SessionEvent.objects.filter(to_status="missed").count() == 5


def test_workers_running_the_reminders_repeatedly_send_each_once(upcoming, celery_worker_factory):
    celery_worker_factory(concurrency=2)
    celery_worker_factory(concurrency=2)

    for _ in range(6):
        tasks.send_session_reminders.delay()

    wait_for(
        lambda: SessionReminder.objects.filter(sent_at__isnull=False).count() == 6,
        60,
        "the workers never sent all six reminders",
    )
    assert SessionReminder.objects.count() == 6


def test_worker_marks_overdue_sessions_missed(manager, store_a, celery_worker_process):
    past = timezone.now() - dt.timedelta(days=1)
    session = factories.SessionFactory(
        lead=manager, team=store_a, planned_start=past, planned_end=past + dt.timedelta(hours=1)
    )

    tasks.mark_missed_sessions.delay()

    wait_for(
        lambda: ImmersionSession.objects.get(pk=session.pk).status == "missed",
        60,
        "the worker never marked the session missed",
    )


def test_a_worker_killed_while_sending_a_reminder_never_sends_it_twice(
    manager, other_manager, store_a, store_b, celery_worker_factory
):
    hold_key, log_key = f"mail-hold-{secrets.token_hex(4)}", f"mail-log-{secrets.token_hex(4)}"
    worker = celery_worker_factory(
        DJANGO_SETTINGS_MODULE="tests.services.immersion_mail_settings",
        MAIL_HOLD_KEY=hold_key,
        MAIL_LOG_KEY=log_key,
    )
    tomorrow = timezone.now() + dt.timedelta(hours=20)
    first = factories.SessionFactory(lead=manager, team=store_a, planned_start=tomorrow)
    cache.set(hold_key, "held", 120)
    tasks.send_session_reminders.delay()
    wait_for(
        lambda: SessionReminder.objects.filter(session=first).exists(),
        30,
        "the reminder was never claimed",
    )

    worker.kill_mid_task("immersion.tasks.send_session_reminders")
    cache.delete(hold_key)
    # A second session gives the runs after the kill something to send, so the test knows
    # when they have been through the first session's claim too.
    second = factories.SessionFactory(lead=other_manager, team=store_b, planned_start=tomorrow)
    tasks.send_session_reminders.delay()
    wait_for(
        lambda: SessionReminder.objects.filter(session=second, sent_at__isnull=False).exists(),
        60,
        "the runs after the kill never sent the second reminder",
    )

    assert delivered(log_key, manager.email) == 0
    assert delivered(log_key, other_manager.email) == 1
    assert SessionReminder.objects.get(session=first).sent_at is None
