"""Where sessions live, how long they last, and a cache whose failures are only misses.

Settings are read in a fresh process with a clean environment, as a server starts.
"""

import pytest
from django.test import override_settings

from tests.foundation.test_settings import effective, manage, production

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"

SESSION_PROBE = """
from django.conf import settings
result = {
    "cache": settings.CACHES["default"],
    "engine": settings.SESSION_ENGINE,
    "age": settings.SESSION_COOKIE_AGE,
    "at_browser_close": settings.SESSION_EXPIRE_AT_BROWSER_CLOSE,
}
"""
DATABASE_SESSIONS = "django.contrib.sessions.backends.db"
CACHED_SESSIONS = "django.contrib.sessions.backends.cached_db"


def test_production_on_the_per_process_cache_keeps_sessions_in_the_database_only():
    result = effective(SESSION_PROBE, **production())

    assert result["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert result["engine"] == DATABASE_SESSIONS


def test_the_single_development_process_may_keep_sessions_in_its_own_cache():
    result = effective(SESSION_PROBE, DEBUG="true")

    assert result["engine"] == CACHED_SESSIONS


def test_a_redis_cache_url_gets_a_backend_that_reads_failures_as_misses_quickly():
    result = effective(
        SESSION_PROBE, **production(CACHE_URL="rediscache://cache.example.com:6379/1")
    )

    assert result["cache"] == {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://cache.example.com:6379/1",
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.1,
            "SOCKET_TIMEOUT": 0.1,
        },
    }
    assert result["engine"] == CACHED_SESSIONS


def test_timeouts_given_in_the_cache_url_win_over_the_defaults():
    url = "rediscache://cache.example.com:6379/1?socket_timeout=0.5&socket_connect_timeout=0.3"

    result = effective(SESSION_PROBE, **production(CACHE_URL=url))

    assert result["cache"]["OPTIONS"]["SOCKET_TIMEOUT"] == 0.5
    assert result["cache"]["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] == 0.3


def test_sessions_last_a_working_day_and_survive_closing_the_browser_by_default():
    result = effective(SESSION_PROBE, **production())

    assert result["age"] == 12 * 3600
    assert result["at_browser_close"] is False


def test_session_age_and_expiry_at_browser_close_come_from_the_environment():
    env = production(SESSION_AGE_HOURS="2", SESSION_EXPIRE_AT_BROWSER_CLOSE="true")

    result = effective(SESSION_PROBE, **env)

    assert result["age"] == 2 * 3600
    assert result["at_browser_close"] is True


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SESSION_AGE_HOURS", "0"),
        ("SESSION_AGE_HOURS", "a day"),
        ("SESSION_EXPIRE_AT_BROWSER_CLOSE", "soon"),
    ],
)
def test_a_malformed_session_setting_stops_start_up_naming_it(name, value):
    result = manage("check", **production(**{name: value}))

    assert result.returncode != 0
    assert name in result.stderr.strip().splitlines()[-1]


def test_the_session_cookie_lasts_the_configured_age(client, manager):
    with override_settings(SESSION_COOKIE_AGE=7200):
        client.post("/accounts/login/", {"username": "manager", "password": PASSWORD})

    assert client.cookies["sessionid"]["max-age"] == 7200


def test_the_session_cookie_can_end_with_the_browser(client, manager):
    with override_settings(SESSION_EXPIRE_AT_BROWSER_CLOSE=True):
        client.post("/accounts/login/", {"username": "manager", "password": PASSWORD})

    cookie = client.cookies["sessionid"]
    assert cookie.value
    assert (cookie["max-age"], cookie["expires"]) == ("", "")
