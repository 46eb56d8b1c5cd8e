"""The API at two data sizes, and what recording an observation through it costs.

1. Each list endpoint's queries for one page, with a small and a ten times larger data
   set: they must not grow with the data.
2. A text observation recorded through the API (token, JSON) against the same recorded
   through the capture page (signed-in browser, form post), one user, same process and
   database: median times and their ratio.

Run: make bench BENCH_ARGS="--only api"
(with DATABASE_URL naming PostgreSQL for the production figure)
"""

import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.bench._databases import throwaway_database
from tests.bench.capture_post import median_ms

LISTS = [
    "/api/v1/teams/",
    "/api/v1/sessions/",
    "/api/v1/observations/",
    "/api/v1/actions/",
    "/api/v1/programmes/",
    "/api/v1/themes/",
    "/api/v1/dashboard/headline/",
]
ROUNDS = 200
WARM_UP = 20


def add_arguments(parser) -> None:
    parser.add_argument_group("api")


def grow(factories, team, lead, owner, themes, count: int) -> None:
    for _ in range(count):
        session = factories.SessionFactory(team=team, lead=lead)
        observation = factories.ObservationFactory(session=session, author=lead)
        action = factories.ActionFactory(team=team, owner=owner, observations=[observation])
        action.themes.add(*themes)


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(url)
    assert answer.status_code == 200, (url, answer.status_code)
    return len(captured)


def run(args) -> None:
    from django.test import Client

    from immersion.models import ApiToken
    from tests import factories
    from tests.journal.test_capture import fields

    with throwaway_database("bench_api"):
        region = factories.RegionFactory(name="Bench region")
        team = factories.TeamFactory(name="Bench store", parent=region)
        lead = factories.CxLeadFactory(teams=[region])
        manager = factories.ManagerFactory(teams=[team])
        themes = factories.ThemeFactory.create_batch(2)
        _, token = ApiToken.issue(lead, "bench")
        reader = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

        grow(factories, team, manager, lead, themes, 5)
        # The token's first use of the minute records it; that write is not the list's.
        reader.get(LISTS[0])
        small = {url: queries(reader, url) for url in LISTS}
        grow(factories, team, manager, lead, themes, 45)
        large = {url: queries(reader, url) for url in LISTS}

        session = factories.SessionFactory(team=team, lead=manager)
        session.start(by=manager)
        _, token = ApiToken.issue(manager, "bench")
        api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        browser = Client()
        browser.force_login(manager)
        through_api = f"/api/v1/sessions/{session.pk}/observations/"
        through_page = f"/journal/sessions/{session.pk}/capture/"

        def api_post():
            body = fields(client_uuid=str(uuid.uuid4()))
            answer = api.post(through_api, body)
            assert answer.status_code == 201, answer.content

        def page_post():
            answer = browser.post(through_page, fields(client_uuid=str(uuid.uuid4())))
            assert answer.status_code == 302, answer.status_code

        for _ in range(WARM_UP):
            api_post()
            page_post()
        api_ms = median_ms(api_post, ROUNDS)
        page_ms = median_ms(page_post, ROUNDS)

    print(f"database: {connection.vendor}")
    print("queries per list page, with 5 and with 50 actions, sessions and observations:")
    for url in LISTS:
        verdict = "constant" if small[url] == large[url] else "CHANGES"
        print(f"  {url:32} {small[url]:3d} {large[url]:3d}  {verdict}")
    print(f"observation recorded, {ROUNDS} rounds each, medians:")
    print(f"  through the API      {api_ms:6.1f} ms")
    print(f"  through the page     {page_ms:6.1f} ms")
    print(f"ratio API / page: {api_ms / page_ms:.2f}x")
