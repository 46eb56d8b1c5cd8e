"""The dashboard bench's hand-written side: the SQL for every figure the page shows, the
themes and re-visits it is computed from, and the check that both sides agree.

The page's figures come in two statements here: the headline aggregates (one statement,
since the first benchmark), and the newer figures (the headline row against the previous
period, the feelings map, themes and re-visits) in a second. Both run for each timing.
"""

from collections import Counter

from django.apps import apps
from django.db import connection

THEMES = ["Signage", "Waiting time", "Staff knowledge", "Packaging", "Information", "Access"]


class SqliteMedian:
    """A ``median`` aggregate for SQLite, which has none; numbers only, NULLs skipped."""

    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        if not self.values:
            return None
        values = sorted(self.values)
        middle = len(values) // 2
        if len(values) % 2:
            return values[middle]
        return (values[middle - 1] + values[middle]) / 2


class Dialect:
    """The few SQL pieces PostgreSQL and SQLite spell differently."""

    def __init__(self, vendor: str):
        self.pg = vendor == "postgresql"
        if not self.pg:
            connection.ensure_connection()
            connection.connection.create_aggregate("median", 1, SqliteMedian)

    def series(self, n: int) -> tuple[str, str]:
        """(prefix, from clause) for the numbers 0..n-1 as column i."""
        if self.pg:
            return "", f"generate_series(0, {n - 1}) AS g(i)"
        return (
            f"WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g WHERE i < {n - 1}) ",  # noqa: S608
            "g",
        )

    def minus_minutes(self, base: str, minutes: str) -> str:
        if self.pg:
            return f"({base} - ({minutes}) * interval '1 minute')"
        return f"datetime({base}, '-' || ({minutes}) || ' minutes')"

    def plus_minutes(self, base: str, minutes: str) -> str:
        if self.pg:
            return f"({base} + ({minutes}) * interval '1 minute')"
        return f"datetime({base}, '+' || ({minutes}) || ' minutes')"

    def date_of(self, value: str) -> str:
        return f"({value})::date" if self.pg else f"date({value})"

    def timestamp(self) -> str:
        return "%s::timestamptz" if self.pg else "%s"

    def uuid(self) -> str:
        return "gen_random_uuid()" if self.pg else "lower(hex(randomblob(16)))"

    def days_between(self, later: str, earlier: str) -> str:
        if self.pg:
            return f"EXTRACT(EPOCH FROM ({later} - {earlier})) / 86400.0"
        return f"(julianday({later}) - julianday({earlier}))"

    def median(self, expression: str) -> str:
        if self.pg:
            return f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {expression})"
        return f"median({expression})"


