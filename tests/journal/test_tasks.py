import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.urls import reverse

from journal import images, renditions, tasks
from journal.models import Photo
from tests.journal import corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending_photo(observation_a, manager):
    # Stored without running on-commit callbacks: the rendition task has not run yet.
    return images.store_photo(
        corpus.upload("shelf.jpg", corpus.camera_jpeg()), manager, observation_a
    )


def test_renditions_are_made_and_the_photo_becomes_ready(pending_photo):
    assert tasks.make_renditions(str(pending_photo.pk)) == "ready"

    pending_photo.refresh_from_db()
    assert pending_photo.state == Photo.State.READY
    assert pending_photo.attempts == 1
    assert default_storage.exists(pending_photo.thumbnail.name)
    assert default_storage.exists(pending_photo.display.name)


def test_running_the_task_twice_does_the_work_once(pending_photo):
    with mock.patch.object(
        renditions, "write_renditions", wraps=renditions.write_renditions
    ) as work:
        first = tasks.make_renditions(str(pending_photo.pk))
        second = tasks.make_renditions(str(pending_photo.pk))

    assert (first, second) == ("ready", "nothing to do")
    assert work.call_count == 1
    pending_photo.refresh_from_db()
    assert pending_photo.attempts == 1


def test_a_photo_being_processed_is_not_claimed_again(pending_photo):
    assert tasks.claim(pending_photo.pk)

    assert not tasks.claim(pending_photo.pk)


def test_a_claim_left_by_a_dead_worker_is_taken_over_once_its_lease_ends(pending_photo, settings):
    settings.PHOTO_RENDITION_LEASE_SECONDS = 120
    assert tasks.claim(pending_photo.pk)

    with time_machine.travel(dt.timedelta(seconds=100)):
        assert not tasks.claim(pending_photo.pk)
    with time_machine.travel(dt.timedelta(seconds=121)):
        assert tasks.claim(pending_photo.pk)


def test_a_redelivered_task_looks_again_when_the_claim_runs_out(pending_photo, settings):
    settings.PHOTO_RENDITION_LEASE_SECONDS = 120
    assert tasks.claim(pending_photo.pk)  # by a worker that then died

    with mock.patch.object(tasks.make_renditions, "apply_async") as later:
        outcome = tasks.make_renditions(str(pending_photo.pk))

    assert outcome == "claimed elsewhere; will look again"
    later.assert_called_once()
    assert 119 <= later.call_args.kwargs["countdown"] <= 121


def test_a_failing_rendition_retries_then_is_marked_failed(pending_photo, settings):
    settings.PHOTO_RENDITION_MAX_ATTEMPTS = 3
    broken = mock.patch.object(renditions, "write_renditions", side_effect=OSError("disk full"))

    with broken as work:
        tasks.make_renditions(str(pending_photo.pk))

    # Tasks run eagerly in tests, so each retry followed at once.
    assert work.call_count == 3
    pending_photo.refresh_from_db()
    assert pending_photo.state == Photo.State.FAILED
    assert pending_photo.attempts == 3
    assert pending_photo.last_error == "OSError: disk full"


def test_backoff_grows_and_is_bounded():
    assert [tasks.backoff_seconds(n) for n in (1, 2, 3)] == [30, 60, 120]
    assert tasks.backoff_seconds(20) == tasks.MAX_BACKOFF_SECONDS


def test_the_sweep_requeues_a_photo_whose_task_was_lost(pending_photo):
    with time_machine.travel(dt.timedelta(minutes=11)):
        requeued = tasks.sweep_stuck_photos()

    assert requeued == 1
    pending_photo.refresh_from_db()
    assert pending_photo.state == Photo.State.READY


def test_the_sweep_leaves_recent_pending_photos_alone(pending_photo):
    with time_machine.travel(dt.timedelta(seconds=50)):
        assert tasks.sweep_stuck_photos() == 0

    pending_photo.refresh_from_db()
    assert pending_photo.state == Photo.State.PENDING


def test_the_sweep_recovers_a_photo_whose_worker_died_mid_task(pending_photo):
    assert tasks.claim(pending_photo.pk)  # the worker took it, then was killed

    with time_machine.travel(dt.timedelta(minutes=11)):
        tasks.sweep_stuck_photos()

    pending_photo.refresh_from_db()
    assert pending_photo.state == Photo.State.READY
    assert pending_photo.attempts == 2


def test_the_sweep_gives_up_on_a_photo_out_of_attempts(pending_photo, settings):
    settings.PHOTO_RENDITION_MAX_ATTEMPTS = 1
    assert tasks.claim(pending_photo.pk)

    with time_machine.travel(dt.timedelta(minutes=11)):
        tasks.sweep_stuck_photos()

    pending_photo.refresh_from_db()
    assert pending_photo.state == Photo.State.FAILED
    assert "Gave up after 1 attempts" in pending_photo.last_error


def test_the_sweep_is_scheduled_by_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["journal-sweep-stuck-photos"]

    assert entry["task"] == "journal.tasks.sweep_stuck_photos"


@pytest.fixture
def failed_photo(pending_photo):
    Photo.objects.filter(pk=pending_photo.pk).update(
        state=Photo.State.FAILED, attempts=5, last_error="OSError: disk full"
    )
    return pending_photo


def test_the_author_retries_a_failed_photo(
    client_as, manager, failed_photo, django_capture_on_commit_callbacks
):
    url = reverse("journal:photo-retry", kwargs={"photo_id": failed_photo.pk})

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(manager).post(url)

    assert response.status_code == 302
    failed_photo.refresh_from_db()
    assert failed_photo.state == Photo.State.READY
    assert failed_photo.attempts == 1


def test_a_cx_lead_may_retry_a_failed_photo(client_as, cx_lead, failed_photo):
    url = reverse("journal:photo-retry", kwargs={"photo_id": failed_photo.pk})

    assert client_as(cx_lead).post(url).status_code == 302
    failed_photo.refresh_from_db()
    assert failed_photo.state == Photo.State.PENDING


@pytest.mark.parametrize(("who", "status"), [("executive", 403), ("other_manager", 404)])
def test_others_cannot_retry_a_failed_photo(who, status, client_as, cast, failed_photo):
    url = reverse("journal:photo-retry", kwargs={"photo_id": failed_photo.pk})

    assert client_as(cast[who]).post(url).status_code == status
    failed_photo.refresh_from_db()
    assert failed_photo.state == Photo.State.FAILED


def test_the_retry_button_shows_only_on_failed_photos(client_as, manager, failed_photo):
    detail = reverse("journal:observation-detail", kwargs={"pk": failed_photo.observation_id})

    response = client_as(manager).get(detail)

    assert b"Photo could not be prepared" in response.content
    assert reverse("journal:photo-retry", kwargs={"photo_id": failed_photo.pk}).encode() in (
        response.content
    )
