"""Photos on the public page: a blurred copy made from a private photo of a published fix.

The face photo is scikit-image's astronaut, carried in its wheel; the detector finds her
face at about (176, 65, 96, 96) in its 512 x 512 pixels.
"""

import hashlib
import io
import json
import uuid

import cv2
import numpy as np
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image
from skimage import data

from insights import face_blur
from insights.models import Action, ActionEvent, PublicPhoto
from insights.models.public_photos import PUBLIC_FOLDER
from insights.views.public import forget_public_pages
from journal.management.commands.remove_orphan_media import stored_files
from tests import factories
from tests.insights.helpers import verified

pytestmark = pytest.mark.django_db

ALT = "The fitting room corridor, with a colleague at the door."
FACE = (176, 65, 96, 96)


@pytest.fixture
def fix(action, owner, cx_lead):
    """The shared action, verified and published on the public page."""
    verified(action, owner, cx_lead)
    action.edit(
        by=cx_lead, you_said="The rooms were locked.", we_did="Now open.", is_published=True
    )
    return action


@pytest.fixture
def face_photo(fix, observation, manager):
    """A before photo: a real face, seen while the observation was made."""
    return factories.PhotoFactory(
        image=Image.fromarray(data.astronaut()), observation=observation, uploaded_by=manager
    )


def checkerboard(size=(400, 300), square=10) -> Image.Image:
    """Sharp detail everywhere and no face: what a blur does to it is easy to measure."""
    cells = (np.indices((size[1], size[0])) // square).sum(axis=0) % 2
    return Image.fromarray((cells * 255).astype(np.uint8)).convert("RGB")


@pytest.fixture
def evidence_photo(fix, owner):
    """An after photo: one of the fix's evidence photos."""
    photo = factories.PhotoFactory(image=checkerboard(), uploaded_by=owner)
    fix.evidence_photos.add(photo)
    return photo


def edit_url(action, photo):
    return reverse("insights:public-photo-edit", args=[action.pk, photo.pk])


def publish(client, action, photo, boxes="", alt=ALT):
    return client.post(
        edit_url(action, photo), {"step": "publish", "boxes": boxes, "alt_text": alt}
    )


def stored(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def pixels(content: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(content)).convert("L"), dtype=float)


def sharpness(grey: np.ndarray, box) -> float:
    """The variance of the Laplacian inside a box: high for detail, near 0 once blurred."""
    x, y, w, h = box
    return float(cv2.Laplacian(grey[y : y + h, x : x + w], cv2.CV_64F).var())


def public_files() -> list[str]:
    return list(stored_files(PUBLIC_FOLDER))


# --- the blur -------------------------------------------------------------------------


def test_detection_finds_the_face_in_a_real_photo(face_photo):
    boxes = face_blur.detected_boxes(face_photo)

    x, y, w, _h = FACE
    assert any(
        abs(bx - x) < 20 and abs(by - y) < 20 and abs(bw - w) < 30 for bx, by, bw, _bh in boxes
    )


def test_the_published_face_is_blurred_past_recognition(client_as, cx_lead, fix, face_photo):
    assert publish(client_as(cx_lead), fix, face_photo).status_code == 302

    public = PublicPhoto.objects.get()
    before = pixels(stored(face_photo.original.name))
    after = pixels(stored(public.file.name))
    assert sharpness(after, FACE) < sharpness(before, FACE) / 20
    x, y, w, h = FACE
    assert np.abs(after[y : y + h, x : x + w] - before[y : y + h, x : x + w]).mean() > 10


def test_pixels_away_from_the_boxes_are_kept(client_as, cx_lead, fix, face_photo):
    publish(client_as(cx_lead), fix, face_photo)

    public = PublicPhoto.objects.get()
    before = pixels(stored(face_photo.original.name))
    after = pixels(stored(public.file.name))
    # The lower left, far from the face: only the JPEG re-encoding differs.
    assert np.abs(after[400:500, 0:100] - before[400:500, 0:100]).mean() < 3


def test_a_drawn_box_is_blurred(client_as, cx_lead, fix, evidence_photo):
    drawn = [200, 100, 120, 80]

    publish(client_as(cx_lead), fix, evidence_photo, boxes=json.dumps([drawn]))

    public = PublicPhoto.objects.get()
    before = pixels(stored(evidence_photo.original.name))
    after = pixels(stored(public.file.name))
    assert public.drawn_boxes == [drawn]
    assert sharpness(after, drawn) < sharpness(before, drawn) / 20
    assert sharpness(after, (0, 0, 100, 80)) > sharpness(before, (0, 0, 100, 80)) / 2


def test_the_original_file_is_unchanged(client_as, cx_lead, fix, face_photo):
    original = stored(face_photo.original.name)
    client = client_as(cx_lead)

    client.get(reverse("insights:public-photo-preview", args=[fix.pk, face_photo.pk]))
    publish(client, fix, face_photo, boxes="[[10, 10, 50, 50]]")

    assert stored(face_photo.original.name) == original
    assert hashlib.sha256(original).hexdigest() == face_photo.sha256


def test_the_copy_is_a_file_of_its_own_outside_the_photo_folder(
    client_as, cx_lead, fix, face_photo
):
    publish(client_as(cx_lead), fix, face_photo)

    name = PublicPhoto.objects.get().file.name
    assert name.startswith("public-photos/")
    assert name != face_photo.original.name


def test_the_copy_carries_no_metadata_even_from_an_original_that_had_some(
    client_as, cx_lead, fix, face_photo
):
    # Written behind the upload pipeline's back, which would have stripped it.
    exif = Image.Exif()
    exif[0x010F] = "LEAK-CAMERA"
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}
    with_exif = io.BytesIO()
    Image.fromarray(data.astronaut()).save(with_exif, "JPEG", exif=exif, comment=b"LEAK")
    default_storage.delete(face_photo.original.name)
    default_storage.save(face_photo.original.name, ContentFile(with_exif.getvalue()))

    publish(client_as(cx_lead), fix, face_photo)

    content = stored(PublicPhoto.objects.get().file.name)
    copy = Image.open(io.BytesIO(content))
    assert not copy.getexif()
    assert "exif" not in copy.info
    assert "comment" not in copy.info
    assert b"Exif" not in content
    assert b"LEAK" not in content


