"""Shared fixtures: a temporary media folder and the cast of users every view is tested as.

The cast lives in one region with two stores:
  manager        a manager in store A
  other_manager  a manager in store B (another team: must not see store A's things)
  cx_lead        the CX lead of the region
  executive      an executive of the region (reads, never changes)
  owner          an action owner in store A with no role group
  staff          a superuser in no team (not part of `cast`), for the admin site
"""

import os

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test import override_settings

from tests import factories


def services_required() -> bool:
    """CI sets REQUIRE_SERVICES=1: a missing service or browser is then a failure, not a skip."""
    return os.environ.get("REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}


def skip_or_fail(reason: str) -> None:
    if services_required():
        pytest.fail(f"{reason} (REQUIRE_SERVICES is set, so this cannot be skipped)")
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing():
    with override_settings(PASSWORD_HASHERS=["tests.hashers.FastArgon2PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _role_groups_survive_flushes(request):
    """Put back the role groups that a transactional test's flush removed.

    They come from a data migration, and pytest-django empties every table after a
    transactional test (browser, services), so the next one would find no roles.
    """
    marker = request.node.get_closest_marker("django_db")
    if (
        "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
        or (marker is not None and marker.kwargs.get("transaction"))
    ):
        request.getfixturevalue("transactional_db")
        from django.contrib.auth.models import Group

        from immersion.models import Role

        for role in Role:
            Group.objects.get_or_create(name=role.label)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media", "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def _celery_runs_in_process_outside_services(request):
    """Tasks run eagerly in every test but the services suite, whatever CELERY_BROKER_URL says.

    A unit test then behaves the same on a laptop and in CI (where a broker is set), and
    the real broker and worker path is proven where it belongs: in tests/services.
    """
    from immersion.celery import app as celery_app

    if request.node.get_closest_marker("services"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _empty_cache_per_test(request, settings):
    """Each test starts with an empty cache: local memory, except in the services suite.

    With CACHE_URL pointing at Redis (as in CI) a shared cache would carry pages from
    one test into the next, and its expiry would ignore time_machine.
    """
    from django.core.cache import cache

    if not request.node.get_closest_marker("services"):
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "tests",
            }
        }
    cache.clear()
    yield
    cache.clear()


class OneRequestAtATimeServer(WSGIServer):
    """The live server for an in-memory SQLite database, whose one connection every request shares.

    Two requests at once on that connection can deadlock: one holding SQLite's lock and
    waiting for the GIL (in a function written in Python, as an aggregate once was), the other
    holding the GIL and waiting for SQLite's lock. Serving requests one by one, each connection
    closed after its response, is what a shared connection can bear.
    """

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, started with a media prefix it can live with.

    Photos are private, so MEDIA_URL is None and no URL serves media. Django's live
    server thread still wants a prefix to tell media requests apart; it gets one that
    nothing links to, only while the thread builds its handlers.
    """
    from pytest_django.live_server_helper import LiveServer

    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    if server.thread.connections_override:
        server.thread.server_class = OneRequestAtATimeServer
    with override_settings(MEDIA_URL="/media-is-not-served-here/"):
        server.start()
    yield server
    server.stop()


@pytest.fixture
def region(db):
    return factories.RegionFactory(name="North")


@pytest.fixture
def store_a(region):
    return factories.TeamFactory(name="Store A", parent=region)


@pytest.fixture
def store_b(region):
    return factories.TeamFactory(name="Store B", parent=region)


@pytest.fixture
def manager(store_a):
    return factories.ManagerFactory(username="manager", teams=[store_a])


@pytest.fixture
def other_manager(store_b):
    return factories.ManagerFactory(username="other_manager", teams=[store_b])


@pytest.fixture
def cx_lead(region):
    return factories.CxLeadFactory(username="cx_lead", teams=[region])


@pytest.fixture
def executive(region):
    return factories.ExecutiveFactory(username="executive", teams=[region])


@pytest.fixture
def owner(store_a):
    return factories.UserFactory(username="owner", teams=[store_a])


@pytest.fixture
def staff(db):
    """A superuser in no team, for the admin site."""
    return factories.UserFactory(username="staff", is_staff=True, is_superuser=True)


@pytest.fixture
def cast(manager, other_manager, cx_lead, executive, owner):
    return {
        "manager": manager,
        "other_manager": other_manager,
        "cx_lead": cx_lead,
        "executive": executive,
        "owner": owner,
        "anonymous": None,
    }


@pytest.fixture
def client_as(client):
    """client_as(user) -> the test client signed in as that user (None stays anonymous)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in
