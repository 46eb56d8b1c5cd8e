"""The journal against real PostgreSQL, Redis and Celery workers."""

import datetime as dt
import threading
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from journal import images, services, tasks
from journal.models import Observation, Photo
from tests import factories
from tests.journal import corpus
from tests.services.conftest import row_locked, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def session(store_a, manager):
    walk = factories.SessionFactory(team=store_a, lead=manager)
    walk.start(by=manager)
    return walk


@pytest.fixture
def worker(celery_worker_factory):
    # The worker writes renditions where this test stores the originals, and a dead
    # worker's claim runs out in a second instead of two minutes.
    return celery_worker_factory(
        MEDIA_ROOT=str(settings.MEDIA_ROOT), PHOTO_RENDITION_LEASE_SECONDS="1"
    )


def stored_without_dispatch(manager) -> Photo:
    """A pending photo whose rendition task was never sent, as if its message were lost.

    These tests commit for real, so on-commit callbacks run at once and cannot be
    captured: the dispatch itself is what goes missing.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tasks.make_renditions, "apply_async", lambda *args, **kwargs: None)
        return images.store_photo(corpus.upload("shelf.jpg", corpus.camera_jpeg()), manager)


def state_of(photo) -> str:
    return Photo.objects.values_list("state", flat=True).get(pk=photo.pk)


def test_renditions_are_made_by_a_real_worker_after_commit(worker, manager):
    photo = images.store_photo(corpus.upload("till.jpg", corpus.camera_jpeg()), manager)

    wait_for(lambda: state_of(photo) == Photo.State.READY, 60, "the photo never became ready")
    photo.refresh_from_db()
    assert images.default_storage.exists(photo.thumbnail.name)
    assert photo.attempts == 1


def test_a_worker_killed_mid_rendition_loses_nothing(worker, manager):
    photo = stored_without_dispatch(manager)

    with row_locked(Photo, photo.pk):
        tasks.make_renditions.delay(str(photo.pk))
        killed = worker.kill_mid_task("journal.tasks.make_renditions")

    wait_for(
        lambda: state_of(photo) == Photo.State.READY,
        60,
        f"the rendition killed in process {killed['worker_pid']} was never done",
    )
    photo.refresh_from_db()
    # The killed process's claim may have reached the database before it died.
    assert photo.attempts in (1, 2)
    assert images.default_storage.exists(photo.display.name)


def test_the_sweep_hands_a_lost_photo_to_a_real_worker(worker, manager):
    photo = stored_without_dispatch(manager)
    Photo.objects.filter(pk=photo.pk).update(
        state_changed_at=timezone.now()
        - dt.timedelta(minutes=settings.PHOTO_STUCK_AFTER_MINUTES + 1)
    )

    assert tasks.sweep_stuck_photos() == 1

    wait_for(lambda: state_of(photo) == Photo.State.READY, 60, "the swept photo was never made")


def test_two_concurrent_posts_with_one_client_uuid_store_one_observation(
    session, manager, monkeypatch
):
    fields = {
        "client_uuid": uuid.uuid4(),
        "touchpoint": "store",
        "emotion": "anxious",
        "intensity": 4,
        "what_happened": "The lift was out of order and nobody said so at the entrance.",
        "quote": "",
        "kind": "pain_point",
        "impact": "high",
        "journey_stage": "",
    }
    both_checked = threading.Barrier(2, timeout=30)
    original = services.is_open_for_observations

    def checked_then_wait(*args):
        is_open = original(*args)
        # Both requests have passed every check before either stores.
        both_checked.wait()
        return is_open

    monkeypatch.setattr(services, "is_open_for_observations", checked_then_wait)
    results, errors = [], []

    def post():
        try:
            photo = images.prepare(corpus.upload("lift.jpg", corpus.camera_jpeg()))
            results.append(services.record_observation(session, manager, dict(fields), [photo]))
        except Exception as exc:  # reported below, so a failure in a thread is not lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert sorted(created for _, created in results) == [False, True]
    assert results[0][0].pk == results[1][0].pk
    assert Observation.objects.count() == 1
    assert Photo.objects.count() == 1
