"""The executive dashboard on a large data set, against hand-written SQL for its figures.

Builds its own database (``<name>_bench_dashboards`` on PostgreSQL when DATABASE_URL
points there, a temporary SQLite file otherwise), fills it with set-based
``INSERT ... SELECT`` statements (a million observations take seconds, not minutes),
themes and re-visits included, and rebuilds the dashboard's summaries from them (timed,
as ``manage.py dashboard_summaries --rebuild`` does). Then it times the dashboard view
as an executive of the whole organisation against two hand-written statements computing
the same figures from the base tables (``_dashboard_sql``), checks that every figure
agrees, and prints both times, their ratio, and the time and size of the board pack PDF
for the same filters. The view also draws every chart; the SQL only counts. ``--sizes``
does all of it at several sizes and prints how the page's time grows from the smallest
to the largest.
"""

import contextlib
import datetime as dt
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, models, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.bench._dashboard_sql import (
    Dialect,
    compare_figures,
    compare_newer,
    fill_themes_and_revisits,
    headline_sql,
    newer_sql,
    page_figures,
    sql_figures,
)

STORES = 30
REGIONS = 3
MANAGERS_PER_STORE = 2
SESSIONS_PER_OBSERVATION = 8  # about eight observations per session
TOUCHPOINTS = [
    "product",
    "packaging",
    "information",
    "store",
    "signage",
    "website",
    "app",
    "phone",
    "email",
    "chat",
    "delivery",
    "billing",
    "staff",
    "policy",
    "other",
]
EMOTIONS = [
    "delighted",
    "happy",
    "reassured",
    "indifferent",
    "confused",
    "anxious",
    "frustrated",
    "angry",
    "ignored",
]


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


def pick(values: list[str], index: str) -> str:
    whens = " ".join(f"WHEN {n} THEN '{value}'" for n, value in enumerate(values))
    return f"CASE ({index}) % {len(values)} {whens} END"


def insert_select(model, n: int, expressions: dict[str, str], dialect: Dialect, params) -> None:
    """INSERT INTO model's table one row per i in 0..n-1, every column given or defaulted."""
    columns, values, all_params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        if field.column in expressions:
            values.append(expressions[field.column])
            all_params.extend(params.get(field.column, []))
        elif field.has_default() and not callable(field.default):
            values.append("%s")
            all_params.append(field.get_db_prep_value(field.get_default(), connection))
        elif field.null:
            values.append("NULL")
        elif isinstance(field, models.UUIDField):
            values.append(dialect.uuid())
        elif isinstance(field, models.CharField | models.TextField) and field.blank:
            values.append("''")
        else:
            raise RuntimeError(f"No bench value for {model.__name__}.{field.name}")
    sql = insert_sql(model._meta.db_table, columns, f"SELECT {', '.join(values)}", n, dialect)
    # The expressions use % as the modulo operator; only %s is a parameter.
    sql = sql.replace("%", "%%").replace("%%s", "%s")
    with connection.cursor() as cursor:
        cursor.execute(sql, all_params)


def insert_sql(table: str, columns: list[str], select: str, n: int, dialect: Dialect) -> str:
    """INSERT INTO table SELECT ... for i in 0..n-1 (SQLite wants the CTE after INSERT)."""
    prefix, source = dialect.series(n)
    insert = f"INSERT INTO {table} ({', '.join(columns)}) "
    if dialect.pg:
        return f"{insert}{select} FROM {source}"
    return f"{insert}{prefix}{select} FROM {source}"


def contiguous_ids(model, expected: int) -> int:
    """The first id of a freshly filled table, after checking the ids have no gaps."""
    bounds = model.objects.aggregate(
        low=models.Min("pk"), high=models.Max("pk"), n=models.Count("pk")
    )
    if bounds["n"] != expected or bounds["high"] - bounds["low"] + 1 != expected:
        raise RuntimeError(f"{model.__name__} ids are not contiguous: {bounds}")
    return bounds["low"]


