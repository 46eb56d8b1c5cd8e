"""Photos are never kept by the browser past sign-out: each view is asked again, cheaply."""

import pytest
from django.urls import reverse

from journal import images
from tests.journal import corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(observation_a, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        stored = images.store_photo(
            corpus.upload("till.jpg", corpus.camera_jpeg()), manager, observation_a
        )
    stored.refresh_from_db()
    return stored


def photo_url(photo, variant="display"):
    return reverse("journal:photo", args=[photo.pk, variant])


def test_a_photo_must_be_revalidated_before_every_use(client_as, manager, photo):
    response = client_as(manager).get(photo_url(photo))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"
    assert response["ETag"].startswith('"')


def test_asking_again_with_the_tag_gets_a_304_without_the_bytes(client_as, manager, photo):
    client = client_as(manager)
    etag = client.get(photo_url(photo))["ETag"]

    response = client.get(photo_url(photo), headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.content == b""
    assert response["Cache-Control"] == "private, no-cache"
    assert response["ETag"] == etag


def test_each_size_of_a_photo_has_its_own_tag(client_as, manager, photo):
    client = client_as(manager)

    tags = {client.get(photo_url(photo, variant))["ETag"] for variant in images.VARIANTS}

    assert len(tags) == len(images.VARIANTS)


def test_after_sign_out_asking_again_gets_the_sign_in_page_not_the_photo(client_as, manager, photo):
    client = client_as(manager)
    etag = client.get(photo_url(photo))["ETag"]
    client.post("/accounts/logout/")

    response = client.get(photo_url(photo), headers={"If-None-Match": etag})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_someone_else_holding_the_tag_learns_nothing(client_as, manager, other_manager, photo):
    etag = client_as(manager).get(photo_url(photo))["ETag"]

    response = client_as(other_manager).get(photo_url(photo), headers={"If-None-Match": etag})

    assert response.status_code == 404


def test_photos_handed_to_the_web_server_are_revalidated_too(client_as, manager, photo, settings):
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = "/protected-media/"
    client = client_as(manager)

    first = client.get(photo_url(photo))
    again = client.get(photo_url(photo), headers={"If-None-Match": first["ETag"]})

    assert first["Cache-Control"] == "private, no-cache"
    assert first["X-Accel-Redirect"] == f"/protected-media/{photo.display.name}"
    assert again.status_code == 304
    assert "X-Accel-Redirect" not in again
