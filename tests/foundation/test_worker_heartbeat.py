"""Workers write a heartbeat; /health/ reports it in one query and never fails on it.

tests/services/test_worker_heartbeat.py proves the same with real worker processes.
"""

import datetime as dt

import pytest
import time_machine
from django.db import OperationalError

from immersion.celery import app as celery_app
from immersion.heartbeat import Heartbeat, record_heartbeat
from immersion.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def workers_expected():
    """Tasks go to workers (the in-memory broker answers the broker check at once)."""
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = True


def beat(hostname: str, seconds_ago: float) -> None:
    WorkerHeartbeat.objects.create(
        hostname=hostname, beat_at=NOW - dt.timedelta(seconds=seconds_ago)
    )


@time_machine.travel(NOW, tick=False)
def test_a_worker_that_beat_lately_is_reported_answering(client, workers_expected, settings):
    settings.WORKER_HEARTBEAT_SECONDS = 30
    beat("celery@web-1", seconds_ago=80)
    beat("celery@web-2", seconds_ago=600)

    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json()["worker"] == {
        "status": "ok",
        "answering": 1,
        "last_heartbeat": "2026-03-02T08:58:40Z",
    }


@time_machine.travel(NOW, tick=False)
def test_a_stale_heartbeat_is_reported_but_leaves_the_site_in_service(
    client, workers_expected, settings
):
    settings.WORKER_HEARTBEAT_SECONDS = 30
    beat("celery@web-1", seconds_ago=91)

    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["worker"] == {
        "status": "stale",
        "answering": 0,
        "last_heartbeat": "2026-03-02T08:58:29Z",
    }


def test_no_worker_ever_seen_is_stale_without_a_time(client, workers_expected):
    response = client.get("/health/")

    assert response.json()["worker"] == {"status": "stale", "answering": 0, "last_heartbeat": None}


def test_in_process_tasks_need_no_worker(client):
    response = client.get("/health/")

    assert response.json()["worker"]["status"] == "not applicable"


def test_health_reads_the_heartbeats_in_one_query(
    client, workers_expected, django_assert_num_queries
):
    beat("celery@web-1", seconds_ago=1)

    # SELECT 1 for the database check, then the heartbeats' count and newest time.
    with django_assert_num_queries(2):
        client.get("/health/")


def test_a_heartbeat_rewrites_the_same_row_for_the_same_worker():
    with time_machine.travel(NOW, tick=False):
        record_heartbeat("celery@web-1")
    with time_machine.travel(NOW + dt.timedelta(seconds=30), tick=False):
        record_heartbeat("celery@web-1")

    assert list(WorkerHeartbeat.objects.values_list("hostname", "beat_at")) == [
        ("celery@web-1", NOW + dt.timedelta(seconds=30))
    ]


class StoppedTimer:
    """The worker's timer, as far as the step uses it: remembers what it was asked to repeat."""

    def __init__(self):
        self.repeating = []

    def call_repeatedly(self, seconds, callback):
        self.repeating.append((seconds, callback))
        return self

    def cancel(self):
        self.repeating.clear()


class ConsumerStandIn:
    hostname = "celery@web-1"

    def __init__(self):
        self.timer = StoppedTimer()


# The step runs in the worker's main process, outside any transaction, and closes its
# connection after each write: these tests commit as it does.
@pytest.mark.django_db(transaction=True)
def test_the_worker_step_beats_at_start_forgets_departed_workers_and_repeats(settings):
    settings.WORKER_HEARTBEAT_SECONDS = 15
    beat("celery@gone", seconds_ago=2 * 24 * 3600)
    consumer = ConsumerStandIn()
    step = Heartbeat(consumer)

    step.start(consumer)

    assert list(WorkerHeartbeat.objects.values_list("hostname", flat=True)) == ["celery@web-1"]
    assert consumer.timer.repeating == [(15, step.beat)]
    step.stop(consumer)
    assert consumer.timer.repeating == []


@pytest.mark.django_db(transaction=True)
def test_a_refused_heartbeat_write_is_logged_and_the_worker_carries_on(monkeypatch, caplog):
    def refuse(hostname):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr("immersion.heartbeat.record_heartbeat", refuse)

    Heartbeat(ConsumerStandIn()).beat()

    assert "Could not write the worker heartbeat" in caplog.text
