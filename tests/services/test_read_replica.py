"""The read replica, for real: gunicorn with ``DATABASE_REPLICA_URL`` naming a copy of the
database that refuses writes. The dashboard, the exports and the public page read the
copy (a row added to the primary after the copy is not in the export); signing in and
capturing write to the primary and never to the copy; a replica that does not answer
leaves the pages reading the primary."""

import subprocess
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.db import connection

from journal.models import Observation
from tests import factories
from tests.journal.test_capture import fields
from tests.services.conftest import _test_database_url
from tests.services.web import Browser, Gunicorn, free_port, production_env

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(transactional_db):
    store = factories.TeamFactory(name="Store A", parent=factories.RegionFactory())
    manager = factories.ManagerFactory(username="floor_manager", teams=[store])
    lead = factories.CxLeadFactory(username="cx_lead", teams=[store.parent])
    walk = factories.SessionFactory(team=store, lead=manager)
    walk.start(by=manager)
    factories.ObservationFactory(session=walk, author=manager, what_happened="Copied across")
    return manager, lead, walk


def admin_connection():
    parts = urlsplit(_test_database_url())
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


@pytest.fixture
def replica_url(people):
    """A copy of the test database as it is now, that refuses every write."""
    primary = connection.settings_dict["NAME"]
    copy = f"{primary}_replica"
    with admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        admin.execute(f'CREATE DATABASE "{copy}"')
    url = urlunsplit(urlsplit(_test_database_url())._replace(path="/" + copy))
    dump = subprocess.run(  # noqa: S603 - PostgreSQL's own tools on the test's database
        ["/usr/bin/pg_dump", "--no-owner", "--dbname", _test_database_url()],
        check=True,
        capture_output=True,
        timeout=120,
    )
    subprocess.run(  # noqa: S603 - PostgreSQL's own tools on the test's database
        ["/usr/bin/psql", "--quiet", "--set", "ON_ERROR_STOP=1", "--dbname", url],
        input=dump.stdout,
        check=True,
        capture_output=True,
        timeout=120,
    )
    with admin_connection() as admin:
        admin.execute(f'ALTER DATABASE "{copy}" SET default_transaction_read_only = on')
    yield url
    with admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


def site_with_replica(url: str, static_root, log_dir) -> Gunicorn:
    env = production_env(_test_database_url(), static_root, DATABASE_REPLICA_URL=url)
    return Gunicorn(env, log_dir, workers=2).start()


@pytest.fixture
def site(replica_url, static_root, tmp_path):
    server = site_with_replica(replica_url, static_root, tmp_path)
    yield server
    server.stop()


def count_on(url: str, text: str) -> int:
    with psycopg.connect(url) as replica:
        return replica.execute(
            "SELECT count(*) FROM journal_observation WHERE what_happened = %s", [text]
        ).fetchone()[0]


def test_the_heavy_reads_come_from_the_replica_and_every_write_goes_to_the_primary(
    site, replica_url, people
):
    manager, _, walk = people
    factories.ObservationFactory(session=walk, author=manager, what_happened="Primary only")
    browser = Browser(site)
    browser.sign_in("cx_lead")

    export = browser.get("/insights/observations/export.csv")
    for page in ("/insights/dashboard/", "/insights/you-said-we-did/"):
        assert browser.get(page).status == 200, site.log_tail()

    assert export.status == 200
    assert b"Copied across" in export.body
    assert b"Primary only" not in export.body
    # Read from the primary as every other page is.
    assert b"Primary only" in browser.get("/journal/").body

    field_browser = Browser(site)
    field_browser.sign_in("floor_manager")
    captured = field_browser.post(
        f"/journal/sessions/{walk.pk}/capture/",
        fields(what_happened="Written during the test"),
    )
    assert captured.status == 302, captured.body[:500]
    assert Observation.objects.filter(what_happened="Written during the test").exists()
    assert count_on(replica_url, "Written during the test") == 0


def test_a_replica_that_does_not_answer_leaves_the_pages_on_the_primary(
    people, static_root, tmp_path
):
    nowhere = urlunsplit(
        urlsplit(_test_database_url())._replace(netloc=f"postgres@127.0.0.1:{free_port()}")
    )
    server = site_with_replica(nowhere, static_root, tmp_path)
    try:
        browser = Browser(server)
        browser.sign_in("cx_lead")
        export = browser.get("/insights/observations/export.csv")
        dashboard = browser.get("/insights/dashboard/")
    finally:
        server.stop()

    assert (export.status, dashboard.status) == (200, 200)
    assert b"Copied across" in export.body
