"""Background work of the journal: photo renditions and the sweep that keeps them moving.

A photo's row is the source of truth, not the queue: a task claims the row with a
conditional update before working, so a duplicate delivery finds nothing to do, and the
sweep re-queues whatever a lost message, a broker that was down or a killed worker left
behind. Renditions are written under fixed names, so a later attempt replaces what an
earlier one left instead of adding files beside it.
"""

import datetime as dt
import logging
import math

from celery import shared_task
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError, close_old_connections, connection
from django.db.models import F, Q
from django.utils import timezone

from immersion.dispatch import publish
from journal import renditions
from journal.models import Photo

logger = logging.getLogger(__name__)

# A render takes about a second even for the largest photo accepted; the lease
# (PHOTO_RENDITION_LEASE_SECONDS) must outlast the hard limit, so a claim that has run
# out certainly belongs to a dead worker.
RENDITION_SOFT_TIME_LIMIT = 30
RENDITION_TIME_LIMIT = 40
# The longest wait between attempts: below the broker's visibility timeout, so a
# message waiting for its countdown is never handed out a second time.
MAX_BACKOFF_SECONDS = 5 * 60


def backoff_seconds(attempts: int) -> int:
    first = settings.PHOTO_RENDITION_BACKOFF_SECONDS
    return min(first * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS)


def lease() -> dt.timedelta:
    """How long a claim holds: longer than the task's time limit, so a live worker keeps it."""
    return dt.timedelta(seconds=settings.PHOTO_RENDITION_LEASE_SECONDS)


def claim(photo_id) -> bool:
    """Take a pending photo, or one whose claimant died, for this worker; one claimant wins."""
    now = timezone.now()
    return bool(
        Photo.objects.filter(
            Q(state=Photo.State.PENDING)
            | Q(state=Photo.State.PROCESSING, state_changed_at__lt=now - lease()),
            pk=photo_id,
            attempts__lt=settings.PHOTO_RENDITION_MAX_ATTEMPTS,
        ).update(
            state=Photo.State.PROCESSING,
            attempts=F("attempts") + 1,
            state_changed_at=now,
        )
    )


@shared_task(
    bind=True,
    acks_late=True,
    soft_time_limit=RENDITION_SOFT_TIME_LIMIT,
    time_limit=RENDITION_TIME_LIMIT,
    ignore_result=True,
)
def make_renditions(self, photo_id: str) -> str:
    try:
        claimed = claim(photo_id)
    except DatabaseError as exc:
        # Whether the claim was committed is unknown. Try again on a fresh connection: a
        # claim that was committed is taken over when its lease runs out.
        _replace_broken_connection()
        if self.request.is_eager:
            raise
        raise self.retry(
            exc=exc,
            countdown=backoff_seconds(self.request.retries + 1),
            max_retries=settings.PHOTO_RENDITION_MAX_ATTEMPTS,
        ) from exc
    if not claimed:
        return _look_again_when_the_lease_ends(photo_id, eager=self.request.is_eager)
    written: dict[str, str] = {}
    try:
        photo = Photo.objects.get(pk=photo_id)
        written = renditions.write_renditions(photo)
        finished = mark_ready(photo.pk, written)
    except Exception as exc:
        if isinstance(exc, DatabaseError):
            _replace_broken_connection()
        return _record_failure(photo_id, written, exc)
    if not finished:
        return _settle_unfinished(photo_id, written)
    return "ready"


def _replace_broken_connection() -> None:
    """After a database error the connection may be dead (the server restarted, or ended
    it): drop it, so the next query opens a new one. Inside a transaction (a task run
    in-process) it is the caller's to deal with."""
    if not connection.in_atomic_block:
        close_old_connections()


def mark_ready(photo_id, names: dict[str, str]) -> bool:
    """Record the renditions, if the photo is still this attempt's to finish."""
    return bool(
        Photo.objects.filter(pk=photo_id, state=Photo.State.PROCESSING).update(
            state=Photo.State.READY,
            display=names["display"],
            thumbnail=names["thumbnail"],
            last_error="",
            state_changed_at=timezone.now(),
        )
    )


def _settle_unfinished(photo_id, written: dict[str, str]) -> str:
    """After an attempt that did not mark the photo ready: keep files only a row refers to."""
    state = Photo.objects.filter(pk=photo_id).values_list("state", flat=True).first()
    if state == Photo.State.READY:
        # Marked ready after all (the database's answer was lost), under these same names.
        return "ready"
    for name in written.values():
        default_storage.delete(name)
    return "abandoned" if state is None else "not finished"


def _look_again_when_the_lease_ends(photo_id, eager: bool) -> str:
    """A message redelivered after its worker died finds the photo still claimed by the
    dead process; rather than drop it, look again once that claim has run out."""
    row = Photo.objects.filter(pk=photo_id).values("state", "state_changed_at").first()
    if row is None or row["state"] != Photo.State.PROCESSING or eager:
        return "nothing to do"
    wait = (row["state_changed_at"] + lease() - timezone.now()).total_seconds()
    publish(make_renditions, str(photo_id), countdown=max(1, math.ceil(wait)))
    return "claimed elsewhere; will look again"


def _record_failure(photo_id, written: dict[str, str], exc: Exception) -> str:
    outcome = _settle_unfinished(photo_id, written)
    if outcome != "not finished":
        return outcome
    attempts = Photo.objects.values_list("attempts", flat=True).get(pk=photo_id)
    error = f"{type(exc).__name__}: {exc}"[:2000]
    logger.warning("Photo %s renditions failed, attempt %s: %s", photo_id, attempts, error)
    final = attempts >= settings.PHOTO_RENDITION_MAX_ATTEMPTS
    Photo.objects.filter(pk=photo_id, state=Photo.State.PROCESSING).update(
        state=Photo.State.FAILED if final else Photo.State.PENDING,
        last_error=error,
        state_changed_at=timezone.now(),
    )
    if final:
        return "failed"
    # Should the broker be down, the photo is pending and the sweep queues it again.
    publish(make_renditions, str(photo_id), countdown=backoff_seconds(attempts))
    return "will retry"


@shared_task(acks_late=True, soft_time_limit=120, time_limit=150, ignore_result=True)
def sweep_stuck_photos() -> int:
    """Re-queue photos left pending or processing too long; give up on the exhausted ones."""
    now = timezone.now()
    requeued = 0
    for photo in Photo.objects.stuck(now).order_by("state_changed_at")[:500]:
        if photo.state == Photo.State.PENDING and _still_backing_off(photo, now):
            continue
        unchanged = Photo.objects.filter(
            pk=photo.pk, state=photo.state, state_changed_at=photo.state_changed_at
        )
        if photo.attempts >= settings.PHOTO_RENDITION_MAX_ATTEMPTS:
            unchanged.update(
                state=Photo.State.FAILED,
                last_error=photo.last_error
                or f"Gave up after {photo.attempts} attempts without finishing.",
                state_changed_at=now,
            )
            continue
        if unchanged.update(state=Photo.State.PENDING, state_changed_at=now):
            if not publish(make_renditions, str(photo.pk)):
                break
            requeued += 1
    return requeued


def _still_backing_off(photo: Photo, now) -> bool:
    """A photo whose last attempt failed has its retry queued for later: not lost yet."""
    if not photo.attempts:
        return False
    return now < photo.state_changed_at + dt.timedelta(seconds=backoff_seconds(photo.attempts))
