"""Renditions that fail part-way: retried, and never leaving a file beside the ones in use."""

import datetime as dt
from pathlib import Path
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import OperationalError

from journal import images, renditions, tasks
from journal.models import Photo
from tests.journal import corpus

pytestmark = pytest.mark.django_db

write_renditions = renditions.write_renditions
mark_ready = tasks.mark_ready


@pytest.fixture
def pending_photo(observation_a, manager):
    return images.store_photo(
        corpus.upload("shelf.jpg", corpus.camera_jpeg()), manager, observation_a
    )


def files_of(photo) -> set[str]:
    folder = Path(settings.MEDIA_ROOT) / Path(photo.original.name).parent
    return {path.name for path in folder.iterdir() if path.name.startswith(photo.pk.hex)}


def connection_lost_when_finishing(times: int):
    """mark_ready meeting a dead connection the first ``times`` calls, the files written."""
    calls = []

    def fail_then_mark(photo_id, names):
        calls.append(names)
        if len(calls) <= times:
            raise OperationalError("server closed the connection unexpectedly")
        return mark_ready(photo_id, names)

    return fail_then_mark


def test_a_database_error_after_writing_is_retried_under_the_same_names(pending_photo):
    with mock.patch.object(tasks, "mark_ready", connection_lost_when_finishing(1)):
        # Tasks run eagerly in tests, so the retry follows at once.
        tasks.make_renditions(str(pending_photo.pk))

    pending_photo.refresh_from_db()
    assert pending_photo.state == Photo.State.READY
    assert pending_photo.attempts == 2
    assert files_of(pending_photo) == {
        Path(pending_photo.original.name).name,
        f"{pending_photo.pk.hex}-display.jpg",
        f"{pending_photo.pk.hex}-thumbnail.jpg",
    }


def test_a_last_attempt_that_fails_leaves_no_rendition_file(pending_photo, settings):
    settings.PHOTO_RENDITION_MAX_ATTEMPTS = 1

    with mock.patch.object(tasks, "mark_ready", connection_lost_when_finishing(1)):
        assert tasks.make_renditions(str(pending_photo.pk)) == "failed"

    pending_photo.refresh_from_db()
    assert pending_photo.state == Photo.State.FAILED
    assert pending_photo.last_error.startswith("OperationalError: server closed")
    assert files_of(pending_photo) == {Path(pending_photo.original.name).name}


def test_renditions_replace_what_an_earlier_attempt_left_at_their_names(pending_photo):
    leftover = f"{Path(pending_photo.original.name).parent}/{pending_photo.pk.hex}-display.jpg"
    default_storage.save(leftover, ContentFile(b"half a picture"))

    names = renditions.write_renditions(pending_photo)

    assert names["display"] == leftover
    assert default_storage.open(leftover).read(2) == b"\xff\xd8"
    assert len(files_of(pending_photo)) == 3


def test_a_photo_deleted_while_its_renditions_were_made_keeps_no_files(pending_photo):
    def write_then_vanish(photo):
        names = write_renditions(photo)
        Photo.objects.filter(pk=photo.pk).delete()
        return names

    with mock.patch.object(renditions, "write_renditions", write_then_vanish):
        assert tasks.make_renditions(str(pending_photo.pk)) == "abandoned"

    assert files_of(pending_photo) == {Path(pending_photo.original.name).name}


def test_the_sweep_waits_out_a_failed_photos_backoff(pending_photo):
    # Its third attempt failed: the retry is queued for two minutes later.
    Photo.objects.filter(pk=pending_photo.pk).update(attempts=3)

    with time_machine.travel(dt.timedelta(seconds=90)):
        assert tasks.sweep_stuck_photos() == 0
    with time_machine.travel(dt.timedelta(seconds=121)):
        assert tasks.sweep_stuck_photos() == 1


def test_the_sweep_takes_over_a_claim_as_soon_as_its_lease_runs_out(pending_photo, settings):
    assert tasks.claim(pending_photo.pk)  # by a worker that was then killed

    with time_machine.travel(dt.timedelta(seconds=settings.PHOTO_RENDITION_LEASE_SECONDS - 5)):
        assert tasks.sweep_stuck_photos() == 0
    with time_machine.travel(dt.timedelta(seconds=settings.PHOTO_RENDITION_LEASE_SECONDS + 1)):
        assert tasks.sweep_stuck_photos() == 1

    pending_photo.refresh_from_db()
    assert pending_photo.state == Photo.State.READY
