"""Background work of the journal: photo renditions and the sweep that keeps them moving.

A photo's row is the source of truth, not the queue: a task claims the row with a
conditional update before working, so a duplicate delivery finds nothing to do, and the
sweep re-queues whatever a lost message or a killed worker left behind.
"""

import datetime as dt
import logging
import math

from celery import shared_task
from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import F, Q
from django.utils import timezone

from journal import images
from journal.models import Photo

logger = logging.getLogger(__name__)

RENDITION_SOFT_TIME_LIMIT = 60
RENDITION_TIME_LIMIT = 90


def backoff_seconds(attempts: int) -> int:
    return min(30 * 2 ** (attempts - 1), 15 * 60)


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
    if not claim(photo_id):
        return _look_again_when_the_lease_ends(photo_id, eager=self.request.is_eager)
    photo = Photo.objects.get(pk=photo_id)
    try:
        names = images.write_renditions(photo)
    except Exception as exc:
        return _record_failure(photo, exc)
    finished = Photo.objects.filter(pk=photo.pk, state=Photo.State.PROCESSING).update(
        state=Photo.State.READY,
        display=names["display"],
        thumbnail=names["thumbnail"],
        last_error="",
        state_changed_at=timezone.now(),
    )
    if not finished:
        # Deleted or taken over while we worked: our files belong to nobody.
        for name in names.values():
            default_storage.delete(name)
        return "abandoned"
    return "ready"


def _look_again_when_the_lease_ends(photo_id, eager: bool) -> str:
    """A message redelivered after its worker died finds the photo still claimed by the
    dead process; rather than drop it, look again once that claim has run out."""
    row = Photo.objects.filter(pk=photo_id).values("state", "state_changed_at").first()
    if row is None or row["state"] != Photo.State.PROCESSING or eager:
        return "nothing to do"
    wait = (row["state_changed_at"] + lease() - timezone.now()).total_seconds()
    make_renditions.apply_async((str(photo_id),), countdown=max(1, math.ceil(wait)))
    return "claimed elsewhere; will look again"


def _record_failure(photo: Photo, exc: Exception) -> str:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    logger.warning("Photo %s renditions failed, attempt %s: %s", photo.pk, photo.attempts, error)
    final = photo.attempts >= settings.PHOTO_RENDITION_MAX_ATTEMPTS
    Photo.objects.filter(pk=photo.pk, state=Photo.State.PROCESSING).update(
        state=Photo.State.FAILED if final else Photo.State.PENDING,
        last_error=error,
        state_changed_at=timezone.now(),
    )
    if final:
        return "failed"
    make_renditions.apply_async((str(photo.pk),), countdown=backoff_seconds(photo.attempts))
    return "will retry"


@shared_task(acks_late=True, soft_time_limit=120, time_limit=150, ignore_result=True)
def sweep_stuck_photos() -> int:
    """Re-queue photos left pending or processing too long; give up on the exhausted ones."""
    now = timezone.now()
    requeued = 0
    for photo in Photo.objects.stuck(now).order_by("state_changed_at")[:500]:
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
            make_renditions.delay(str(photo.pk))
            requeued += 1
    return requeued
