"""Real worker processes write their heartbeat; /health/ reports it and stays 200 without them."""

import os

import pytest

from immersion.models import WorkerHeartbeat
from tests.services.conftest import REPO, CeleryWorker, _test_database_url, wait_for
from tests.services.web import ThrowawayRedis

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


def worker_status(client) -> str:
    return client.get("/health/").json()["worker"]["status"]


class WorkerOnItsOwnBroker(CeleryWorker):
    """Ready once it beats: this test process cannot ping a worker on another broker."""

    def _answers_ping(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"Celery worker exited with {self.process.returncode}:\n{self.log_tail()}")
        return WorkerHeartbeat.objects.filter(hostname=self.hostname).exists()


@pytest.fixture
def broker_of_its_own(tmp_path):
    broker = ThrowawayRedis(tmp_path).start()
    yield broker
    broker.kill()


@pytest.fixture
def worker_on_its_own_broker(broker_of_its_own, quick_heartbeats, tmp_path, transactional_db):
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "PYTHONPATH": str(REPO),
        "DJANGO_SETTINGS_MODULE": "immersion.settings",
        "CELERY_BROKER_URL": broker_of_its_own.url,
        **quick_heartbeats,
    }
    worker = WorkerOnItsOwnBroker(env, tmp_path / "celery-worker.log").start()
    yield worker
    worker.stop()


def test_a_worker_cut_off_from_its_broker_goes_stale_and_beats_again_once_it_is_back(
    client, worker_on_its_own_broker, broker_of_its_own
):
    assert worker_status(client) == "ok"

    broker_of_its_own.kill()
    wait_for(lambda: worker_status(client) == "stale", 15, "the cut-off worker still looked fine")
    broker_of_its_own.start()

    # The worker retries the broker with a growing pause (2 s, 4 s, 6 s, ...).
    wait_for(lambda: worker_status(client) == "ok", 60, "the worker never beat again")
