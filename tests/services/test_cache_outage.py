"""The Redis cache dies under a running site: nobody notices but /health/.

gunicorn runs in production with two workers on a Redis server of the test's own,
which the test kills (the shared Redis is never touched). Sessions then come from the
database and cached pages are computed afresh; no request answers 500.
"""

import socket
import uuid

import pytest

from journal.models import Observation
from tests import factories
from tests.services.conftest import _test_database_url, wait_for
from tests.services.web import (
    Browser,
    Gunicorn,
    ThrowawayRedis,
    production_env,
)

pytestmark = pytest.mark.django_db(transaction=True)

# What one request may cost while the cache is gone, in seconds: the cache's short
# timeouts, not the 30 s of a worker timing out.
HUNG_CACHE_BUDGET = 1.0


@pytest.fixture
def cache_server(tmp_path):
    server = ThrowawayRedis(tmp_path).start()
    yield server
    server.kill()


def site_on(cache_url: str, static_root, log_dir) -> Gunicorn:
    env = production_env(_test_database_url(), static_root, CACHE_URL=cache_url)
    return Gunicorn(env, log_dir, workers=2).start()


@pytest.fixture
def site(cache_server, static_root, tmp_path, transactional_db):
    server = site_on(cache_server.url.replace("redis://", "rediscache://"), static_root, tmp_path)
    yield server
    server.stop()


@pytest.fixture
def floor_manager(transactional_db):
    store = factories.TeamFactory(name="Store A", parent=factories.RegionFactory())
    return factories.ManagerFactory(username="floor_manager", teams=[store])


@pytest.fixture
def walk(floor_manager):
    session = factories.SessionFactory(team=floor_manager.teams.get(), lead=floor_manager)
    session.start(by=floor_manager)
    return session


def signed_in(site: Gunicorn) -> Browser:
    browser = Browser(site)
    browser.sign_in("floor_manager")
    return browser


def test_a_signed_in_manager_stays_signed_in_when_the_cache_dies(site, cache_server, floor_manager):
    name = floor_manager.get_short_name()
    browser = signed_in(site)
    assert browser.get("/").status == 200

    cache_server.kill()
    replies = [browser.get("/") for _ in range(10)]

    assert {reply.status for reply in replies} == {200}
    account = f'Account menu for </span><span class="account-name text-truncate">{name}'
    assert all(account.encode() in reply.body for reply in replies)


def test_signing_in_works_while_the_cache_is_down(site, cache_server, floor_manager):
    cache_server.kill()

    browser = signed_in(site)

    assert browser.get("/").status == 200


def test_an_observation_is_captured_while_the_cache_is_down(site, cache_server, walk):
    browser = signed_in(site)
    cache_server.kill()
    capture = f"/journal/sessions/{walk.pk}/capture/"

    page = browser.get(capture)
    saved = browser.post(
        capture,
        {
            "client_uuid": str(uuid.uuid4()),
            "touchpoint": "signage",
            "emotion": "confused",
            "intensity": "3",
            "what_happened": "The sign to the lift pointed at the stairs.",
            "kind": "pain_point",
            "impact": "medium",
            "journey_stage": "use",
        },
    )

    assert page.status == 200
    assert saved.status == 302, saved.body[:500]
    assert Observation.objects.filter(session=walk).count() == 1


def test_the_public_page_is_computed_afresh_while_the_cache_is_down(site, cache_server):
    anonymous = Browser(site)
    assert anonymous.get("/insights/you-said-we-did/").status == 200

    cache_server.kill()
    replies = [anonymous.get("/insights/you-said-we-did/") for _ in range(6)]

    assert {reply.status for reply in replies} == {200}


def test_signing_out_while_the_cache_is_down_signs_out(site, cache_server, floor_manager):
    browser = signed_in(site)
    old_cookie = dict(browser.cookies)
    cache_server.kill()

    assert browser.post("/accounts/logout/", {}).status == 302
    replay = Browser(site, cookies=old_cookie)

    assert {replay.get("/").status for _ in range(6)} == {302}


def test_health_names_the_cache_until_it_is_back(site, cache_server):
    probe = Browser(site)
    assert probe.get("/health/").status == 200

    cache_server.kill()
    down = probe.get("/health/")
    cache_server.start()
    back = wait_for(
        lambda: (
            (reply := probe.get("/health/")).status == 200
            and b'"status": "ok"' in reply.body
            and reply
        ),
        30,
        "/health/ never saw the cache come back",
    )

    assert down.status == 200
    assert b'"status": "degraded"' in down.body
    assert b'"cache": "failing"' in down.body
    assert b'"database": "ok"' in down.body
    assert back.status == 200


@pytest.fixture
def hung_cache():
    """An address that accepts connections and never answers, like a Redis stuck in a fork."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1024)
        yield f"rediscache://127.0.0.1:{listener.getsockname()[1]}/0"


def test_a_cache_that_never_answers_costs_a_fraction_of_a_second(
    hung_cache, static_root, tmp_path, floor_manager
):
    site = site_on(hung_cache, static_root, tmp_path)
    try:
        browser = signed_in(site)
        replies = [browser.get("/") for _ in range(4)]
        replies += [Browser(site).get("/insights/you-said-we-did/") for _ in range(4)]
    finally:
        site.stop()

    assert {reply.status for reply in replies} == {200}
    slowest = max(reply.seconds for reply in replies)
    assert slowest < HUNG_CACHE_BUDGET, f"a request took {slowest:.2f} s"
