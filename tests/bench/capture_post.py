"""What a capture post costs against a trivial signed-in page, on the same server.

One manager, signed in, posts text-only observations (each with a fresh client UUID) to
the capture page and opens the "Waiting to upload" page, a page that reads nothing but
who is signed in, through Django's handler in this process, on a throw-away database of
the configured engine, one of each in turn. Prints the median time of each, their
queries, and the median of the pairs' ratios.
Goal: a capture post costs at most 3x the trivial page.

Run: make bench BENCH_ARGS="--only capture_post"
(with DATABASE_URL naming PostgreSQL and CELERY_BROKER_URL naming Redis for the
production figure: without a broker, tasks run eagerly inside the request, so the post
also pays for the dashboard summary's refresh that a worker does in production)
"""

import statistics
import time
import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.bench._databases import throwaway_database

ROUNDS = 200
WARM_UP = 20


def add_arguments(parser) -> None:
    parser.add_argument_group("capture_post")


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def median_ms(call, rounds: int) -> float:
    return statistics.median(timed(call) for _ in range(rounds)) * 1000


def paired_ms(post, page, rounds: int) -> tuple[float, float, float]:
    """Medians of each and of their ratio, a post and a page in turn: on a shared machine
    a busy moment then weighs on both sides of a ratio instead of on one of them."""
    pairs = [(timed(post), timed(page)) for _ in range(rounds)]
    return (
        statistics.median(posted for posted, _ in pairs) * 1000,
        statistics.median(opened for _, opened in pairs) * 1000,
        statistics.median(posted / opened for posted, opened in pairs),
    )


def run(args) -> None:
    from django.test import Client

    from tests import factories
    from tests.journal.test_capture import fields

    with throwaway_database("bench_post"):
        team = factories.TeamFactory(name="Bench store", kind="store")
        manager = factories.ManagerFactory(teams=[team])
        session = factories.SessionFactory(team=team, lead=manager)
        session.start(by=manager)
        client = Client()
        client.force_login(manager)
        capture = f"/journal/sessions/{session.pk}/capture/"
        trivial = "/journal/outbox/"

        def post():
            answer = client.post(capture, fields(client_uuid=str(uuid.uuid4())))
            assert answer.status_code == 302, answer.status_code

        def page():
            assert client.get(trivial).status_code == 200

        for _ in range(WARM_UP):
            post()
            page()
        with CaptureQueriesContext(connection) as posted:
            post()
        with CaptureQueriesContext(connection) as opened:
            page()
        # Counted now: the query log goes with the throw-away database.
        post_queries, page_queries = len(posted), len(opened)
        post_ms, page_ms, ratio = paired_ms(post, page, ROUNDS)

    from immersion.celery import app

    tasks = "run in the request (no broker)" if app.conf.task_always_eager else "queued"
    print(f"database: {connection.vendor}, tasks {tasks}, {ROUNDS} rounds each, medians")
    print(f"  capture post (text)   {post_ms:6.1f} ms  {post_queries:2d} queries")
    print(f"  trivial signed-in page {page_ms:5.1f} ms  {page_queries:2d} queries")
    print(f"ratio (median of each pair's): {ratio:.2f}x (goal <= 3x)")