@dataclass
class Organisation:
    """The people and places the generated rows point at; their ids are contiguous."""

    executive: object
    cx_lead: object
    store_ids: list[int]
    manager_ids: list[int]
    type_ids: list[int]
    persona_ids: list[int]
    programme_id: int


def generate(n_observations: int, n_actions: int, now: dt.datetime) -> dict:
    """The data set, and the dashboard's summary rebuilt from it as the repair command does
    (rows written by SQL mark nothing stale); returns the executive and the rebuild's time."""
    from insights import summaries

    dialect = Dialect(connection.vendor)
    org = organisation(now)
    with connection.cursor() as cursor, fast_loading(cursor, dialect):
        fill(org, n_observations, n_actions, now, dialect)
        fill_themes_and_revisits(dialect)
        started = time.perf_counter()
        summary_rows = summaries.rebuild()
        rebuilt_in = time.perf_counter() - started
        cursor.execute("ANALYZE")
    return {"executive": org.executive, "summary_rows": summary_rows, "rebuilt_in": rebuilt_in}


def organisation(now: dt.datetime) -> Organisation:
    """A three-region organisation of 30 stores, two managers each, by the ORM."""
    Team = apps.get_model("immersion", "Team")
    User = apps.get_model("immersion", "User")
    SessionType = apps.get_model("immersion", "SessionType")
    Persona = apps.get_model("immersion", "Persona")
    Programme = apps.get_model("immersion", "Programme")

    organisation = Team.objects.create(name="Bench organisation", kind="region")
    regions = [
        Team.objects.create(name=f"Region {r + 1}", kind="region", parent=organisation)
        for r in range(REGIONS)
    ]
    stores = [
        Team.objects.create(name=f"Store {s + 1:02d}", kind="store", parent=regions[s % REGIONS])
        for s in range(STORES)
    ]
    store_ids = [store.pk for store in stores]
    if store_ids != list(range(store_ids[0], store_ids[0] + STORES)):
        raise RuntimeError("store ids are not contiguous")
    groups = {
        name: Group.objects.get_or_create(name=name)[0]
        for name in ("Manager", "CX lead", "Executive")
    }
    executive = User.objects.create_user("bench-executive", "exec@example.com", None)
    executive.teams.set([organisation])
    executive.groups.add(groups["Executive"])
    cx_lead = User.objects.create_user("bench-cx", "cx@example.com", None)
    cx_lead.teams.set([organisation])
    cx_lead.groups.add(groups["CX lead"])
    n_managers = STORES * MANAGERS_PER_STORE
    managers = User.objects.bulk_create(
        User(username=f"bench-manager-{m}", email=f"m{m}@example.com", password="!")
        for m in range(n_managers)
    )
    manager_ids = [m.pk for m in managers]
    if manager_ids != list(range(manager_ids[0], manager_ids[0] + n_managers)):
        raise RuntimeError("manager ids are not contiguous")
    User.teams.through.objects.bulk_create(
        User.teams.through(user_id=pk, team_id=store_ids[m % STORES])
        for m, pk in enumerate(manager_ids)
    )
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=pk, group_id=groups["Manager"].pk) for pk in manager_ids
    )
    types = [
        SessionType.objects.create(
            name=name, purpose="Bench", default_duration=dt.timedelta(hours=1)
        )
        for name in ("Floor walk", "Listening post", "Wheelchair day", "Unboxing")
    ]
    personas = [Persona.objects.create(name=n, description="Bench") for n in ("Parent", "Visitor")]
    programme = Programme.objects.create(
        name="Bench year",
        starts_on=(now - dt.timedelta(days=365)).date(),
        ends_on=now.date(),
        owner=cx_lead,
        target_sessions=12,
    )
    programme.participant_teams.set(regions)
    return Organisation(
        executive=executive,
        cx_lead=cx_lead,
        store_ids=store_ids,
        manager_ids=manager_ids,
        type_ids=[t.pk for t in types],
        persona_ids=[p.pk for p in personas],
        programme_id=programme.pk,
    )