def fill_themes_and_revisits(dialect: Dialect) -> None:
    """A third of the observations and every action filed under a theme; every verified
    action re-visited, half of them answered (by the observation after its own)."""
    Theme = apps.get_model("insights", "Theme")
    first = min(Theme.objects.create(name=name, description=f"Bench: {name}").pk for name in THEMES)
    n = len(THEMES)
    true, false = ("true", "false") if dialect.pg else ("1", "0")
    due = dialect.date_of(dialect.plus_minutes("a.verified_at", "21 * 1440"))
    answered = dialect.plus_minutes("a.verified_at", "7 * 1440")
    improved = f"CASE WHEN a.id % 4 = 0 THEN {true} ELSE {false} END"
    # Built from the bench's own integers and SQL pieces.
    statements = [
        f"""INSERT INTO insights_observationtheme (observation_id, theme_id)
            SELECT id, {first} + (id / 3) % {n} FROM journal_observation WHERE id % 3 = 0""",  # noqa: S608
        f"""INSERT INTO insights_actiontheme (action_id, theme_id)
            SELECT id, {first} + id % {n} FROM insights_action""",  # noqa: S608
        f"""INSERT INTO insights_revisit (action_id, team_id, touchpoint, persona_id, before_id,
                before_emotion, before_intensity, verified_at, due_on, answer_id, answered_at,
                improved)
            SELECT a.id, a.team_id, o.touchpoint, NULL, o.id, o.emotion, o.intensity,
                a.verified_at, {due},
                CASE WHEN a.id % 2 = 0 THEN o.id + 1 END,
                CASE WHEN a.id % 2 = 0 THEN {answered} END,
                CASE WHEN a.id % 2 = 0 THEN ({improved}) END
            FROM insights_action a
            JOIN insights_action_observations ao ON ao.action_id = a.id
            JOIN journal_observation o ON o.id = ao.observation_id
            WHERE a.status = 'verified'""",  # noqa: S608
    ]
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def headline_sql(team_ids, since, until, today, dialect: Dialect) -> tuple[str, list]:
    """The dashboard's headline figures in one statement, written by hand."""
    teams = ", ".join(str(pk) for pk in sorted(team_ids))
    ts = dialect.timestamp()
    sql = f"""
    WITH s AS (
        SELECT COUNT(*) AS completed FROM immersion_immersionsession
        WHERE team_id IN ({teams}) AND status = 'completed'
          AND planned_start >= {ts} AND planned_start < {ts}
    ), o AS (
        SELECT COUNT(*) AS n,
               COUNT(*) FILTER (WHERE o.triage_state <> 'untriaged') AS triaged,
               MIN(o.created_at) FILTER (WHERE o.triage_state = 'untriaged') AS oldest
        FROM journal_observation o
        JOIN immersion_immersionsession se ON se.id = o.session_id
        WHERE se.team_id IN ({teams}) AND o.created_at >= {ts} AND o.created_at < {ts}
    ), a AS (
        SELECT COUNT(*) AS n,
               COUNT(*) FILTER (WHERE due_on <= %s) AS due,
               COUNT(*) FILTER (WHERE due_on <= %s AND status IN ('done', 'verified')) AS finished,
               COUNT(*) FILTER (WHERE due_on < %s AND status IN ('open', 'in_progress')) AS overdue,
               COUNT(*) FILTER (WHERE is_published AND status = 'verified') AS published,
               {dialect.median("FLOOR(" + dialect.days_between("verified_at", "created_at") + ")")}
                   FILTER (WHERE status = 'verified') AS to_verified
        FROM insights_action
        WHERE team_id IN ({teams}) AND created_at >= {ts} AND created_at < {ts}
    ), first_action AS (
        SELECT FLOOR({dialect.days_between("MIN(ac.created_at)", "o.created_at")}) AS wait
        FROM journal_observation o
        JOIN immersion_immersionsession se ON se.id = o.session_id
        JOIN insights_action_observations ao ON ao.observation_id = o.id
        JOIN insights_action ac ON ac.id = ao.action_id
        WHERE se.team_id IN ({teams}) AND o.created_at >= {ts} AND o.created_at < {ts}
        GROUP BY o.id, o.created_at
    )
    SELECT s.completed, o.n, o.triaged, o.oldest, a.n, a.due, a.finished, a.overdue,
           a.published, a.to_verified, (SELECT {dialect.median("wait")} FROM first_action)
    FROM s, o, a
    """  # noqa: S608 - built from the bench's own integers
    since = connection.ops.adapt_datetimefield_value(since)
    until = connection.ops.adapt_datetimefield_value(until)
    today = connection.ops.adapt_datefield_value(today)
    params = [since, until, since, until, today, today, today, since, until, since, until]
    return sql, params


