"""Keeping the dashboard's observation summary (``ObservationDay``) equal to the observations.

A change marks the team's day stale in its own transaction (``mark_*``, called from the
model signals wired in ``insights.apps`` and from the few bulk updates); once it commits,
``refresh_stale_observation_days`` is queued and computes each marked day again from the
observations. A broker that is down leaves the marks for the sweep, every minute. The
repair (``rebuild``) computes every row again; ``drift`` lists the days whose rows differ
from the observations, for ``manage.py dashboard_summaries --check``.

Whole days are computed again rather than rows adjusted by each change: the result is
exact whatever happened in between (edits, moves, deletions, a refresh run twice), and a
team's day is a few dozen observations at most.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.models import (
    BigIntegerField,
    Count,
    F,
    Func,
    IntegerField,
    Min,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from insights.dashboard_filters import local_midnight
from insights.models import ObservationTheme
from insights.models.summaries import ObservationDay, ObservationWaitDay, StaleObservationDay
from journal.models import Observation

# A refresh takes this many marks per transaction, so a long backlog is worked off in
# short transactions that never hold many locks.
REFRESH_BATCH = 200
# The nightly check looks this far back: the weeks the dashboard is mostly read for, at a
# cost that does not grow with the years behind them (the command checks everything).
NIGHTLY_CHECK_DAYS = 35


# --- marking ---------------------------------------------------------------------------


def mark(days: Iterable[tuple[dt.date, int]]) -> None:
    """Mark (day, team id) pairs stale, and queue their refresh for after the commit."""
    marks = [StaleObservationDay(day=day, team_id=team_id) for day, team_id in set(days)]
    if not marks:
        return
    StaleObservationDay.objects.bulk_create(marks, ignore_conflicts=True)
    # One refresh per transaction is enough, however many changes it marks (triaging
    # ten observations at once, say): it computes every mark that has committed.
    if not any(
        isinstance(callback, QueueRefresh) and not callback.ran
        for _, callback, _ in connection.run_on_commit
    ):
        transaction.on_commit(QueueRefresh(), robust=True)


class QueueRefresh:
    """Run once the transaction commits: the refresh of what it marked goes to a worker."""

    def __init__(self):
        self.ran = False

    def __call__(self) -> None:
        from immersion.dispatch import publish
        from insights.tasks import refresh_observation_days

        self.ran = True
        publish(refresh_observation_days)


def mark_observation(observation: Observation) -> None:
    mark([(timezone.localdate(observation.created_at), observation.session.team_id)])


def mark_observations(observations) -> None:
    """Mark the days of a queryset of observations, around a bulk update that changes them."""
    mark(
        observations.order_by()
        .annotate(day=TruncDate("created_at"))
        .values_list("day", "session__team_id")
        .distinct()
    )


def mark_session(session_id: int, team_ids: Iterable[int]) -> None:
    """A session's team or descriptors changed: every day of its observations, in each team."""
    days = (
        Observation.objects.filter(session_id=session_id)
        .order_by()
        .annotate(day=TruncDate("created_at"))
        .values_list("day", flat=True)
        .distinct()
    )
    mark((day, team_id) for day in days for team_id in set(team_ids))


# --- computing ---------------------------------------------------------------------------


class WholeDaysBetween(Func):
    """Whole days from `earlier` to `later`, rounded down, in SQL on both databases."""

    output_field = IntegerField()

    def __init__(self, later, earlier):
        super().__init__(later, earlier)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="FLOOR(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400)::integer",
            arg_joiner=" - ",
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        later, earlier = (compiler.compile(e) for e in self.get_source_expressions())
        sql = f"CAST(FLOOR(julianday({later[0]}) - julianday({earlier[0]})) AS INTEGER)"
        return sql, (*later[1], *earlier[1])


def _untriaged(prefix: str = "") -> Q:
    return Q(**{f"{prefix}triage_state": Observation.TriageState.UNTRIAGED})


def _keys(prefix: str = "") -> dict:
    session = f"{prefix}session__"
    return {
        "summary_day": TruncDate(f"{prefix}created_at"),
        "summary_team": F(f"{session}team_id"),
        "summary_session_type": F(f"{session}session_type_id"),
        "summary_persona": F(f"{session}persona_id"),
        "summary_programme": F(f"{session}programme_id"),
    }


