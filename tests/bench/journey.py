"""The journey view and the board pack on the dashboard bench's data set.

Uses the dashboard bench's generator and options (``--observations``, ``--actions``,
``--period``, ``--repeat``, ``--keep``) in a database of its own (``_bench_journey``),
spreads the observations over the journey stages, then times the view as an
executive of the whole organisation against one SQL statement computing the same
figures: per stage and touchpoint the count, sum and sum of squares of the feeling
scores and the before/after split at the first verification in the period, and per
persona and stage the count and sum. Both sides must agree before the times are shown.
Then it makes the board pack (the dashboard as a PDF) for the same filters and prints
its time and size.
"""

import statistics
import tempfile
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.bench.dashboard import Dialect, generate, pick, timed_pair

STAGES = ["discover", "choose", "buy", "receive", "use", "get_help", "pay", "leave", ""]


def add_arguments(parser) -> None:
    """Nothing of its own: the dashboard bench's options size the data set."""


def journey_sql(team_ids, since, until, dialect: Dialect) -> tuple[str, list]:
    from insights.journey import NEGATIVE, POSITIVE

    teams = ", ".join(str(pk) for pk in sorted(team_ids))
    ts = dialect.timestamp()
    good = ", ".join(f"'{e}'" for e in POSITIVE)
    bad = ", ".join(f"'{e}'" for e in NEGATIVE)
    if dialect.pg:
        split = "(date_trunc('day', f.first AT TIME ZONE %s) AT TIME ZONE %s)"
        split_params = [settings.TIME_ZONE, settings.TIME_ZONE]
    else:
        # SQLite keeps UTC text; the bench runs in the default UTC zone.
        split = "datetime(date(f.first))"
        split_params = []
    sql = f"""
    WITH obs AS (
        SELECT o.journey_stage AS stage, o.touchpoint, o.created_at, se.persona_id,
               CASE WHEN o.emotion IN ({good}) THEN o.intensity
                    WHEN o.emotion IN ({bad}) THEN -o.intensity ELSE 0 END AS score
        FROM journal_observation o
        JOIN immersion_immersionsession se ON se.id = o.session_id
        WHERE se.team_id IN ({teams}) AND o.created_at >= {ts} AND o.created_at < {ts}
    ), f AS (
        SELECT o.journey_stage AS stage, o.touchpoint, MIN(a.verified_at) AS first
        FROM insights_action_observations ao
        JOIN insights_action a ON a.id = ao.action_id
        JOIN journal_observation o ON o.id = ao.observation_id
        JOIN immersion_immersionsession se ON se.id = o.session_id
        WHERE a.team_id IN ({teams}) AND se.team_id IN ({teams}) AND a.status = 'verified'
          AND a.verified_at >= {ts} AND a.verified_at < {ts}
        GROUP BY o.journey_stage, o.touchpoint
    ), split AS (
        SELECT stage, touchpoint, {split} AS at FROM f
    )
    SELECT 'point', obs.stage, obs.touchpoint, NULL, COUNT(*), SUM(score), SUM(score * score),
           COUNT(*) FILTER (WHERE obs.created_at < s.at),
           SUM(score) FILTER (WHERE obs.created_at < s.at),
           COUNT(*) FILTER (WHERE obs.created_at >= s.at),
           SUM(score) FILTER (WHERE obs.created_at >= s.at)
    FROM obs LEFT JOIN split s ON s.stage = obs.stage AND s.touchpoint = obs.touchpoint
    GROUP BY obs.stage, obs.touchpoint
    UNION ALL
    SELECT 'persona', stage, NULL, persona_id, COUNT(*), SUM(score), NULL, NULL, NULL, NULL, NULL
    FROM obs WHERE persona_id IS NOT NULL
    GROUP BY stage, persona_id
    """  # noqa: S608 - built from the bench's own integers and the app's constants
    since = connection.ops.adapt_datetimefield_value(since)
    until = connection.ops.adapt_datetimefield_value(until)
    return sql, [since, until, since, until, *split_params]


def spread_stages() -> None:
    """The generator puts every observation at "use"; spread them along the journey."""
    with connection.cursor() as cursor:
        # No parameters, so the % of the modulo is passed through as it is.
        stage = pick(STAGES, "id / 15")
        cursor.execute(f"UPDATE journal_observation SET journey_stage = {stage}")  # noqa: S608
        cursor.execute("ANALYZE")