def newer_sql(filters, before, dialect: Dialect) -> tuple[str, list]:
    """The newer figures in one statement: one row per figure, (name, key, number)."""
    teams = ", ".join(str(pk) for pk in sorted(filters.team_ids))
    ts = dialect.timestamp()
    last = min(filters.end, filters.today)
    after_before = before.until  # the first moment after the previous period
    scoped_obs = f"""journal_observation o JOIN immersion_immersionsession se
        ON se.id = o.session_id WHERE se.team_id IN ({teams})"""
    in_period = f"o.created_at >= {ts} AND o.created_at < {ts}"
    timely = f"status IN ('done', 'verified') AND {dialect.date_of('done_at')} <= due_on"
    sql = f"""
    SELECT 'on_time', 'due', COUNT(*) FILTER (WHERE due_on BETWEEN %s AND %s)
        FROM insights_action WHERE team_id IN ({teams})
    UNION ALL SELECT 'on_time', 'on_time',
        COUNT(*) FILTER (WHERE due_on BETWEEN %s AND %s AND {timely})
        FROM insights_action WHERE team_id IN ({teams})
    UNION ALL SELECT 'on_time', 'due_before', COUNT(*) FILTER (WHERE due_on BETWEEN %s AND %s)
        FROM insights_action WHERE team_id IN ({teams})
    UNION ALL SELECT 'on_time', 'on_time_before',
        COUNT(*) FILTER (WHERE due_on BETWEEN %s AND %s AND {timely})
        FROM insights_action WHERE team_id IN ({teams})
    UNION ALL SELECT 'overdue', 'count',
        COUNT(*) FILTER (WHERE status IN ('open', 'in_progress') AND due_on < %s)
        FROM insights_action WHERE team_id IN ({teams})
    UNION ALL SELECT 'overdue', 'before', COUNT(*) FILTER (
            WHERE created_at < {ts} AND due_on < %s AND status <> 'dropped'
              AND (done_at IS NULL OR done_at >= {ts}))
        FROM insights_action WHERE team_id IN ({teams})
    UNION ALL SELECT 'waiting', 'count', COUNT(*) FILTER (WHERE o.triage_state = 'untriaged')
        FROM {scoped_obs}
    UNION ALL SELECT 'waiting', 'before', COUNT(*) FILTER (
            WHERE o.created_at < {ts}
              AND (o.triage_state = 'untriaged' OR o.triaged_at >= {ts}))
        FROM {scoped_obs}
    UNION ALL SELECT 'sessions_before', '', COUNT(*) FROM immersion_immersionsession
        WHERE team_id IN ({teams}) AND status = 'completed'
          AND planned_start >= {ts} AND planned_start < {ts}
    UNION ALL SELECT 'feelings', o.touchpoint || '/' || o.emotion, COUNT(*)
        FROM {scoped_obs} AND {in_period} GROUP BY o.touchpoint, o.emotion
    UNION ALL SELECT 'theme_observations', CAST(ot.theme_id AS TEXT), COUNT(*)
        FROM insights_observationtheme ot JOIN journal_observation o ON o.id = ot.observation_id
        JOIN immersion_immersionsession se ON se.id = o.session_id
        WHERE se.team_id IN ({teams}) AND {in_period} GROUP BY ot.theme_id
    UNION ALL SELECT 'theme_actions', CAST(at.theme_id AS TEXT), COUNT(*)
        FROM insights_actiontheme at JOIN insights_action a ON a.id = at.action_id
        WHERE a.team_id IN ({teams}) AND a.created_at >= {ts} AND a.created_at < {ts}
        GROUP BY at.theme_id
    UNION ALL SELECT 'revisits', 'answered', COUNT(*) FILTER (WHERE r.answer_id IS NOT NULL)
        FROM insights_revisit r WHERE r.team_id IN ({teams})
          AND r.verified_at >= {ts} AND r.verified_at < {ts}
    UNION ALL SELECT 'revisits', 'improved',
        COUNT(*) FILTER (WHERE r.answer_id IS NOT NULL AND r.improved)
        FROM insights_revisit r WHERE r.team_id IN ({teams})
          AND r.verified_at >= {ts} AND r.verified_at < {ts}
    UNION ALL SELECT 'revisits', 'overdue', COUNT(*) FILTER (
            WHERE r.answer_id IS NULL AND a.status = 'verified' AND r.due_on < %s)
        FROM insights_revisit r JOIN insights_action a ON a.id = r.action_id
        WHERE r.team_id IN ({teams}) AND r.verified_at >= {ts} AND r.verified_at < {ts}
    """  # noqa: S608 - built from the bench's own integers
    day = connection.ops.adapt_datefield_value
    moment = connection.ops.adapt_datetimefield_value
    start, end, today = day(filters.start), day(last), day(filters.today)
    b_start, b_end = day(before.start), day(before.end)
    since, until = moment(filters.since), moment(filters.until)
    after = moment(after_before)
    params = [
        start, end, start, end, b_start, b_end, b_start, b_end,
        today,
        after, b_end, after,
        after, after,
        moment(before.since), moment(before.until),
        since, until,
        since, until,
        since, until,
        since, until,
        since, until,
        today, since, until,
    ]  # fmt: skip
    return sql, params


