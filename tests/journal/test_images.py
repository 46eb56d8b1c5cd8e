import io
import uuid

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from journal import images, renditions
from journal.models import Observation, Photo
from tests.journal import corpus

pytestmark = pytest.mark.django_db

GOOD = corpus.good_files()
BAD = corpus.bad_files()


def stored_files() -> list[str]:
    found = []

    def walk(folder):
        dirs, files = default_storage.listdir(folder)
        found.extend(f"{folder}/{name}".lstrip("/") for name in files)
        for sub in dirs:
            walk(f"{folder}/{sub}".lstrip("/"))

    if default_storage.exists(""):
        walk("")
    return found


def capture_post(client, session, files, **fields):
    data = {
        "client_uuid": str(uuid.uuid4()),
        "touchpoint": "store",
        "emotion": "frustrated",
        "intensity": "4",
        "what_happened": "The lift to the first floor was out of order.",
        "kind": "pain_point",
        "impact": "high",
        "photos": files,
        **fields,
    }
    url = reverse("journal:capture", kwargs={"session_id": session.pk})
    return client.post(url, data)


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_upload_is_refused_and_nothing_is_stored(case, client_as, manager, session_a):
    name, content, content_type, reason = BAD[case]

    response = capture_post(
        client_as(manager), session_a, [corpus.upload(name, content, content_type)]
    )

    assert response.status_code == 422
    assert Observation.objects.count() == 0
    assert Photo.objects.count() == 0
    assert stored_files() == []
    message = response.context["form"].errors["photos"][0]
    assert name in message
    assert reason in message


def test_bad_upload_among_good_ones_stores_nothing(client_as, manager, session_a):
    good = corpus.upload("ok.jpg", corpus.camera_jpeg())
    bad = corpus.upload("broken.jpg", corpus.truncated_jpeg())

    response = capture_post(client_as(manager), session_a, [good, bad])

    assert response.status_code == 422
    assert (Observation.objects.count(), Photo.objects.count(), stored_files()) == (0, 0, [])


def test_upload_over_the_size_limit_is_refused(client_as, manager, session_a, settings):
    settings.PHOTO_MAX_BYTES = 1000
    content = corpus.encode(Image.effect_noise((120, 120), 80).convert("RGB"), "PNG")

    response = capture_post(client_as(manager), session_a, [corpus.upload("big.png", content)])

    assert response.status_code == 422
    assert "big.png: the file is" in response.context["form"].errors["photos"][0]
    assert Photo.objects.count() == 0


def test_more_photos_than_allowed_are_refused(client_as, manager, session_a, settings):
    settings.PHOTO_MAX_PER_OBSERVATION = 2
    files = [corpus.upload(f"p{i}.jpg", corpus.camera_jpeg()) for i in range(3)]

    response = capture_post(client_as(manager), session_a, files)

    assert response.status_code == 422
    assert "at most 2" in response.context["form"].errors["photos"][0]
    assert Photo.objects.count() == 0


def test_pixel_limit_is_read_from_settings(settings):
    settings.PHOTO_MAX_PIXELS = 100
    content = corpus.encode(Image.new("RGB", (20, 20)), "PNG")

    with pytest.raises(images.PhotoRejected, match="20 x 20 pixels"):
        images.prepare(corpus.upload("small.png", content))


@pytest.mark.parametrize("case", sorted(GOOD))
def test_good_upload_is_stored_clean_under_a_random_name(
    case, client_as, manager, session_a, django_capture_on_commit_callbacks
):
    name, content, content_type = GOOD[case]

    with django_capture_on_commit_callbacks(execute=True):
        response = capture_post(
            client_as(manager), session_a, [corpus.upload(name, content, content_type)]
        )

    assert response.status_code == 302
    photo = Photo.objects.get()
    assert photo.observation.session == session_a
    assert name.rsplit(".", 1)[0] not in photo.original.name
    with default_storage.open(photo.original.name) as stored:
        raw = stored.read()
    assert photo.byte_size == len(raw)
    clean = Image.open(io.BytesIO(raw))
    assert clean.getexif().get_ifd(corpus.GPS_IFD) == {}
    assert dict(clean.getexif()) == {}
    assert (photo.width, photo.height) == clean.size
    assert photo.state == Photo.State.READY


def test_camera_orientation_is_applied_to_the_original(manager):
    prepared = images.prepare(corpus.upload("IMG.JPG", corpus.camera_jpeg(orientation=6)))

    image = Image.open(io.BytesIO(prepared.content)).convert("RGB")
    # Turned upright: the photo's left half (red) is now its top half.
    assert image.size == (40, 60)
    assert image.getpixel((20, 10))[0] > 200
    assert image.getpixel((20, 50))[2] > 200


def test_location_and_camera_tags_are_removed_but_capture_time_is_kept():
    prepared = images.prepare(corpus.upload("IMG.JPG", corpus.camera_jpeg()))

    clean = Image.open(io.BytesIO(prepared.content))
    assert dict(clean.getexif()) == {}
    assert clean.getexif().get_ifd(corpus.GPS_IFD) == {}
    assert prepared.captured_at == corpus.taken_at()


def test_store_photo_keeps_hash_size_and_queues_renditions(
    manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        photo = images.store_photo(corpus.upload("evidence.jpg", corpus.camera_jpeg()), manager)

    assert len(callbacks) == 1
    photo.refresh_from_db()
    assert photo.observation is None
    assert photo.state == Photo.State.READY
    assert len(photo.sha256) == 64
    assert default_storage.exists(photo.thumbnail.name)
    assert default_storage.exists(photo.display.name)


def test_store_photo_refuses_a_bad_file_without_storing(manager):
    with pytest.raises(images.PhotoRejected, match=r"evidence\.pdf: this is not"):
        images.store_photo(corpus.upload("evidence.pdf", corpus.PDF), manager)

    assert (Photo.objects.count(), stored_files()) == (0, [])


def test_a_rolled_back_photo_transaction_removes_its_files(manager):
    prepared = images.prepare(corpus.upload("a.jpg", corpus.camera_jpeg()))

    def change_that_fails():
        with images.photo_transaction() as batch:
            batch.save(prepared, manager)
            raise RuntimeError("the change the photo belonged to failed")

    with pytest.raises(RuntimeError):
        change_that_fails()

    assert (Photo.objects.count(), stored_files()) == (0, [])


def test_uploads_field_reports_every_bad_file_by_name():
    field = images.PhotoUploadsField()
    files = [corpus.upload("one.jpg", b""), corpus.upload("two.jpg", corpus.PDF)]

    with pytest.raises(images.ValidationError) as refused:
        field.clean(files)

    messages = refused.value.messages
    assert messages[0].startswith("one.jpg: the file is empty")
    assert messages[1].startswith("two.jpg: this is not")


def test_renditions_fit_their_sizes_and_keep_the_aspect_ratio():
    source = io.BytesIO(corpus.encode(Image.new("RGB", (4000, 3000), "green"), "JPEG"))

    made = renditions.render(source, renditions.RENDITIONS)

    assert Image.open(io.BytesIO(made["display"])).size == (1600, 1200)
    assert Image.open(io.BytesIO(made["thumbnail"])).size == (400, 300)