def run(args) -> None:
    creation = connection.creation
    vendor = connection.vendor
    if vendor == "postgresql":
        name = f"{connection.settings_dict['NAME']}_bench_journey"
        cleanup = None
    else:
        folder = tempfile.TemporaryDirectory(prefix="bench-journey-")
        name = str(Path(folder.name) / "bench.sqlite3")
        cleanup = folder
    connection.settings_dict.setdefault("TEST", {})["NAME"] = name
    old_name = connection.settings_dict["NAME"]
    print(f"database: {vendor} {name}", flush=True)
    creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=args.keep)
    try:
        User = apps.get_model("immersion", "User")
        Observation = apps.get_model("journal", "Observation")
        filled = Observation.objects.count()
        if args.keep and filled:
            print(f"reusing {filled:,} observations", flush=True)
            executive = User.objects.get(username="bench-executive")
        else:
            started = time.perf_counter()
            executive = generate(args.observations, args.actions, timezone.now())["executive"]
            spread_stages()
            print(
                f"generated {args.observations:,} observations and {args.actions:,} actions "
                f"in {time.perf_counter() - started:.1f} s",
                flush=True,
            )
        measure(executive, args)
        measure_board_pack(executive, args)
    finally:
        creation.destroy_test_db(old_name, verbosity=0, keepdb=args.keep)
        if cleanup is not None:
            cleanup.cleanup()


def measure(executive, args) -> None:
    from insights.dashboard_filters import DashboardFilterForm
    from insights.journey import build
    from insights.views.journey import journey_view

    executive = type(executive).objects.get(pk=executive.pk)
    request = RequestFactory().get("/insights/journey/", {"period": args.period})
    request.user = executive

    def view():
        response = journey_view(request)
        assert response.status_code == 200, response.status_code
        return response

    form = DashboardFilterForm({"period": args.period}, user=executive, today=timezone.localdate())
    assert form.is_valid(), form.errors
    filters = form.filters()
    sql, params = journey_sql(filters.team_ids, filters.since, filters.until, Dialect(vendor()))

    def hand_written():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    data = build(filters)
    with CaptureQueriesContext(connection) as queries:
        view()
    view_time, sql_time, rows = timed_pair(view, hand_written, args.repeat)
    compare(data, rows)
    runs = f"median of {args.repeat}"
    print(f"journey view: {view_time * 1000:.0f} ms ({len(queries)} queries, {runs})")
    print(f"hand-written SQL: {sql_time * 1000:.0f} ms (1 query, {runs})")
    print(f"ratio: {view_time / sql_time:.2f} (goal: 1.5 or less)", flush=True)


def measure_board_pack(executive, args) -> None:
    from insights import board_pack
    from insights.dashboard_filters import DashboardFilterForm

    executive = type(executive).objects.get(pk=executive.pk)
    form = DashboardFilterForm({"period": args.period}, user=executive, today=timezone.localdate())
    assert form.is_valid(), form.errors
    filters = form.filters()
    board_pack.render_pdf(filters)  # warm: WeasyPrint loads its fonts once
    times, size = [], 0
    for _ in range(args.repeat):
        started = time.perf_counter()
        size = len(board_pack.render_pdf(filters))
        times.append(time.perf_counter() - started)
    print(
        f"board pack PDF: {statistics.median(times) * 1000:.0f} ms, {size / 1024:.0f} KiB "
        f"(median of {args.repeat})",
        flush=True,
    )


def vendor() -> str:
    return connection.vendor


def compare(data: dict, rows) -> list:
    """Every point's and persona cell's figures, from the view and from the SQL.

    Prints how many were compared and the first that differ; returns the differing keys.
    """
    view, sql = {}, {}
    for stage in data["stages"]:
        for p in stage.points:
            before = (p.before.count, p.before.total) if p.before else (0, None)
            after = (p.after.count, p.after.total) if p.after else (0, None)
            view["point", stage.value, p.touchpoint] = (
                p.tally.count, p.tally.total, p.tally.squares, *before, *after,
            )  # fmt: skip
    for row in data["personas"]:
        for cell in row["cells"]:
            if cell["tally"].count:
                view["persona", cell["stage"].value, row["name"]] = (
                    cell["tally"].count, cell["tally"].total,
                )  # fmt: skip
    names = dict(apps.get_model("immersion", "Persona").objects.values_list("pk", "name"))
    for kind, stage, touchpoint, persona, *figures in rows:
        if kind == "point":
            count, total, squares, b_count, b_total, a_count, a_total = figures
            if not b_count and not a_count:
                b_total = a_total = None
            sql[kind, stage, touchpoint] = (
                count, total, squares, b_count or 0, b_total, a_count or 0, a_total,
            )  # fmt: skip
        else:
            sql[kind, stage, names[persona]] = tuple(figures[:2])
    differing = [key for key in view.keys() | sql.keys() if view.get(key) != sql.get(key)]
    print(f"  {len(view)} points and persona cells compared; {len(differing)} different")
    for key in sorted(differing, key=str)[:10]:
        print(f"  {key}: view {view.get(key)}   SQL {sql.get(key)}   DIFFERENT")
    return differing
