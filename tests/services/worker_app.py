"""The Celery app as the services suite's worker runs it: every product task plus probes.

The worker is started with ``-A tests.services.worker_app``, so these probe tasks exist
only in test workers and never in the product's task registry.
"""

import time

from django.core.cache import cache
from django.db import transaction

from immersion.celery import app

__all__ = ["app", "create_team"]

# How often a held probe looks again at its hold key.
HOLD_POLL_SECONDS = 0.05


@app.task(name="tests.services.create_team", acks_late=True, soft_time_limit=30, time_limit=40)
def create_team(parent_id: int, name: str, hold_key: str | None = None) -> int:
    """Create a team under the given parent, once, and return its id.

    While ``hold_key`` is set in the cache the task waits before writing anything, so a
    test can kill the worker at a moment when the task is certainly running.
    """
    from immersion.models import Team

    while hold_key and cache.get(hold_key):
        time.sleep(HOLD_POLL_SECONDS)
    with transaction.atomic():
        parent = Team.objects.get(pk=parent_id)
        team, _ = Team.objects.get_or_create(parent=parent, name=name)
    return team.pk
