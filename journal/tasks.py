"""Background work of the journal: photo renditions and the sweep that keeps them moving.

A photo's row is the source of truth, not the queue: a task claims the row with a
conditional update before working, so a duplicate delivery finds nothing to do, and the
sweep re-queues whatever a lost message or a killed worker left behind.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import F
from django.utils import timezone

from journal import images
from journal.models import Photo

logger = logging.getLogger(__name__)


def backoff_seconds(attempts: int) -> int:
    return min(30 * 2 ** (attempts - 1), 15 * 60)


def claim(photo_id) -> bool:
    """Take a pending photo for this worker; only one claimant can win."""
    return bool(
        Photo.objects.filter(
            pk=photo_id,
            state=Photo.State.PENDING,
            attempts__lt=settings.PHOTO_RENDITION_MAX_ATTEMPTS,
        ).update(
            state=Photo.State.PROCESSING,
            attempts=F("attempts") + 1,
            state_changed_at=timezone.now(),
        )
    )


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, ignore_result=True)
def make_renditions(photo_id: str) -> str:
    if not claim(photo_id):
        return "nothing to do"
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
