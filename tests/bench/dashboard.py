"""The executive dashboard on a large data set, against hand-written SQL for its figures.

Builds its own database (``<name>_bench_dashboards`` on PostgreSQL when DATABASE_URL
points there, a temporary SQLite file otherwise), fills it (``_dashboard_load``: by COPY
on PostgreSQL with the indexes built afterwards, by set-based ``INSERT ... SELECT``
statements on SQLite), themes and re-visits included, rebuilds the dashboard's summaries
from them as ``manage.py dashboard_summaries --rebuild`` does, and prints how long the
rows, the indexes and the summaries took. Then it times the dashboard view
as an executive of the whole organisation against two hand-written statements computing
the same figures from the base tables (``_dashboard_sql``), checks that every figure
agrees, and prints both times, their ratio, and the time and size of the board pack PDF
for the same filters. The view also draws every chart; the SQL only counts. ``--sizes``
does all of it at several sizes and prints how the page's time grows from the smallest
to the largest.
"""

import statistics
import tempfile
import time
from pathlib import Path

from django.apps import apps
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.bench._dashboard_load import generate
from tests.bench._dashboard_load import pick as pick  # tests.bench.journey takes it from here
from tests.bench._dashboard_sql import (
    Dialect,
    compare_figures,
    compare_newer,
    headline_sql,
    newer_sql,
    page_figures,
    sql_figures,
)


def add_arguments(parser) -> None:
    group = parser.add_argument_group("dashboard")
    group.add_argument("--observations", type=int, default=1_000_000, metavar="N")
    group.add_argument("--actions", type=int, default=300_000, metavar="N")
    group.add_argument(
        "--sizes",
        type=lambda text: [int(n) for n in text.split(",")],
        metavar="N,N,...",
        help="observations at each of several sizes (e.g. 100000,1000000,10000000), actions "
        "in proportion; prints how the page's time grows from the smallest to the largest",
    )
    group.add_argument(
        "--period", default="52w", choices=["4w", "13w", "26w", "52w"], help="dashboard period"
    )
    group.add_argument("--repeat", type=int, default=5, help="timed runs of each side")
    group.add_argument(
        "--keep",
        action="store_true",
        help="keep the bench database afterwards, and reuse it when it is already filled",
    )


def timed_pair(first, second, repeat: int) -> tuple[float, float, object]:
    """Median times of two callables run turn about, so both meet the same machine load."""
    first()  # warm the caches of the database and of Python
    second()
    times = ([], [])
    result = None
    for _ in range(repeat):
        for n, fn in enumerate((first, second)):
            started = time.perf_counter()
            result = fn()
            times[n].append(time.perf_counter() - started)
    return statistics.median(times[0]), statistics.median(times[1]), result


def run(args) -> None:
    sizes = args.sizes or [args.observations]
    times = {}
    for n in sizes:
        # With --sizes, actions keep the default's proportion to observations.
        actions = round(n * 0.3) if args.sizes else args.actions
        times[n] = one_size(args, n, actions)
    if len(sizes) > 1:
        smallest, largest = min(sizes), max(sizes)
        print(
            f"\ngrowth: the page takes {times[largest] / times[smallest]:.2f} times as long at "
            f"{largest:,} observations as at {smallest:,} (goal: 2 or less)"
        )


def one_size(args, n_observations: int, n_actions: int) -> float:
    """A fresh database of this size, filled and measured; returns the page's time."""
    from insights.views.dashboard import dashboard

    creation = connection.creation
    vendor = connection.vendor
    if vendor == "postgresql":
        name = f"{connection.settings_dict['NAME']}_bench_dashboards"
        cleanup = None
    else:
        folder = tempfile.TemporaryDirectory(prefix="bench-dashboards-")
        name = str(Path(folder.name) / "bench.sqlite3")
        cleanup = folder
    connection.settings_dict.setdefault("TEST", {})["NAME"] = name
    old_name = connection.settings_dict["NAME"]
    print(f"\ndatabase: {vendor} {name}", flush=True)
    creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=args.keep)
    try:
        now = timezone.now()
        User = apps.get_model("immersion", "User")
        Observation = apps.get_model("journal", "Observation")
        filled = Observation.objects.count()
        if args.keep and filled:
            print(f"reusing {filled:,} observations", flush=True)
            executive = User.objects.get(username="bench-executive")
        else:
            made = generate(n_observations, n_actions, now)
            executive = made["executive"]
            seconds = made["seconds"]
            parts = ", ".join(f"{part} {took:.1f} s" for part, took in seconds.items())
            print(
                f"loaded {n_observations:,} observations and {n_actions:,} actions by "
                f"{made['method']} in {sum(seconds.values()):.1f} s: {parts} "
                f"({made['summary_rows']:,} summary rows)",
                flush=True,
            )
        return measure(dashboard, executive, args, now)
    finally:
        creation.destroy_test_db(old_name, verbosity=0, keepdb=args.keep)
        if cleanup is not None:
            cleanup.cleanup()


def measure(dashboard, executive, args, now) -> float:
    from insights import board_pack
    from insights.dashboard import build
    from insights.dashboard_filters import DashboardFilterForm
    from insights.dashboard_headline import previous

    executive = type(executive).objects.get(pk=executive.pk)
    request = RequestFactory().get("/insights/dashboard/", {"period": args.period})
    request.user = executive

    def view():
        response = dashboard(request)
        assert response.status_code == 200, response.status_code
        return response

    today = timezone.localdate()
    form = DashboardFilterForm({"period": args.period}, user=executive, today=today)
    assert form.is_valid(), form.errors
    filters = form.filters()
    dialect = Dialect(connection.vendor)
    sql, params = headline_sql(filters.team_ids, filters.since, filters.until, today, dialect)
    newer, newer_params = newer_sql(filters, previous(filters), dialect)

    def hand_written():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
            cursor.execute(newer, newer_params)
            return row, cursor.fetchall()

    head = build(filters)["headline"]
    with CaptureQueriesContext(connection) as queries:
        view()
    view_time, sql_time, (row, newer_rows) = timed_pair(view, hand_written, args.repeat)
    compare_figures(head, row)
    compare_newer(page_figures(filters), sql_figures(newer_rows))
    runs = f"median of {args.repeat}"
    print(f"dashboard view: {view_time * 1000:.0f} ms ({len(queries)} queries, {runs})")
    print(f"hand-written SQL: {sql_time * 1000:.0f} ms (2 statements, {runs})")
    print(f"ratio: {view_time / sql_time:.2f} (goal: 1.5 or less)", flush=True)
    started = time.perf_counter()
    pdf = board_pack.render_pdf(filters)
    print(f"board pack PDF: {time.perf_counter() - started:.1f} s, {len(pdf) / 1024:.0f} KiB")
    return view_time
