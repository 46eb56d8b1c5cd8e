"""Filling the dashboard bench's database: an organisation by the ORM, then sessions,
observations, actions and their links by the same formulas of the row number i, written
twice: as SQL for a set-based ``INSERT ... SELECT`` over a generated series (SQLite), and
in Python for ``COPY ... FROM STDIN`` (PostgreSQL). ``tests/dashboards/test_bench.py``
checks that both give the same rows.

On PostgreSQL the load drops the loaded tables' secondary indexes and unique constraints
first and builds them again afterwards, with foreign-key triggers off, commits not
waiting for the disk and a large ``maintenance_work_mem``; it is the bench's own
database. The summaries are then rebuilt as ``manage.py dashboard_summaries --rebuild``
does, with the indexes back and the tables analysed, as they would be in production.
"""

import contextlib
import datetime as dt
import time
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, models, transaction

from tests.bench._dashboard_sql import Dialect, fill_themes_and_revisits

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
# The tables the rows go to, whose secondary indexes are built after the load.
LOADED = [
    "immersion_immersionsession",
    "journal_observation",
    "insights_action",
    "insights_action_observations",
    "insights_observationtheme",
    "insights_actiontheme",
    "insights_revisit",
]
UUID = object()  # a column needing a fresh UUID in every row


def generate(n_observations: int, n_actions: int, now: dt.datetime) -> dict:
    """The data set, and the dashboard's summaries rebuilt from it as the repair command
    does (rows written by SQL mark nothing stale). Returns the executive, the summary's
    rows, how the rows were written, and the seconds each part of the load took."""
    from insights import summaries

    dialect = Dialect(connection.vendor)
    org = organisation(now)
    seconds = Laps()
    with connection.cursor() as cursor, fast_loading(cursor, dialect):
        indexes = drop_indexes(cursor, LOADED) if dialect.pg else []
        fill(org, n_observations, n_actions, now, dialect)
        fill_themes_and_revisits(dialect)
        seconds.lap("rows")
        for statement in indexes:
            cursor.execute(statement)
        cursor.execute("ANALYZE")
        seconds.lap("indexes and statistics" if indexes else "statistics")
        summary_rows = summaries.rebuild()
        cursor.execute("ANALYZE")
        seconds.lap("summaries")
    return {
        "executive": org.executive,
        "summary_rows": summary_rows,
        "method": "COPY" if dialect.pg else "INSERT ... SELECT",
        "seconds": seconds,
    }


class Laps(dict):
    """Seconds by part, each part timed from the end of the one before."""

    def __init__(self):
        super().__init__()
        self.last = time.perf_counter()

    def lap(self, part: str) -> None:
        now = time.perf_counter()
        self[part], self.last = now - self.last, now


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
    """On PostgreSQL, skip the per-row foreign-key triggers while loading, let commits
    return before the disk has them, and give index builds memory; all reset after.

    Every id is computed from the rows just made, and the bench compares the view's
    figures with the hand-written SQL's, so a broken reference would show. Skipping the
    triggers needs a superuser; without one the load is only slower.
    """
    if not dialect.pg:
        yield
        return
    cursor.execute("SET synchronous_commit = off")
    cursor.execute("SET maintenance_work_mem = '1GB'")
    switched = False
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
        cursor.execute("RESET maintenance_work_mem")
        cursor.execute("RESET synchronous_commit")


def drop_indexes(cursor, tables: list[str]) -> list[str]:
    """Drop the tables' indexes but their primary keys' and those a foreign key refers
    to; returns the statements that make them again, unique constraints included."""
    cursor.execute(
        """
        SELECT t.relname, i.indexrelid::regclass::text, c.conname,
               pg_get_indexdef(i.indexrelid), pg_get_constraintdef(c.oid)
        FROM pg_index i
        JOIN pg_class t ON t.oid = i.indrelid
        LEFT JOIN pg_constraint c
          ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('u', 'x')
        WHERE t.relname = ANY(%s) AND pg_table_is_visible(t.oid) AND NOT i.indisprimary
          AND NOT EXISTS (
              SELECT FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.indexrelid
          )
        ORDER BY t.relname, 2
        """,
        [tables],
    )
    again = []
    quote = connection.ops.quote_name
    for table, index, constraint, index_sql, constraint_sql in cursor.fetchall():
        if constraint:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(constraint)}")
            again.append(
                f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(constraint)} {constraint_sql}"
            )
        else:
            cursor.execute(f"DROP INDEX {index}")
            again.append(index_sql)
    return again


