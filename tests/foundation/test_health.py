import pytest
from django.db import OperationalError

from immersion.celery import app as celery_app
from immersion.views import site as views

pytestmark = pytest.mark.django_db

ALL_OK = {"database": "ok", "cache": "ok", "broker": "ok"}


class BrokenConnection:
    def cursor(self):
        raise OperationalError("connection to server was lost")


def test_health_is_ok_when_everything_answers(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": ALL_OK,
        "worker": {"status": "not applicable", "detail": "tasks run in the web process"},
    }


def test_health_is_never_cached(client):
    response = client.get("/health/")

    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_health_is_503_when_the_database_is_down(client, monkeypatch):
    monkeypatch.setattr(views, "connection", BrokenConnection())

    response = client.get("/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing"
    assert body["checks"] == {**ALL_OK, "database": "failing: OperationalError"}


class RefusingCache:
    def set(self, *args, **kwargs):
        raise ConnectionError("cache refused the connection")

    def get(self, *args, **kwargs):
        raise ConnectionError("cache refused the connection")


class ForgetfulCache:
    def set(self, *args, **kwargs):
        pass

    def get(self, *args, **kwargs):
        return None


def test_health_reports_a_cache_that_is_down_without_taking_the_server_out(client, monkeypatch):
    monkeypatch.setattr(views, "cache", RefusingCache())

    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"] == {**ALL_OK, "cache": "failing: ConnectionError"}


def test_health_says_degraded_when_the_cache_loses_what_it_was_given(client, monkeypatch):
    monkeypatch.setattr(views, "cache", ForgetfulCache())

    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["cache"] == "failing"


@pytest.fixture
def unreachable_broker(monkeypatch):
    # Port 9 (discard) has nothing listening here: a real refused connection. Celery
    # prefers the environment variable to its configuration, so both change.
    dead = "redis://127.0.0.1:9/0"
    monkeypatch.setenv("CELERY_BROKER_URL", dead)
    conf = celery_app.conf
    saved = {key: conf[key] for key in ("task_always_eager", "broker_url", "broker_write_url")}
    conf.update(task_always_eager=False, broker_url=dead, broker_write_url=None)
    yield
    conf.update(saved)


def test_health_says_degraded_when_the_broker_does_not_answer(client, unreachable_broker):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["broker"].startswith("failing: ")


def test_health_answers_only_reads(client):
    response = client.post("/health/")

    assert response.status_code == 405