@contextlib.contextmanager
def fast_loading(cursor, dialect: Dialect):
    """On PostgreSQL, skip the per-row foreign-key triggers while loading.

    Every id is computed from the rows just made, and the bench compares the view's
    figures with the hand-written SQL's, so a broken reference would show. Needs a
    superuser; without one the load is only slower.
    """
    switched = False
    if dialect.pg:
        try:
            with transaction.atomic():
                cursor.execute("SET session_replication_role = replica")
            switched = True
        except DatabaseError:
            switched = False
    try:
        yield
    finally:
        if switched:
            cursor.execute("RESET session_replication_role")


def fill(org: Organisation, n_observations, n_actions, now, dialect: Dialect) -> None:
    """Sessions, observations, actions and their links, by set-based INSERT ... SELECT."""
    Session = apps.get_model("immersion", "ImmersionSession")
    Observation = apps.get_model("journal", "Observation")
    Action = apps.get_model("insights", "Action")
    store_ids, manager_ids = org.store_ids, org.manager_ids
    n_managers = len(manager_ids)
    n_sessions = max(1, n_observations // SESSIONS_PER_OBSERVATION)
    base = dialect.timestamp()
    # SQLite keeps datetimes as naive UTC text; the backend's adapter writes them so.
    now = connection.ops.adapt_datetimefield_value(now)
    start = dialect.minus_minutes(base, "(i % 364) * 1440 + 600")
    end = dialect.plus_minutes(start, "60")
    insert_select(
        Session,
        n_sessions,
        {
            "session_type_id": f"{org.type_ids[0]} + i % {len(org.type_ids)}",
            "persona_id": f"CASE WHEN i % 3 = 0 THEN {org.persona_ids[0]} + i % 2 ELSE NULL END",
            "programme_id": f"CASE WHEN i % 2 = 0 THEN {org.programme_id} ELSE NULL END",
            "team_id": f"{store_ids[0]} + i % {STORES}",
            "place": "'Shop floor'",
            "planned_start": start,
            "planned_end": end,
            "lead_id": f"{manager_ids[0]} + i % {n_managers}",
            "brief": "'Bench'",
            # One in ten sessions is still planned; the others were completed.
            "status": "CASE WHEN i % 10 = 9 THEN 'planned' ELSE 'completed' END",
            "started_at": f"CASE WHEN i % 10 = 9 THEN NULL ELSE {start} END",
            "ended_at": f"CASE WHEN i % 10 = 9 THEN NULL ELSE {end} END",
            "surprised_by": "CASE WHEN i % 10 = 9 THEN '' ELSE 'Bench' END",
            "customer_feeling": "CASE WHEN i % 10 = 9 THEN '' ELSE 'Bench' END",
            "would_change": "CASE WHEN i % 10 = 9 THEN '' ELSE 'Bench' END",
            "created_at": start,
        },
        dialect,
        {
            "planned_start": [now],
            "planned_end": [now],
            "started_at": [now],
            "ended_at": [now],
            "created_at": [now],
        },
    )
    first_session = contiguous_ids(Session, n_sessions)

    # Observation i belongs to session i % n_sessions, whose lead is its author.
    seen = dialect.plus_minutes(
        dialect.minus_minutes(base, f"((i % {n_sessions}) % 364) * 1440 + 600"),
        f"(i / {n_sessions}) * 5",
    )
    next_day = dialect.plus_minutes(seen, "1440")
    triage = (
        "CASE WHEN i % 10 < 6 THEN 'actioned' WHEN i % 10 = 8 THEN 'no_action' ELSE 'untriaged' END"
    )
    insert_select(
        Observation,
        n_observations,
        {
            "session_id": f"{first_session} + i % {n_sessions}",
            "author_id": f"{manager_ids[0]} + (i % {n_sessions}) % {n_managers}",
            "created_at": seen,
            "updated_at": seen,
            "touchpoint": pick(TOUCHPOINTS, "i * 7"),
            "journey_stage": "'use'",
            "what_happened": "'Bench observation'",
            "emotion": pick(EMOTIONS, "i * 13"),
            "intensity": "1 + (i * 17) % 5",
            "kind": "'pain_point'",
            "impact": "'medium'",
            "triage_state": triage,
            "triaged_at": f"CASE WHEN i % 10 IN (6, 7, 9) THEN NULL ELSE {next_day} END",
            "triage_note": "CASE WHEN i % 10 = 8 THEN 'Not ours to change' ELSE '' END",
        },
        dialect,
        {"created_at": [now], "updated_at": [now], "triaged_at": [now]},
    )
    first_observation = contiguous_ids(Observation, n_observations)

    # Action j addresses observation j * step, raised a few days after it was seen.
    step = max(1, n_observations // max(n_actions, 1))
    n_actions = min(n_actions, n_observations)
    obs = f"(i * {step})"
    obs_seen = dialect.plus_minutes(
        dialect.minus_minutes(base, f"(({obs} % {n_sessions}) % 364) * 1440 + 600"),
        f"({obs} / {n_sessions}) * 5",
    )
    raised = dialect.plus_minutes(obs_seen, "(i % 7) * 1440 + 60")
    done = dialect.plus_minutes(raised, "(i % 20) * 1440")
    verified = dialect.plus_minutes(done, "2880")
    status = (
        "CASE WHEN i % 10 < 2 THEN 'open' WHEN i % 10 = 2 THEN 'in_progress' "
        "WHEN i % 10 < 5 THEN 'done' WHEN i % 10 < 9 THEN 'verified' ELSE 'dropped' END"
    )
    finished = "i % 10 BETWEEN 3 AND 8"
    is_verified = "i % 10 BETWEEN 5 AND 8"
    published = f"({is_verified} AND i % 4 = 0)"
    true, false = ("true", "false") if dialect.pg else ("1", "0")
    insert_select(
        Action,
        n_actions,
        {
            "title": "'Bench action'",
            "description": "'Bench'",
            "owner_id": f"{manager_ids[0]} + ({obs} % {n_sessions}) % {n_managers}",
            "team_id": f"{store_ids[0]} + ({obs} % {n_sessions}) % {STORES}",
            "due_on": dialect.date_of(dialect.plus_minutes(raised, "14 * 1440")),
            "status": status,
            "created_by_id": str(org.cx_lead.pk),
            "created_at": raised,
            "updated_at": raised,
            "done_at": f"CASE WHEN {finished} THEN {done} ELSE NULL END",
            "evidence_note": f"CASE WHEN {finished} THEN 'Photo of the new sign' ELSE '' END",
            "verified_at": f"CASE WHEN {is_verified} THEN {verified} ELSE NULL END",
            "verified_by_id": f"CASE WHEN {is_verified} THEN {org.cx_lead.pk} ELSE NULL END",
            "dropped_reason": "CASE WHEN i % 10 = 9 THEN 'Fixed company-wide' ELSE '' END",
            "you_said": f"CASE WHEN {published} THEN 'The sign was hard to read' ELSE '' END",
            "we_did": f"CASE WHEN {published} THEN 'We made it bigger' ELSE '' END",
            "is_published": f"CASE WHEN {published} THEN {true} ELSE {false} END",
        },
        dialect,
        {
            "due_on": [now],
            "created_at": [now],
            "updated_at": [now],
            "done_at": [now],
            "verified_at": [now],
        },
    )
    first_action = contiguous_ids(Action, n_actions)
    through = Action.observations.through._meta.db_table
    select = f"SELECT {first_action} + i, {first_observation} + i * {step}"
    sql = insert_sql(through, ["action_id", "observation_id"], select, n_actions, dialect)
    with connection.cursor() as cursor:
        cursor.execute(sql)


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
            started = time.perf_counter()
            made = generate(n_observations, n_actions, now)
            executive = made["executive"]
            print(
                f"generated {n_observations:,} observations and {n_actions:,} actions "
                f"in {time.perf_counter() - started:.1f} s, of which the summary's rebuild "
                f"{made['rebuilt_in']:.1f} s ({made['summary_rows']:,} rows)",
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