def fill(org: Organisation, n_observations, n_actions, now, dialect: Dialect, copy=None) -> None:
    """Sessions, observations, actions and their links, by COPY on PostgreSQL (unless
    `copy` says otherwise) and by set-based INSERT ... SELECT elsewhere."""
    Session = apps.get_model("immersion", "ImmersionSession")
    Observation = apps.get_model("journal", "Observation")
    Action = apps.get_model("insights", "Action")
    shape = Shape.of(n_observations, n_actions)
    copy = dialect.pg if copy is None else copy
    if copy:
        from tests.bench._dashboard_copy import CopiedRows  # which imports this module

        rows = CopiedRows(org, shape, now)
    else:
        rows = SelectedRows(org, shape, now, dialect)
    rows.sessions(Session)
    first_session = contiguous_ids(Session, shape.sessions)
    rows.observations(Observation, first_session)
    first_observation = contiguous_ids(Observation, shape.observations)
    rows.actions(Action)
    first_action = contiguous_ids(Action, shape.actions)
    rows.links(Action.observations.through, first_action, first_observation)


@dataclass
class Shape:
    """How many rows of each kind, and how far apart the observations actions address."""

    sessions: int
    observations: int
    actions: int
    step: int

    @classmethod
    def of(cls, n_observations: int, n_actions: int) -> "Shape":
        return cls(
            sessions=max(1, n_observations // SESSIONS_PER_OBSERVATION),
            observations=n_observations,
            actions=min(n_actions, n_observations),
            step=max(1, n_observations // max(n_actions, 1)),
        )


def contiguous_ids(model, expected: int) -> int:
    """The first id of a freshly filled table, after checking the ids have no gaps."""
    bounds = model.objects.aggregate(
        low=models.Min("pk"), high=models.Max("pk"), n=models.Count("pk")
    )
    if bounds["n"] != expected or bounds["high"] - bounds["low"] + 1 != expected:
        raise RuntimeError(f"{model.__name__} ids are not contiguous: {bounds}")
    return bounds["low"]


def other_columns(model, given) -> dict[str, object]:
    """Each column of the model's table but its id and those given, with the value every
    row gets: the field's default, None (NULL), '' or UUID (a fresh one in every row)."""
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.column in given:
            continue
        if field.has_default() and not callable(field.default):
            values[field.column] = field.get_db_prep_value(field.get_default(), connection)
        elif field.null:
            values[field.column] = None
        elif isinstance(field, models.UUIDField):
            values[field.column] = UUID
        elif isinstance(field, models.CharField | models.TextField) and field.blank:
            values[field.column] = ""
        else:
            raise RuntimeError(f"No bench value for {model.__name__}.{field.name}")
    return values


class SelectedRows:
    """The rows by INSERT ... SELECT, each column an SQL expression of i over a series
    generated in the database."""

    def __init__(self, org: Organisation, shape: Shape, now: dt.datetime, dialect: Dialect):
        self.org, self.shape, self.dialect = org, shape, dialect
        # SQLite keeps datetimes as naive UTC text; the backend's adapter writes them so.
        self.now = connection.ops.adapt_datetimefield_value(now)

    def sessions(self, model) -> None:
        org, d, now = self.org, self.dialect, [self.now]
        start = d.minus_minutes(d.timestamp(), "(i % 364) * 1440 + 600")
        end = d.plus_minutes(start, "60")
        expressions = {
            "session_type_id": f"{org.type_ids[0]} + i % {len(org.type_ids)}",
            "persona_id": f"CASE WHEN i % 3 = 0 THEN {org.persona_ids[0]} + i % 2 ELSE NULL END",
            "programme_id": f"CASE WHEN i % 2 = 0 THEN {org.programme_id} ELSE NULL END",
            "team_id": f"{org.store_ids[0]} + i % {STORES}",
            "place": "'Shop floor'",
            "planned_start": start,
            "planned_end": end,
            "lead_id": f"{org.manager_ids[0]} + i % {len(org.manager_ids)}",
            "brief": "'Bench'",
            # One in ten sessions is still planned; the others were completed.
            "status": "CASE WHEN i % 10 = 9 THEN 'planned' ELSE 'completed' END",
            "started_at": f"CASE WHEN i % 10 = 9 THEN NULL ELSE {start} END",
            "ended_at": f"CASE WHEN i % 10 = 9 THEN NULL ELSE {end} END",
            "surprised_by": "CASE WHEN i % 10 = 9 THEN '' ELSE 'Bench' END",
            "customer_feeling": "CASE WHEN i % 10 = 9 THEN '' ELSE 'Bench' END",
            "would_change": "CASE WHEN i % 10 = 9 THEN '' ELSE 'Bench' END",
            "created_at": start,
        }
        stamps = ["planned_start", "planned_end", "started_at", "ended_at", "created_at"]
        params = dict.fromkeys(stamps, now)
        insert_select(model, self.shape.sessions, expressions, d, params)

    def observations(self, model, first_session: int) -> None:
        """Observation i belongs to session i % sessions, whose lead is its author."""
        org, d, now, n_sessions = self.org, self.dialect, [self.now], self.shape.sessions
        seen = d.plus_minutes(
            d.minus_minutes(d.timestamp(), f"((i % {n_sessions}) % 364) * 1440 + 600"),
            f"(i / {n_sessions}) * 5",
        )
        next_day = d.plus_minutes(seen, "1440")
        triage = (
            "CASE WHEN i % 10 < 6 THEN 'actioned' WHEN i % 10 = 8 THEN 'no_action' "
            "ELSE 'untriaged' END"
        )
        n_managers = len(org.manager_ids)
        expressions = {
            "session_id": f"{first_session} + i % {n_sessions}",
            "author_id": f"{org.manager_ids[0]} + (i % {n_sessions}) % {n_managers}",
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
        }
        params = {"created_at": now, "updated_at": now, "triaged_at": now}
        insert_select(model, self.shape.observations, expressions, d, params)

    def actions(self, model) -> None:
        """Action i addresses observation i * step, raised a few days after it was seen."""
        org, d, now, n_sessions = self.org, self.dialect, [self.now], self.shape.sessions
        obs = f"(i * {self.shape.step})"
        obs_seen = d.plus_minutes(
            d.minus_minutes(d.timestamp(), f"(({obs} % {n_sessions}) % 364) * 1440 + 600"),
            f"({obs} / {n_sessions}) * 5",
        )
        raised = d.plus_minutes(obs_seen, "(i % 7) * 1440 + 60")
        done = d.plus_minutes(raised, "(i % 20) * 1440")
        verified = d.plus_minutes(done, "2880")
        status = (
            "CASE WHEN i % 10 < 2 THEN 'open' WHEN i % 10 = 2 THEN 'in_progress' "
            "WHEN i % 10 < 5 THEN 'done' WHEN i % 10 < 9 THEN 'verified' ELSE 'dropped' END"
        )
        finished = "i % 10 BETWEEN 3 AND 8"
        is_verified = "i % 10 BETWEEN 5 AND 8"
        published = f"({is_verified} AND i % 4 = 0)"
        true, false = ("true", "false") if d.pg else ("1", "0")
        n_managers = len(org.manager_ids)
        expressions = {
            "title": "'Bench action'",
            "description": "'Bench'",
            "owner_id": f"{org.manager_ids[0]} + ({obs} % {n_sessions}) % {n_managers}",
            "team_id": f"{org.store_ids[0]} + ({obs} % {n_sessions}) % {STORES}",
            "due_on": d.date_of(d.plus_minutes(raised, "14 * 1440")),
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
        }
        stamps = ["due_on", "created_at", "updated_at", "done_at", "verified_at"]
        params = dict.fromkeys(stamps, now)
        insert_select(model, self.shape.actions, expressions, d, params)

    def links(self, through, first_action: int, first_observation: int) -> None:
        """Action i is about observation i * step."""
        select = f"SELECT {first_action} + i, {first_observation} + i * {self.shape.step}"
        columns = ["action_id", "observation_id"]
        table = through._meta.db_table
        sql = insert_sql(table, columns, select, self.shape.actions, self.dialect)
        with connection.cursor() as cursor:
            cursor.execute(sql)


def pick(values: list[str], index: str) -> str:
    whens = " ".join(f"WHEN {n} THEN '{value}'" for n, value in enumerate(values))
    return f"CASE ({index}) % {len(values)} {whens} END"


def insert_select(model, n: int, expressions: dict[str, str], dialect: Dialect, params) -> None:
    """INSERT INTO model's table one row per i in 0..n-1, every column given or defaulted."""
    columns, values, all_params = [], [], []
    for column, expression in expressions.items():
        columns.append(column)
        values.append(expression)
        all_params.extend(params.get(column, []))
    for column, value in other_columns(model, expressions).items():
        columns.append(column)
        if value is UUID:
            values.append(dialect.uuid())
        elif value is None:
            values.append("NULL")
        else:
            values.append("%s")
            all_params.append(value)
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