def _each_and_by_theme(observation_filter: Q, values):
    """The observations `observation_filter` selects, once each without a theme, then
    once per theme they carry: ``values(prefix, theme)`` shapes each side."""
    # Typed, or PostgreSQL reads a bare NULL in a subquery as text.
    no_theme = Cast(Value(None), output_field=BigIntegerField())
    observations = Observation.objects.filter(observation_filter)
    links = ObservationTheme.objects.filter(observation__in=observations)
    return [
        values(observations.order_by(), "", no_theme),
        values(links.order_by(), "observation__", F("theme_id")),
    ]


def _feelings(observation_filter: Q) -> list:
    """ObservationDay's rows: grouped in SQL."""

    def values(queryset, prefix, theme):
        untriaged = _untriaged(prefix)
        return queryset.values(
            **_keys(prefix),
            summary_theme=theme,
            summary_touchpoint=F(f"{prefix}touchpoint"),
            summary_emotion=F(f"{prefix}emotion"),
        ).annotate(
            count=Count("pk"),
            intensity=Sum(f"{prefix}intensity"),
            triaged=Count("pk", filter=~untriaged),
            oldest_untriaged=Min(f"{prefix}created_at", filter=untriaged),
        )

    return _each_and_by_theme(observation_filter, values)


def _waits(observation_filter: Q) -> list:
    """ObservationWaitDay's rows before grouping: one per observation with an action (per
    theme link), with the whole days until the first action raised about it.

    A join grouped by observation, not a lookup per observation: the planner then reads
    each table once, which a rebuild over millions of rows needs."""

    def values(queryset, prefix, theme):
        return (
            queryset.values(
                summary_each=F("pk"),
                **_keys(prefix),
                summary_theme=theme,
            )
            .annotate(
                summary_wait=WholeDaysBetween(
                    Min(f"{prefix}actions__created_at"), F(f"{prefix}created_at")
                )
            )
            .filter(summary_wait__isnull=False)
        )

    return _each_and_by_theme(observation_filter, values)


@dataclass(frozen=True)
class Summary:
    model: type
    columns: list[str]
    # The computed queries' columns, in the order of `columns`.
    aliases: list[str]
    querysets: Callable[[Q], list]
    # Grouped by the statement around the queries, which give one row per observation.
    counted: bool = False

    def selects(self, observation_filter: Q) -> list[tuple[str, tuple]]:
        """SELECT statements giving the rows for the observations the filter selects."""
        quote = connection.ops.quote_name
        listed = ", ".join(quote(alias) for alias in self.aliases)
        statements = []
        for queryset in self.querysets(observation_filter):
            sql, params = queryset.query.sql_with_params()
            if self.counted:
                select = f"SELECT {listed}, COUNT(*) FROM ({sql}) AS computed GROUP BY {listed}"  # noqa: S608
            else:
                select = f"SELECT {listed} FROM ({sql}) AS computed"  # noqa: S608
            statements.append((select, params))
        return statements

    def insert(self, observation_filter: Q) -> None:
        """INSERT ... SELECT: the rows never travel through Python, which matters for a
        rebuild over millions of observations."""
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        columns = ", ".join(quote(column) for column in self.columns)
        with connection.cursor() as cursor:
            for select, params in self.selects(observation_filter):
                cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params)

    def rows(self, stored_filter: Q) -> set[tuple]:
        return set(self.model.objects.filter(stored_filter).values_list(*self.columns))


KEY_COLUMNS = ["day", "team_id", "session_type_id", "persona_id", "programme_id", "theme_id"]
KEY_ALIASES = [
    "summary_day",
    "summary_team",
    "summary_session_type",
    "summary_persona",
    "summary_programme",
    "summary_theme",
]
SUMMARIES = [
    Summary(
        ObservationDay,
        [
            *KEY_COLUMNS,
            "touchpoint",
            "emotion",
            "count",
            "intensity",
            "triaged",
            "oldest_untriaged",
        ],
        [
            *KEY_ALIASES,
            "summary_touchpoint",
            "summary_emotion",
            "count",
            "intensity",
            "triaged",
            "oldest_untriaged",
        ],
        _feelings,
    ),
    Summary(
        ObservationWaitDay,
        [*KEY_COLUMNS, "wait_days", "count"],
        [*KEY_ALIASES, "summary_wait"],
        _waits,
        counted=True,
    ),
]


def _days_filter(days: Iterable[tuple[dt.date, int]]) -> Q:
    condition = Q(pk__in=[])
    for day, team_id in days:
        condition |= Q(
            created_at__gte=local_midnight(day),
            created_at__lt=local_midnight(day + dt.timedelta(days=1)),
            session__team_id=team_id,
        )
    return condition


def _stored(days: Iterable[tuple[dt.date, int]]) -> Q:
    condition = Q(pk__in=[])
    for day, team_id in days:
        condition |= Q(day=day, team_id=team_id)
    return condition