def test_publishing_records_who_and_when_on_the_action(client_as, cx_lead, fix, face_photo):
    publish(client_as(cx_lead), fix, face_photo)

    public = PublicPhoto.objects.get()
    assert (public.side, public.published_by, public.alt_text) == ("before", cx_lead, ALT)
    event = fix.events.filter(kind=ActionEvent.Kind.PUBLISHED).last()
    assert event.new_value == "Before photo on the public page"
    assert event.note == ALT


def test_publishing_again_replaces_the_copy(
    client_as, cx_lead, fix, face_photo, django_capture_on_commit_callbacks
):
    client = client_as(cx_lead)
    publish(client, fix, face_photo)
    first = PublicPhoto.objects.get().file.name

    with django_capture_on_commit_callbacks(execute=True):
        publish(client, fix, face_photo, boxes="[[0, 0, 40, 40]]", alt="Again.")

    public = PublicPhoto.objects.get()
    assert (public.alt_text, public.drawn_boxes) == ("Again.", [[0, 0, 40, 40]])
    assert public.file.name != first
    assert not default_storage.exists(first)


def test_taking_down_deletes_the_copy_and_keeps_the_original(
    client_as, cx_lead, fix, face_photo, django_capture_on_commit_callbacks
):
    client = client_as(cx_lead)
    publish(client, fix, face_photo)
    public = PublicPhoto.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("insights:public-photo-take-down", args=[fix.pk, face_photo.pk])
        )

    assert response.status_code == 302
    assert not PublicPhoto.objects.exists()
    assert not default_storage.exists(public.file.name)
    assert default_storage.exists(face_photo.original.name)
    assert client.get(reverse("insights:public-photo", args=[public.pk])).status_code == 404


def test_the_copy_goes_with_its_source_photo(
    client_as, cx_lead, fix, face_photo, django_capture_on_commit_callbacks
):
    publish(client_as(cx_lead), fix, face_photo)
    name = PublicPhoto.objects.get().file.name

    with django_capture_on_commit_callbacks(execute=True):
        face_photo.delete()

    assert not PublicPhoto.objects.exists()
    assert not default_storage.exists(name)


