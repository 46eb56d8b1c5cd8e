"""A Redis cache that refuses connections slows nothing and breaks nothing, but /health/ says so.

The cache is the product's own django-redis configuration pointed at a loopback port
where nothing listens: every cache call meets a real refused connection.
tests/services/test_cache_and_sessions.py does the same against a Redis server that is
stopped while people use the site.
"""

import socket

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def refused_cache():
    """The Redis cache as settings.py builds it, at an address that refuses connections."""
    dead = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.1},
        }
    }
    engine = "django.contrib.sessions.backends.cached_db"
    with override_settings(CACHES=dead, SESSION_ENGINE=engine):
        yield


def test_a_signed_in_manager_stays_signed_in(client_as, manager, refused_cache):
    client = client_as(manager)

    response = client.get("/")

    assert response.status_code == 200
    assert response.context["user"] == manager


def test_signing_in_works(client, manager, refused_cache):
    response = client.post(
        "/accounts/login/", {"username": "manager", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain == [("/", 302)]
    assert response.context["user"] == manager


def test_signing_out_still_signs_out(client_as, manager, refused_cache):
    client = client_as(manager)

    client.post("/accounts/logout/")

    assert client.get("/").status_code == 302


def test_the_public_page_is_computed_afresh(client, db, refused_cache):
    response = client.get("/insights/you-said-we-did/")

    assert response.status_code == 200
    assert b"You said" in response.content


def test_health_names_the_cache_while_the_rest_answers(client, refused_cache):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"] == {"database": "ok", "cache": "failing", "broker": "ok"}
