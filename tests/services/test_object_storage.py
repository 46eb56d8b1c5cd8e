"""Photos on S3-compatible object storage, for real: a local S3 server (moto in server mode)
holds the bucket, the page stores the original there, a Celery worker reads it back and
writes the renditions, a viewer downloads through a short-lived signed URL, and deleting
the observation removes every object."""

import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from django.urls import reverse

from journal.models import Observation, Photo
from tests import factories
from tests.journal import corpus
from tests.journal.test_capture import capture_url, fields
from tests.services.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)
BUCKET = "immersion-photos"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local-secret"}


@pytest.fixture
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server, monkeypatch, settings):
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", **_keys())
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": S3_BACKEND}}
    settings.AWS_STORAGE_BUCKET_NAME = BUCKET
    settings.AWS_S3_ENDPOINT_URL = s3_server
    settings.AWS_S3_REGION_NAME = "us-east-1"
    return client


S3_BACKEND = "storages.backends.s3.S3Storage"


def _keys() -> dict:
    return {
        "aws_access_key_id": CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    }


def stored_keys(client) -> set[str]:
    listing = client.list_objects_v2(Bucket=BUCKET)
    return {item["Key"] for item in listing.get("Contents", [])}


@pytest.fixture
def worker(celery_worker_factory, s3_server):
    return celery_worker_factory(
        MEDIA_STORAGE_BACKEND=S3_BACKEND,
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=s3_server,
        AWS_S3_REGION_NAME="us-east-1",
        **CREDENTIALS,
    )


@pytest.fixture
def session(store_a, manager):
    walk = factories.SessionFactory(team=store_a, lead=manager)
    walk.start(by=manager)
    return walk


def test_a_captured_photo_lives_in_the_bucket_from_upload_to_deletion(
    bucket, worker, client_as, manager, session
):
    client = client_as(manager)
    upload = corpus.upload("ramp.jpg", corpus.camera_jpeg())

    response = client.post(capture_url(session), fields(photos=[upload]))

    assert response.status_code == 302
    photo = Photo.objects.get()
    assert stored_keys(bucket) == {photo.original.name}
    wait_for(
        lambda: Photo.objects.filter(pk=photo.pk, state=Photo.State.READY).exists(),
        60,
        f"the worker never made the renditions from the bucket:\n{worker.log_tail()}",
    )
    photo.refresh_from_db()
    names = {photo.original.name, photo.display.name, photo.thumbnail.name}
    assert stored_keys(bucket) == names

    served = client.get(reverse("journal:photo", args=[photo.pk, "display"]))
    assert served.status_code == 302
    assert served["Cache-Control"] == "private, no-store"
    signed = served["Location"]
    assert parse_qs(urlsplit(signed).query)["X-Amz-Expires"] == ["300"]
    with urllib.request.urlopen(signed) as answer:  # noqa: S310 - the local server's URL
        assert answer.read(3) == b"\xff\xd8\xff"
    unsigned = signed.split("?", 1)[0]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(unsigned)  # noqa: S310 - the local server's URL
    assert refused.value.code == 403

    observation = Observation.objects.get()
    deleted = client.post(reverse("journal:observation-delete", args=[observation.pk]))
    assert deleted.status_code == 302
    assert stored_keys(bucket) == set()


def test_a_viewer_outside_the_team_gets_no_signed_url(bucket, worker, client_as, manager, session):
    client_as(manager).post(
        capture_url(session), fields(photos=[corpus.upload("till.jpg", corpus.camera_jpeg())])
    )
    photo = Photo.objects.get()
    stranger = factories.UserFactory()

    response = client_as(stranger).get(reverse("journal:photo", args=[photo.pk, "original"]))

    assert response.status_code == 404
    assert "Location" not in response
