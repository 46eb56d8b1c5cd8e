"""Pages go out gzipped to browsers that accept it; photos go out as they are."""

import gzip

import pytest
from django.urls import reverse

from tests import factories
from tests.journal import corpus

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def session_a(manager, store_a):
    walk = factories.SessionFactory(team=store_a, lead=manager)
    walk.start(by=manager)
    return walk


def test_a_page_is_sent_gzipped_to_a_browser_that_accepts_it(client_as, manager, session_a):
    url = reverse("journal:capture", args=[session_a.pk])

    response = client_as(manager).get(url, **GZIP)

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert b"Log an observation" in gzip.decompress(response.content)


def test_a_page_is_sent_plain_to_a_client_that_does_not_ask(client_as, manager, session_a):
    response = client_as(manager).get(reverse("journal:capture", args=[session_a.pk]))

    assert not response.has_header("Content-Encoding")


def test_a_photo_is_sent_as_it_is_stored(client_as, manager, session_a):
    from journal import images

    observation = factories.ObservationFactory(session=session_a, author=manager)
    upload = corpus.upload("till.jpg", corpus.camera_jpeg())
    photo = images.store_photo(upload, manager, observation)

    response = client_as(manager).get(reverse("journal:photo", args=[photo.pk, "original"]), **GZIP)

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"


def test_an_export_is_streamed_gzipped(client_as, cx_lead):
    response = client_as(cx_lead).get(reverse("insights:export-observations"), **GZIP)

    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)).startswith(b"id,created_at")
