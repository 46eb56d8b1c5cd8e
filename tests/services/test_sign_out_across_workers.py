"""Signing out signs out everywhere when gunicorn runs several worker processes.

Production on the default per-process cache keeps sessions in the database only; a
session cached in each worker's own memory would outlive the sign-out in the others.
"""

import itertools
import secrets

import pytest

from tests import factories
from tests.services.conftest import _test_database_url, wait_for
from tests.services.web import Browser, Gunicorn, production_env

pytestmark = pytest.mark.django_db(transaction=True)

# Requests each worker process must have answered before a test trusts what it saw.
ANSWERS_PER_WORKER = 5


@pytest.fixture
def two_workers(static_root, tmp_path, transactional_db):
    """gunicorn --workers 2 in production, on the default local-memory cache."""
    server = Gunicorn(production_env(_test_database_url(), static_root), tmp_path, workers=2)
    server.start()
    yield server
    server.stop()


def ask_until_every_worker_answered(server: Gunicorn, browser: Browser, path: str) -> list:
    """GET path (made unique per request) until each worker answered it several times.

    Returns (worker pid, status, location) per request.
    """
    numbers = itertools.count()
    round_name = secrets.token_hex(4)
    sent: list[str] = []

    def every_worker_answered_enough():
        probe = f"{path}?probe={round_name}-{next(numbers)}"
        sent.append(probe)
        browser.get(probe)
        pids = [pid for pid, _, _, logged in server.answered() if logged in sent]
        counts = [pids.count(pid) for pid in set(pids)]
        return len(counts) == server.workers and min(counts) >= ANSWERS_PER_WORKER

    wait_for(every_worker_answered_enough, 60, "not every gunicorn worker answered", interval=0)
    return [(pid, status, logged) for pid, status, _, logged in server.answered() if logged in sent]


def test_an_old_cookie_gets_the_sign_in_page_from_every_worker_after_sign_out(two_workers):
    factories.ManagerFactory(username="floor_manager")
    browser = Browser(two_workers)
    browser.sign_in("floor_manager")
    signed_in = ask_until_every_worker_answered(two_workers, browser, "/")
    assert {status for _, status, _ in signed_in} == {200}
    old_cookie = dict(browser.cookies)

    assert browser.post("/accounts/logout/", {}).status == 302
    replay = Browser(two_workers, cookies=old_cookie)
    after = ask_until_every_worker_answered(two_workers, replay, "/")

    assert len({pid for pid, _, _ in after}) == 2
    assert {status for _, status, _ in after} == {302}
    assert replay.get("/").location.startswith("/accounts/login/")
