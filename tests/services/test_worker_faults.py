"""A rendition worker killed outright, or its database connection ended mid-task.

Photos come in through the capture page while no worker runs, so their messages wait in
the broker. The worker is then held inside ``make_renditions`` by the photo's original
itself: it is replaced by a named pipe, so the task, having claimed the photo, waits on
reading it until the test writes the bytes (or kills the worker). No timing is guessed.

Timings are scaled down for the test's worker (a 2 s lease, a 1 s first backoff) and
the test process plays beat, running the sweep every second instead of every minute;
with the production defaults the same path takes at most lease + one sweep interval
(60 + 60 s), as README's "When the broker, a worker or the database fails" explains.
Figures are printed (``pytest -s``).
"""

import os
import time
from contextlib import suppress
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from journal import tasks
from journal.models import Observation, Photo
from tests import factories
from tests.journal import corpus
from tests.journal.test_capture import capture_url, fields
from tests.services.brokers import ThrowAwayRedis, publishing_to
from tests.services.conftest import row_locked, wait_for

pytestmark = pytest.mark.django_db(transaction=True)
LEASE_SECONDS = 2
SWEEP_SECONDS = 1


@pytest.fixture
def broker(tmp_path):
    # A broker of the test's own: the killed worker's unacknowledged messages come back
    # after the visibility timeout, long after this test, and must reach no other.
    server = ThrowAwayRedis(tmp_path / "redis.log").start()
    with publishing_to(server.url):
        yield server
    server.kill()


@pytest.fixture
def start_worker(celery_worker_factory, broker, settings):
    settings.PHOTO_RENDITION_LEASE_SECONDS = LEASE_SECONDS

    def start(concurrency: int = 1):
        return celery_worker_factory(
            concurrency,
            CELERY_BROKER_URL=broker.url,
            MEDIA_ROOT=str(settings.MEDIA_ROOT),
            PHOTO_RENDITION_LEASE_SECONDS=str(LEASE_SECONDS),
            PHOTO_RENDITION_BACKOFF_SECONDS="1",
        )

    return start


class HeldOriginal:
    """A photo's original swapped for a named pipe: the task that opens it waits there."""

    def __init__(self, photo: Photo):
        self.path = Path(settings.MEDIA_ROOT) / photo.original.name
        self.content = self.path.read_bytes()
        self.path.unlink()
        os.mkfifo(self.path)
        self.writer: int | None = None

    def reader_waiting(self) -> bool:
        """True once a task has the pipe open; from then on it waits for the bytes."""
        if self.writer is None:
            with suppress(OSError):  # ENXIO: nobody has opened it for reading yet
                self.writer = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
        return self.writer is not None

    def put_back(self) -> None:
        """The real file again at its name, for every later attempt."""
        spare = self.path.with_suffix(".spare")
        spare.write_bytes(self.content)
        spare.replace(self.path)

    def let_go(self) -> None:
        """Hand the waiting task the original's bytes, then the end of the file."""
        os.set_blocking(self.writer, True)
        with os.fdopen(self.writer, "wb") as pipe:
            pipe.write(self.content)
        self.writer = None

    def drop(self) -> None:
        if self.writer is not None:
            with suppress(OSError):
                os.close(self.writer)
            self.writer = None


@pytest.fixture
def session(store_a, manager):
    walk = factories.SessionFactory(team=store_a, lead=manager)
    walk.start(by=manager)
    return walk


def capture(client, session, count: int) -> list[Photo]:
    """Post captures with a photo each through the page, as a phone would; all must save."""
    answers = [
        client.post(
            capture_url(session),
            fields(photos=[corpus.upload(f"shelf-{n}.jpg", corpus.camera_jpeg())]),
        ).status_code
        for n in range(count)
    ]
    assert answers == [302] * count
    return list(Photo.objects.order_by("created_at"))


def all_ready(photos) -> bool:
    ids = [photo.pk for photo in photos]
    return not Photo.objects.filter(pk__in=ids).exclude(state=Photo.State.READY).exists()


def files_beside(photo: Photo) -> set[str]:
    folder = (Path(settings.MEDIA_ROOT) / photo.original.name).parent
    return {path.name for path in folder.iterdir() if path.name.startswith(photo.pk.hex)}


def test_every_photo_a_killed_worker_held_is_ready_soon_after_a_new_one_starts(
    start_worker, client_as, manager, session
):
    # Captured before any worker runs: their messages wait in the broker.
    photos = capture(client_as(manager), session, 3)
    held = [HeldOriginal(photo) for photo in photos]
    worker = start_worker(concurrency=2)
    # Both of the worker's processes are inside the task with a photo claimed; the third
    # message waits in the queue.
    wait_for(
        lambda: sum(original.reader_waiting() for original in held) == 2,
        30,
        "the worker never opened two held originals",
    )

    worker.kill()
    killed = time.perf_counter()
    for original in held:
        original.drop()
        original.put_back()
    assert Photo.objects.filter(state=Photo.State.PROCESSING).count() == 2

    start_worker(concurrency=2)

    def swept_and_ready():
        tasks.sweep_stuck_photos()
        return all_ready(photos) or time.sleep(SWEEP_SECONDS)

    wait_for(swept_and_ready, 60, "the killed worker's photos were never made")
    recovered = time.perf_counter() - killed

    for photo in photos:
        photo.refresh_from_db()
        assert files_beside(photo) == {
            Path(photo.original.name).name,
            Path(photo.display.name).name,
            Path(photo.thumbnail.name).name,
        }
    assert (Observation.objects.count(), Photo.objects.count()) == (3, 3)
    print(
        f"\nworker killed (whole process group) holding 2 photos, 1 more queued: all 3 ready "
        f"{recovered:.1f} s after the kill (lease {LEASE_SECONDS} s, sweep every "
        f"{SWEEP_SECONDS} s); 0 lost, 0 duplicated"
    )


def end_other_connections() -> int:
    """pg_terminate_backend on every other connection to the test database: the worker's."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_a_connection_ended_mid_rendition_is_retried_and_leaves_no_stray_file(
    start_worker, client_as, manager, session
):
    [photo] = capture(client_as(manager), session, 1)
    original = HeldOriginal(photo)
    start_worker()
    wait_for(original.reader_waiting, 30, "the worker never opened the held original")

    assert end_other_connections() >= 1
    ended = time.perf_counter()
    original.put_back()
    # The task renders, writes both renditions, and its update to "ready" meets the
    # connection that is no more.
    original.let_go()

    wait_for(lambda: all_ready([photo]), 60, "the photo was never made after the error")
    recovered = time.perf_counter() - ended

    photo.refresh_from_db()
    assert photo.attempts == 2
    assert photo.last_error == ""
    assert files_beside(photo) == {
        Path(photo.original.name).name,
        f"{photo.pk.hex}-display.jpg",
        f"{photo.pk.hex}-thumbnail.jpg",
    }
    assert Path(photo.display.name).name == f"{photo.pk.hex}-display.jpg"
    print(
        f"\ndatabase connection ended mid-rendition: retried, ready {recovered:.1f} s later, "
        "no stray rendition file"
    )


def test_a_connection_ended_while_claiming_is_retried(start_worker, client_as, manager, session):
    [photo] = capture(client_as(manager), session, 1)

    with row_locked(Photo, photo.pk):
        start_worker()
        wait_for(end_waiting_connections, 30, "the claim never waited on the lock")

    wait_for(lambda: all_ready([photo]), 60, "the claim was never retried")
    photo.refresh_from_db()
    assert photo.attempts == 1


def end_waiting_connections() -> int:
    """pg_terminate_backend on the connections of the test database waiting on a lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]