def page_figures(filters) -> dict:
    """The same figures as the page computes them, keyed as the SQL keys them."""
    from insights import revisits
    from insights.dashboard import build
    from insights.dashboard_headline import completed_sessions, on_time, overdue, previous, waiting
    from insights.dashboard_themes import theme_rows

    before = previous(filters)
    timely = on_time(filters, before)
    late = overdue(filters, before.end)
    queue = waiting(filters, before.end)
    figures = {
        ("on_time", key): timely[key] for key in ("due", "on_time", "due_before", "on_time_before")
    }
    figures |= {("overdue", "count"): late["count"], ("overdue", "before"): late["before"]}
    figures |= {("waiting", "count"): queue["count"], ("waiting", "before"): queue["before"]}
    figures[("sessions_before", "")] = completed_sessions(before)
    for row in build(filters)["heatmap"]["rows"]:
        for cell in row["cells"]:
            if cell["count"]:
                figures[("feelings", f"{row['touchpoint']}/{cell['emotion']}")] = cell["count"]
    for row in theme_rows(filters):
        if row["observations"]:
            figures[("theme_observations", str(row["theme"].pk))] = row["observations"]
        if row["actions"]:
            figures[("theme_actions", str(row["theme"].pk))] = row["actions"]
    total = revisits.figures(filters)["total"]
    for key in ("answered", "improved", "overdue"):
        figures[("revisits", key)] = getattr(total, key)
    return figures


def sql_figures(rows) -> dict:
    return {(name, key): number for name, key, number in rows if number}


def compare_newer(page: dict, by_hand: dict) -> bool:
    """Print where the two sides differ; True when they agree on every figure."""
    page = {key: value for key, value in page.items() if value}
    differ = sorted(set(page) | set(by_hand), key=str)
    wrong = [key for key in differ if page.get(key) != by_hand.get(key)]
    kinds = Counter(name for name, _key in page)
    print(
        "  newer figures: "
        + ", ".join(f"{count} {name}" for name, count in sorted(kinds.items()))
        + (" - all equal" if not wrong else f" - {len(wrong)} DIFFERENT")
    )
    for key in wrong[:10]:
        print(f"    {key}: view {page.get(key)}   SQL {by_hand.get(key)}")
    return not wrong


def compare_figures(head: dict, row) -> None:
    """Both sides must agree before their times mean anything."""
    pairs = [
        ("completed_sessions", row[0]),
        ("observations", row[1]),
        ("untriaged", row[1] - row[2]),
        ("actions", row[4]),
        ("due", row[5]),
        ("finished_due", row[6]),
        ("overdue", row[7]),
        ("published", row[8]),
        ("median_days_to_verified", float(row[9]) if row[9] is not None else None),
        ("median_days_to_action", float(row[10]) if row[10] is not None else None),
    ]
    for key, expected in pairs:
        got = head[key]
        same = (
            got == expected
            if not isinstance(expected, float)
            else got is not None and abs(got - expected) < 1e-6
        )
        print(
            f"  {key:<26} view {got!s:>12}   SQL {expected!s:>12}{'' if same else '   DIFFERENT'}"
        )