def refresh(days: Iterable[tuple[dt.date, int]]) -> None:
    """Compute the rows of these (day, team id) pairs again from the observations."""
    days = list(days)
    if not days:
        return
    with transaction.atomic():
        for summary in SUMMARIES:
            summary.model.objects.filter(_stored(days)).delete()
            summary.insert(_days_filter(days))


def refresh_stale(batches: int | None = None) -> int:
    """Work off the marks (all of them, or this many batches): each batch is taken,
    computed again and cleared in one transaction; marks another worker or page holds
    are skipped, not waited for. Returns how many were done."""
    done = 0
    while batches is None or batches > 0:
        with transaction.atomic(using=DEFAULT_DB_ALIAS):
            # On the primary even while a page reads from the replica.
            batch = list(
                StaleObservationDay.objects.using(DEFAULT_DB_ALIAS)
                .select_for_update(skip_locked=True)
                .order_by("pk")
                .values_list("pk", "day", "team_id")[:REFRESH_BATCH]
            )
            if not batch:
                return done
            refresh((day, team_id) for _, day, team_id in batch)
            StaleObservationDay.objects.filter(pk__in=[pk for pk, _, _ in batch]).delete()
            done += len(batch)
        if batches is not None:
            batches -= 1
    return done


def catch_up() -> None:
    """Before a page reads the summary: the marks whose refresh has not run yet (a broker
    down, a worker behind or stopped) are computed now, so figures are never behind what
    was saved. Nothing waiting costs one read of an empty table; a long backlog is left
    to the sweep beyond one batch, so no page pays for an outage's worth of it."""
    if StaleObservationDay.objects.using(DEFAULT_DB_ALIAS).exists():
        refresh_stale(batches=1)


def rebuild() -> int:
    """Every row again, from every observation: the repair. Returns the rows written."""
    with transaction.atomic():
        StaleObservationDay.objects.all().delete()
        written = 0
        for summary in SUMMARIES:
            summary.model.objects.all().delete()
            summary.insert(Q())
            written += summary.model.objects.count()
        return written


# --- checking ------------------------------------------------------------------------------


def drift(since: dt.date | None = None) -> list[tuple[dt.date, int]]:
    """The (day, team id) pairs whose summary rows differ from their observations, from
    `since` on (every day when None); days still marked stale are not drift.

    The rows are computed again where they are kept, read back and rolled back, so both
    sides are read alike and nothing changes.
    """
    observation_filter = Q(created_at__gte=local_midnight(since)) if since else Q()
    stored_filter = Q(day__gte=since) if since else Q()
    differing = set()
    with transaction.atomic():
        for summary in SUMMARIES:
            stored = summary.rows(stored_filter)
            summary.model.objects.filter(stored_filter).delete()
            summary.insert(observation_filter)
            differing |= {(row[0], row[1]) for row in stored ^ summary.rows(stored_filter)}
        transaction.set_rollback(True)
    pending = set(StaleObservationDay.objects.values_list("day", "team_id"))
    return sorted(differing - pending)


# --- what marks a day stale: wired in insights.apps ------------------------------------------


def observation_changed(sender, instance, **kwargs) -> None:
    mark_observation(instance)


def links_changed(sender, instance, action, pk_set, **kwargs) -> None:
    """Themes or actions added to or taken from observations with the related managers,
    from either side (a theme's or an action's ``observations``, or the observation's)."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if isinstance(instance, Observation):
        mark_observation(instance)
    elif action == "pre_clear":
        mark_observations(instance.observations.all())
    else:
        mark_observations(Observation.objects.filter(pk__in=pk_set))


SESSION_FIELDS = ("team_id", "session_type_id", "persona_id", "programme_id")


def session_saving(sender, instance, update_fields=None, **kwargs) -> None:
    """Note what a session was filed under, if this save may change it."""
    if instance._state.adding or (
        update_fields is not None
        and not {"team", "session_type", "persona", "programme"} & set(update_fields)
    ):
        instance._filed_under = None
        return
    instance._filed_under = (
        sender.objects.filter(pk=instance.pk).values_list(*SESSION_FIELDS).first()
    )


def session_saved(sender, instance, created, **kwargs) -> None:
    """A session moved to another team, or given another type, persona or programme,
    moves its observations in the summary."""
    before = getattr(instance, "_filed_under", None)
    if before is None:
        return
    now = tuple(getattr(instance, name) for name in SESSION_FIELDS)
    if before != now:
        mark_session(instance.pk, {before[0], instance.team_id})
