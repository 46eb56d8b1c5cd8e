import datetime as dt
import io

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from journal import images, tasks
from tests.journal import corpus

pytestmark = pytest.mark.django_db
A_DAY_LATER = dt.timedelta(hours=25)


@pytest.fixture
def ready_photo(observation_a, manager):
    photo = images.store_photo(
        corpus.upload("shelf.jpg", corpus.camera_jpeg()), manager, observation_a
    )
    tasks.make_renditions(str(photo.pk))
    photo.refresh_from_db()
    return photo


@pytest.fixture
def stray(ready_photo) -> str:
    """A rendition left beside the one in use, as an earlier failed attempt could."""
    folder = ready_photo.original.name.rsplit("/", 1)[0]
    return default_storage.save(
        f"{folder}/{ready_photo.pk.hex}-display_wXammj2.jpg", ContentFile(b"\xff\xd8 stray")
    )


def run(*args) -> str:
    out = io.StringIO()
    call_command("remove_orphan_media", *args, stdout=out)
    return out.getvalue()


def kept(photo) -> bool:
    return all(
        default_storage.exists(name)
        for name in (photo.original.name, photo.display.name, photo.thumbnail.name)
    )


def test_a_dry_run_lists_orphans_and_removes_nothing(ready_photo, stray):
    with time_machine.travel(A_DAY_LATER):
        output = run()

    assert stray in output
    assert ready_photo.original.name not in output
    assert "1 orphan files" in output
    assert "run again with --delete" in output
    assert default_storage.exists(stray)


def test_delete_removes_orphans_and_keeps_every_file_a_photo_uses(ready_photo, stray):
    with time_machine.travel(A_DAY_LATER):
        output = run("--delete")

    assert "Removed 1 orphan files." in output
    assert not default_storage.exists(stray)
    assert kept(ready_photo)


def test_files_younger_than_the_grace_age_are_never_touched(ready_photo, stray):
    with time_machine.travel(dt.timedelta(hours=23)):
        output = run("--delete")

    assert "No orphan photo files." in output
    assert default_storage.exists(stray)


def test_the_grace_age_can_be_shortened_to_an_hour(ready_photo, stray):
    with time_machine.travel(dt.timedelta(minutes=61)):
        run("--delete", "--grace-hours", "1")

    assert not default_storage.exists(stray)
    assert kept(ready_photo)


@pytest.mark.parametrize("hours", ["0", "-3", "soon"])
def test_a_grace_age_under_an_hour_is_refused(hours):
    with pytest.raises(CommandError, match="grace"):
        run("--grace-hours", hours)


def test_an_empty_media_folder_has_no_orphans():
    assert "No orphan photo files." in run("--delete")
