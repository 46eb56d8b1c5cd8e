"""Recording observations through the API: the capture page's rules, photos and idempotence."""

import uuid

import pytest

from journal.models import Observation, Photo
from tests import factories
from tests.journal import corpus
from tests.journal.conftest import start

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(manager, store_a):
    return start(factories.SessionFactory(team=store_a, lead=manager))


def fields(**overrides):
    data = {
        "client_uuid": str(uuid.uuid4()),
        "touchpoint": "store",
        "emotion": "frustrated",
        "intensity": "4",
        "what_happened": "Nobody at the till for five minutes.",
        "kind": "pain_point",
    }
    return {**data, **overrides}


def url(session):
    return f"/api/v1/sessions/{session.pk}/observations/"


def test_the_lead_records_an_observation_with_a_photo(api_as, manager, session):
    data = fields(photos=[corpus.upload("till.jpg", corpus.camera_jpeg())])

    response = api_as(manager).post(url(session), data)

    assert response.status_code == 201
    observation = Observation.objects.get()
    assert response.json()["id"] == observation.pk
    assert Photo.objects.filter(observation=observation).count() == 1


def test_a_retried_post_returns_the_first_and_stores_nothing_more(api_as, manager, session):
    client, data = api_as(manager), fields()
    client.post(url(session), data)

    again = client.post(url(session), data)

    assert again.status_code == 200
    assert Observation.objects.count() == 1


def test_json_without_photos_is_accepted(api_as, manager, session):
    response = api_as(manager).post(url(session), fields(), content_type="application/json")

    assert response.status_code == 201


def test_bad_input_is_400_with_the_fields_messages_and_nothing_stored(api_as, manager, session):
    data = fields(emotion="", photos=[corpus.upload("x.jpg", b"not an image")])

    response = api_as(manager).post(url(session), data)

    assert response.status_code == 400
    assert response.json()["emotion"] == ["Choose how the customer would feel."]
    assert "photos" in response.json()
    assert not Observation.objects.exists()
    assert not Photo.objects.exists()


def test_a_planned_session_is_closed_for_observations_409(api_as, manager, store_a):
    planned = factories.SessionFactory(team=store_a, lead=manager)

    response = api_as(manager).post(url(planned), fields())

    assert response.status_code == 409
    assert response.json()["detail"] == "This session is closed for new observations."
    assert not Observation.objects.exists()


# Capturing: the session's participants; readers get 403, everyone else 404.
CAPTURE = {"manager": 201, "cx_lead": 403, "executive": 403, "other_manager": 404, "owner": 404}


@pytest.mark.parametrize(("who", "expected"), CAPTURE.items())
def test_each_role_may_record_or_not(api_as, cast, session, who, expected):
    response = api_as(cast[who]).post(url(session), fields())

    assert response.status_code == expected
    assert Observation.objects.exists() == (expected == 201)


@pytest.fixture
def photo(api_as, manager, session):
    data = fields(photos=[corpus.upload("till.jpg", corpus.camera_jpeg())])
    api_as(manager).post(url(session), data)
    return Photo.objects.get()


@pytest.mark.parametrize(("who", "expected"), [("cx_lead", 200), ("other_manager", 404)])
def test_photo_metadata_is_for_those_who_see_its_observation(api_as, cast, photo, who, expected):
    response = api_as(cast[who]).get(f"/api/v1/photos/{photo.pk}/")

    assert response.status_code == expected


@pytest.mark.parametrize(("who", "expected"), [("executive", 200), ("other_manager", 404)])
def test_the_photo_file_is_for_those_who_see_its_observation(api_as, cast, photo, who, expected):
    response = api_as(cast[who]).get(f"/api/v1/photos/{photo.pk}/original/")

    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "image/jpeg"


def test_an_unknown_photo_size_is_404(api_as, manager, photo):
    assert api_as(manager).get(f"/api/v1/photos/{photo.pk}/huge/").status_code == 404
