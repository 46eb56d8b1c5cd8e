"""Queueing a task after a commit without letting the broker undo the commit.

The row that asks for the work is committed first; only then is the task published. A
broker that cannot be reached at that moment must not turn the committed save into an
error page, so the failure is logged and the work is left to a sweep that finds rows
still waiting (pending photos, notifications never sent) once the broker is back.
Publishing gives up quickly (see ``CELERY_TASK_PUBLISH_RETRY_POLICY`` and the broker's
socket timeouts in the settings) so a request never hangs on a dead broker either.
"""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

log = logging.getLogger(__name__)


def publish(task, *args, countdown: int | None = None) -> bool:
    """Send the task now; False, with a warning, when the broker cannot be reached."""
    try:
        task.apply_async(args, countdown=countdown)
    except OperationalError as exc:
        log.warning(
            "Could not queue %s%r, the broker is unreachable (%s); a sweep will queue it again.",
            task.name,
            args,
            exc,
        )
        return False
    return True


def publish_on_commit(task, *args, using: str | None = None) -> None:
    """Send the task once the current transaction has committed, never raising from it."""

    def publish_committed():
        publish(task, *args)

    # robust: whatever else goes wrong in the callback is logged, never raised into the
    # request whose change is already committed.
    transaction.on_commit(publish_committed, using=using, robust=True)
