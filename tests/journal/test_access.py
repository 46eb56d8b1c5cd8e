"""Every journal URL against every role: nobody reads or changes what is not theirs."""

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


def urls(observation, photo, session):
    return {
        "list": reverse("journal:list"),
        "detail": observation.get_absolute_url(),
        "edit": reverse("journal:observation-edit", kwargs={"pk": observation.pk}),
        "delete": reverse("journal:observation-delete", kwargs={"pk": observation.pk}),
        "original": reverse("journal:photo", args=[photo.pk, "original"]),
        "display": reverse("journal:photo", args=[photo.pk, "display"]),
        "thumbnail": reverse("journal:photo", args=[photo.pk, "thumbnail"]),
        "capture": reverse("journal:capture", kwargs={"session_id": session.pk}),
    }


EXPECTED = {
    #                list detail edit delete original display thumbnail capture
    "manager": (200, 200, 200, 200, 200, 200, 200, 200),
    "other_manager": (200, 404, 404, 404, 404, 404, 404, 404),
    "cx_lead": (200, 200, 403, 200, 200, 200, 200, 403),
    "executive": (200, 200, 403, 403, 200, 200, 200, 403),
    "owner": (403, 404, 404, 404, 404, 404, 404, 404),
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_role_by_url_matrix(who, cast, client_as, observation_a, photo, session_a):
    client = client_as(cast[who])
    answered = tuple(
        client.get(url).status_code for url in urls(observation_a, photo, session_a).values()
    )

    assert answered == EXPECTED[who]


def test_anonymous_is_sent_to_sign_in_everywhere(client, observation_a, photo, session_a):
    for url in urls(observation_a, photo, session_a).values():
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")


def test_another_teams_manager_never_sees_the_observation_in_the_list(
    client_as, other_manager, observation_a
):
    response = client_as(other_manager).get(reverse("journal:list"))

    assert observation_a.what_happened.encode() not in response.content
    assert response.context["page"].paginator.count == 0


def test_photo_files_are_private_and_never_guessable(client_as, manager, photo):
    response = client_as(manager).get(reverse("journal:photo", args=[photo.pk, "thumbnail"]))

    assert response["Cache-Control"] == "private, no-cache"
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert photo.pk.hex in photo.original.name


def test_an_unknown_photo_size_is_not_found(client_as, manager, photo):
    response = client_as(manager).get(reverse("journal:photo", args=[photo.pk, "huge"]))

    assert response.status_code == 404


def test_renditions_not_ready_yet_are_not_found_but_the_original_is(
    client_as, manager, observation_a
):
    pending = images.store_photo(
        corpus.upload("a.jpg", corpus.camera_jpeg()), manager, observation_a
    )
    client = client_as(manager)

    assert client.get(reverse("journal:photo", args=[pending.pk, "thumbnail"])).status_code == 404
    assert client.get(reverse("journal:photo", args=[pending.pk, "original"])).status_code == 200


def test_x_accel_redirect_hands_the_file_to_the_web_server(client_as, manager, photo, settings):
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = "/protected-media/"

    response = client_as(manager).get(reverse("journal:photo", args=[photo.pk, "display"]))

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{photo.display.name}"
    assert response.content == b""


def test_object_storage_redirects_to_a_signed_url(client_as, manager, photo, monkeypatch):
    class SignedStorage:
        def url(self, name):
            return f"https://bucket.example/{name}?X-Amz-Signature=abc"

    monkeypatch.setattr(images, "default_storage", SignedStorage())

    response = client_as(manager).get(reverse("journal:photo", args=[photo.pk, "original"]))

    assert response.status_code == 302
    assert response.url.endswith("?X-Amz-Signature=abc")
    assert response["Cache-Control"] == "private, no-store"


def test_evidence_photos_without_an_observation_are_not_served_here(client_as, cx_lead, manager):
    evidence = images.store_photo(corpus.upload("fixed.jpg", corpus.camera_jpeg()), manager)

    response = client_as(cx_lead).get(reverse("journal:photo", args=[evidence.pk, "original"]))

    assert response.status_code == 404
