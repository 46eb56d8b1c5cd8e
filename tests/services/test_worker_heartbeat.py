"""Real worker processes write their heartbeat; /health/ reports it and stays 200 without them."""

import pytest

from immersion.models import WorkerHeartbeat
from tests.services.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

BEAT_SECONDS = 1


@pytest.fixture
def quick_heartbeats(settings):
    settings.WORKER_HEARTBEAT_SECONDS = BEAT_SECONDS
    return {"WORKER_HEARTBEAT_SECONDS": str(BEAT_SECONDS)}


def heartbeat_of(worker):
    return WorkerHeartbeat.objects.filter(hostname=worker.hostname).first()


def test_a_running_worker_beats_again_and_again(celery_worker_factory, quick_heartbeats):
    worker = celery_worker_factory(**quick_heartbeats)
    first = wait_for(lambda: heartbeat_of(worker), 30, "the worker never wrote a heartbeat")

    later = wait_for(
        lambda: (row := heartbeat_of(worker)) and row.beat_at > first.beat_at and row,
        10,
        "the worker wrote one heartbeat and no more",
    )

    assert later.beat_at > first.beat_at


def test_health_reports_a_live_worker_as_answering(client, celery_worker_factory, quick_heartbeats):
    worker = celery_worker_factory(**quick_heartbeats)
    wait_for(lambda: heartbeat_of(worker), 30, "the worker never wrote a heartbeat")

    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json()["worker"]["status"] == "ok"
    assert response.json()["worker"]["answering"] == 1


def test_a_killed_worker_goes_stale_and_the_site_stays_in_service(
    client, celery_worker_factory, quick_heartbeats
):
    worker = celery_worker_factory(**quick_heartbeats)
    wait_for(lambda: heartbeat_of(worker), 30, "the worker never wrote a heartbeat")

    worker.kill()
    # Three missed beats make a heartbeat stale: seconds here, never minutes.
    stale = wait_for(
        lambda: (
            (response := client.get("/health/")).json()["worker"]["status"] == "stale" and response
        ),
        10 * BEAT_SECONDS,
        "/health/ never noticed the killed worker",
    )

    assert stale.status_code == 200
    assert stale.json()["checks"] == {"database": "ok", "cache": "ok", "broker": "ok"}
    assert stale.json()["worker"]["answering"] == 0