def test_a_preview_stores_nothing(client_as, cx_lead, fix, face_photo):
    response = client_as(cx_lead).get(
        reverse("insights:public-photo-preview", args=[fix.pk, face_photo.pk]),
        {"boxes": "[[10, 10, 50, 50]]"},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    assert not PublicPhoto.objects.exists()
    assert public_files() == []


def test_the_preview_button_shows_the_drawn_boxes_in_the_preview(
    client_as, cx_lead, fix, face_photo
):
    response = client_as(cx_lead).post(
        edit_url(fix, face_photo), {"step": "preview", "boxes": "[[10, 10, 50, 50]]"}
    )

    assert response.status_code == 200
    assert "preview.jpg?boxes=%5B%5B10%2C%2010%2C%2050%2C%2050%5D%5D" in response.content.decode()
    assert not PublicPhoto.objects.exists()


# --- bad input: a clear message, a 4xx, nothing stored ---------------------------------


@pytest.mark.parametrize(
    ("boxes", "message"),
    [
        ("[[480, 480, 100, 100]]", "Box 1 goes outside the photo, which is 512 \u00d7 512 pixels"),
        ("[[-5, 0, 50, 50]]", "Box 1 goes outside the photo"),
        ("[[0, 0, 50, 50], [0, 0, 2, 2]]", "Box 2 is too small"),
        ("[[0, 0, 50]]", "Box 1 is not four numbers"),
        ('[[0, 0, "wide", 50]]', "Box 1 is not four numbers"),
        ("[[0, 0, true, 50]]", "Box 1 is not four numbers"),
        ('{"x": 1}', "Write the boxes as a list"),
        ("[[0, 0, 50, 50]", "These boxes cannot be read"),
        (json.dumps([[0, 0, 10, 10]] * 31), "at most 30 can be blurred"),
    ],
)
def test_bad_boxes_are_refused_and_nothing_is_stored(
    client_as, cx_lead, fix, face_photo, boxes, message
):
    response = publish(client_as(cx_lead), fix, face_photo, boxes=boxes)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PublicPhoto.objects.exists()
    assert public_files() == []


def test_publishing_without_alt_text_is_refused(client_as, cx_lead, fix, face_photo):
    response = publish(client_as(cx_lead), fix, face_photo, alt="   ")

    assert response.status_code == 400
    assert "Describe what the photo shows before publishing it." in response.content.decode()
    assert not PublicPhoto.objects.exists()


def test_a_preview_with_bad_boxes_is_refused(client_as, cx_lead, fix, face_photo):
    response = client_as(cx_lead).get(
        reverse("insights:public-photo-preview", args=[fix.pk, face_photo.pk]),
        {"boxes": "[[0, 0, 9999, 10]]"},
    )

    assert response.status_code == 400
    assert "goes outside the photo" in response.content.decode()


def test_a_photo_of_another_fix_is_not_found(client_as, cx_lead, fix, store_a, owner, manager):
    other = factories.ActionFactory(team=store_a, owner=owner, created_by=cx_lead)
    elsewhere = factories.PhotoFactory(
        observation=factories.ObservationFactory(
            session=factories.SessionFactory(team=store_a, lead=manager)
        ),
        uploaded_by=manager,
    )
    other.observations.add(elsewhere.observation)

    response = publish(client_as(cx_lead), fix, elsewhere)

    assert response.status_code == 404
    assert not PublicPhoto.objects.exists()


def test_a_fix_not_published_cannot_show_photos(client_as, cx_lead, fix, face_photo):
    fix.edit(by=cx_lead, is_published=False)

    response = publish(client_as(cx_lead), fix, face_photo)

    assert response.status_code == 409
    assert "publish the action’s “you said, we did” first" in response.content.decode()
    assert not PublicPhoto.objects.exists()
    assert public_files() == []


def test_a_publication_that_fails_midway_leaves_neither_row_nor_file(
    cx_lead, fix, face_photo, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Action, "_record", broken)

    with pytest.raises(RuntimeError):
        PublicPhoto.publish(action=fix, photo=face_photo, by=cx_lead, drawn_boxes=[], alt_text=ALT)

    assert not PublicPhoto.objects.exists()
    assert public_files() == []


# --- the public copy ------------------------------------------------------------------


@pytest.fixture
def published(client_as, cx_lead, fix, face_photo):
    publish(client_as(cx_lead), fix, face_photo)
    return PublicPhoto.objects.get()


def public_url(public):
    return reverse("insights:public-photo", args=[public.pk])


def test_anyone_gets_the_published_copy_with_a_public_cache(client_as, published):
    response = client_as(None).get(public_url(published))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "public, max-age=60"
    assert b"".join(response.streaming_content) == stored(published.file.name)


def test_an_unknown_copy_is_not_found(client_as, db):
    url = reverse("insights:public-photo", args=[uuid.uuid4()])

    assert client_as(None).get(url).status_code == 404


def test_the_copy_of_a_fix_no_longer_published_is_not_found(client_as, cx_lead, published):
    published.action.edit(by=cx_lead, is_published=False)

    assert client_as(None).get(public_url(published)).status_code == 404


def test_the_copy_of_a_fix_reopened_is_not_found(client_as, cx_lead, published):
    published.action.reopen(by=cx_lead, reason="It slipped back.")

    assert client_as(None).get(public_url(published)).status_code == 404


def test_the_public_page_shows_the_photo_with_its_alt_text(client_as, published):
    forget_public_pages()

    body = client_as(None).get(reverse("insights:public")).content.decode()

    assert f'src="{public_url(published)}"' in body
    assert f'alt="{ALT}"' in body
    assert published.photo.original.name not in body


def test_publishing_refreshes_the_cached_public_page(client_as, cx_lead, fix, face_photo):
    assert "<img" not in client_as(None).get(reverse("insights:public")).content.decode()

    publish(client_as(cx_lead), fix, face_photo)

    assert "<img" in client_as(None).get(reverse("insights:public")).content.decode()
