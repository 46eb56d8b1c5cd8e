"""Reminders and the missed sweep on real PostgreSQL, with concurrent runs and real workers."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from immersion import tasks
from immersion.models import ImmersionSession, SessionEvent, SessionReminder
from tests import factories
from tests.services.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def run_side_by_side(function, runs: int = 4) -> list:
    """Call function from several threads at once, each on its own database connection."""
    barrier = threading.Barrier(runs)
    results = []

    def run():
        barrier.wait()
        try:
            results.append(function())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


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
    totals = run_side_by_side(tasks.send_session_reminders)

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

    totals = run_side_by_side(tasks.mark_missed_sessions)

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
