"""Each Celery worker writes down that it is alive, so /health/ can tell without asking it.

A worker's heartbeat is one row per worker host name, rewritten from the worker's own
event loop while it is connected to the broker: a worker that dies, hangs or loses the
broker stops writing. /health/ reads every row in one query and only reports the
answer: a load balancer must not take web servers out of service because workers died.

This module is imported with the Celery app, before Django is set up, so models are
imported where they are used.
"""

import logging
from datetime import timedelta

from celery import bootsteps
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Count, Max, Q
from django.utils import timezone

logger = logging.getLogger(__name__)

# A heartbeat this many intervals old means the worker stopped: one late write is not a death.
MISSED_BEATS_BEFORE_STALE = 3
# Rows of workers gone this long (renamed hosts, scaled-down containers) are removed.
FORGET_AFTER = timedelta(days=1)


def record_heartbeat(hostname: str) -> None:
    """Upsert this worker's row in one statement."""
    from immersion.models import WorkerHeartbeat

    WorkerHeartbeat.objects.bulk_create(
        [WorkerHeartbeat(hostname=hostname, beat_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["hostname"],
        update_fields=["beat_at"],
    )


def forget_departed_workers() -> None:
    from immersion.models import WorkerHeartbeat

    WorkerHeartbeat.objects.filter(beat_at__lt=timezone.now() - FORGET_AFTER).delete()


def worker_status() -> dict:
    """How many workers answered lately and when the last one did, for /health/."""
    from immersion.models import WorkerHeartbeat

    stale_after = timedelta(seconds=settings.WORKER_HEARTBEAT_SECONDS * MISSED_BEATS_BEFORE_STALE)
    seen = WorkerHeartbeat.objects.aggregate(
        last_heartbeat=Max("beat_at"),
        answering=Count("hostname", filter=Q(beat_at__gte=timezone.now() - stale_after)),
    )
    return {
        "status": "ok" if seen["answering"] else "stale",
        "answering": seen["answering"],
        "last_heartbeat": seen["last_heartbeat"],
    }


class Heartbeat(bootsteps.StartStopStep):
    """A consumer bootstep: beats once it can take tasks, then every WORKER_HEARTBEAT_SECONDS."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def __init__(self, parent, **kwargs):
        super().__init__(parent, **kwargs)
        self.hostname = parent.hostname
        self.timer_entry = None

    def start(self, parent):
        self.safely(forget_departed_workers)
        self.beat()
        self.timer_entry = parent.timer.call_repeatedly(
            settings.WORKER_HEARTBEAT_SECONDS, self.beat
        )

    def stop(self, parent):
        if self.timer_entry is not None:
            self.timer_entry.cancel()
            self.timer_entry = None

    def beat(self):
        self.safely(record_heartbeat, self.hostname)

    @staticmethod
    def safely(write, *args):
        # A database outage must not stop the worker; its heartbeat going stale says it all.
        # Closing the connection after each write means the main process holds no idle
        # connection, and a restarted database costs at most one beat.
        try:
            write(*args)
        except DatabaseError:
            logger.warning("Could not write the worker heartbeat", exc_info=True)
        finally:
            connection.close()
