"""A broker nobody can reach, after the save is committed: nothing lost, no error page.

Publishing goes for real (not eagerly) to a port where nothing listens. The tests that
post commit for real (``transaction=True``), so the on-commit work runs where it does in
production: as the outermost transaction commits, inside the request.
"""

import datetime as dt
import logging
import socket
import time

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import transaction

from immersion import dispatch
from journal import images, tasks
from journal.models import Observation, Photo
from tests.journal import corpus
from tests.journal.test_capture import capture_url, fields
from tests.services.brokers import closed_port_url, publishing_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def unreachable_broker():
    with publishing_to(closed_port_url()):
        yield


def test_publishing_to_an_unreachable_broker_fails_fast_with_a_warning(unreachable_broker, caplog):
    started = time.perf_counter()
    with caplog.at_level(logging.WARNING, logger="immersion.dispatch"):
        sent = dispatch.publish(tasks.sweep_stuck_photos)

    assert sent is False
    assert time.perf_counter() - started < 5
    assert "Could not queue journal.tasks.sweep_stuck_photos" in caplog.text


def test_publishing_to_a_broker_that_never_answers_gives_up_within_seconds():
    # It accepts the connection (the kernel does) and then says nothing, like a hung Redis.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        started = time.perf_counter()
        with publishing_to(f"redis://127.0.0.1:{silent.getsockname()[1]}/0"):
            sent = dispatch.publish(tasks.sweep_stuck_photos)

    assert sent is False
    assert time.perf_counter() - started < 12


def test_a_publish_after_commit_never_raises_into_the_committed_change(
    unreachable_broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        dispatch.publish_on_commit(tasks.sweep_stuck_photos)

    assert len(callbacks) == 1


@pytest.mark.django_db(transaction=True)
def test_a_capture_with_a_photo_is_saved_and_kept_while_the_broker_is_down(
    unreachable_broker, client_as, manager, session_a
):
    upload = corpus.upload("ramp.jpg", corpus.camera_jpeg())

    response = client_as(manager).post(capture_url(session_a), fields(photos=[upload]))

    assert response.status_code == 302
    photo = Photo.objects.get()
    assert photo.observation == Observation.objects.get()
    assert photo.state == Photo.State.PENDING
    assert default_storage.exists(photo.original.name)


@pytest.mark.django_db(transaction=True)
def test_a_photo_whose_renditions_were_never_queued_is_made_by_the_sweep(
    client_as, manager, session_a
):
    upload = corpus.upload("ramp.jpg", corpus.camera_jpeg())
    with publishing_to(closed_port_url()):
        client_as(manager).post(capture_url(session_a), fields(photos=[upload]))

    # The broker is back (tasks run in-process again); beat's next sweep finds the photo.
    with time_machine.travel(dt.timedelta(minutes=1, seconds=1)):
        assert tasks.sweep_stuck_photos() == 1

    photo = Photo.objects.get()
    assert photo.state == Photo.State.READY
    assert default_storage.exists(photo.display.name)


@pytest.mark.django_db(transaction=True)
def test_files_stay_when_an_error_comes_after_the_commit(manager):
    prepared = images.prepare(corpus.upload("till.jpg", corpus.camera_jpeg()))
    saved = []

    def fail_after_commit():
        raise RuntimeError("after the commit")

    def save_then_fail_after_commit():
        with images.photo_transaction() as batch:
            saved.append(batch.save(prepared, uploaded_by=manager))
            transaction.on_commit(fail_after_commit)

    with pytest.raises(RuntimeError, match="after the commit"):
        save_then_fail_after_commit()

    assert Photo.objects.filter(pk=saved[0].pk).exists()
    assert default_storage.exists(saved[0].original.name)


def test_files_go_when_the_block_fails_before_the_commit(manager):
    prepared = images.prepare(corpus.upload("till.jpg", corpus.camera_jpeg()))
    saved = []

    def save_then_fail():
        with images.photo_transaction() as batch:
            saved.append(batch.save(prepared, uploaded_by=manager))
            raise RuntimeError("inside the block")

    with pytest.raises(RuntimeError, match="inside"):
        save_then_fail()

    assert not default_storage.exists(saved[0].original.name)
    assert not Photo.objects.exists()
