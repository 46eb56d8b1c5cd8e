"""What the dashboard's summaries hold and how each is computed from its table, in SQL:
the observations' feelings and days to first action, the actions' times to each step,
their statuses and due dates, the sessions completed and the re-visits
(``insights.models.summaries``). ``insights.summaries`` decides when."""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncDate

from immersion.models import ImmersionSession
from insights.dashboard_filters import local_midnight
from insights.models import Action, ActionTheme, ObservationTheme, ReVisit
from insights.models.summaries import (
    ActionDay,
    ActionTimeDay,
    ObservationDay,
    ObservationWaitDay,
    RevisitDay,
    SessionDay,
)
from journal.models import Observation


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


def _action_times(action_filter: Q) -> list:
    """ActionTimeDay's rows before grouping: one per action and step it reached (per theme
    link), with the whole days from being raised to the step."""
    # Typed, or PostgreSQL reads a bare NULL in a subquery as text.
    no_theme = Cast(Value(None), output_field=BigIntegerField())
    actions = Action.objects.filter(action_filter)
    links = ActionTheme.objects.filter(action__in=actions)
    steps = {
        ActionTimeDay.Step.STARTED: "started_at",
        ActionTimeDay.Step.DONE: "done_at",
        ActionTimeDay.Step.VERIFIED: "verified_at",
    }
    querysets = []
    for queryset, prefix, theme in ((actions, "", no_theme), (links, "action__", F("theme_id"))):
        keys = {
            "summary_day": TruncDate(f"{prefix}created_at"),
            "summary_team": F(f"{prefix}team_id"),
            "summary_theme": theme,
        }
        raised = Value(ActionTimeDay.Step.RAISED, output_field=CharField())
        querysets.append(
            queryset.order_by().values(
                summary_each=F("pk"), **keys, summary_step=raised, summary_days=Value(0)
            )
        )
        for step, moment in steps.items():
            querysets.append(
                queryset.order_by()
                .filter(**{f"{prefix}{moment}__isnull": False})
                .values(
                    summary_each=F("pk"),
                    **keys,
                    summary_step=Value(step, output_field=CharField()),
                    summary_days=WholeDaysBetween(F(f"{prefix}{moment}"), F(f"{prefix}created_at")),
                )
            )
    return querysets


def _action_days(action_filter: Q) -> list:
    """ActionDay's rows: grouped in SQL, each action once and once per theme link."""
    no_theme = Cast(Value(None), output_field=BigIntegerField())
    actions = Action.objects.filter(action_filter)
    links = ActionTheme.objects.filter(action__in=actions)
    finished = [Action.Status.DONE, Action.Status.VERIFIED]
    querysets = []
    for queryset, prefix, theme in ((actions, "", no_theme), (links, "action__", F("theme_id"))):
        late = Q(
            **{f"{prefix}status__in": finished, f"{prefix}done_at__date__gt": F(f"{prefix}due_on")}
        )
        published = Q(**{f"{prefix}status": Action.Status.VERIFIED, f"{prefix}is_published": True})
        querysets.append(
            queryset.order_by()
            .values(
                summary_day=TruncDate(f"{prefix}created_at"),
                summary_team=F(f"{prefix}team_id"),
                summary_theme=theme,
                summary_status=F(f"{prefix}status"),
                summary_due=F(f"{prefix}due_on"),
                summary_late=Case(When(late, then=TruncDate(f"{prefix}done_at")), default=None),
            )
            .annotate(count=Count("pk"), published=Count("pk", filter=published))
        )
    return querysets


def _revisit_days(revisit_filter: Q) -> list:
    """RevisitDay's rows: grouped in SQL, each re-visit once and once per theme of its action."""
    revisits = ReVisit.objects.filter(revisit_filter).order_by()
    waiting = Q(answer__isnull=True, action__status=Action.Status.VERIFIED)
    keys = {
        "summary_day": TruncDate("verified_at"),
        "summary_team": F("team_id"),
        "summary_answered": Case(
            When(answer__isnull=False, then=Value(True)), default=Value(False)
        ),
        "summary_improved": F("improved"),
        "summary_waiting": Case(When(waiting, then=F("due_on")), default=None),
    }
    themed = Exists(ActionTheme.objects.filter(action_id=OuterRef("action_id")))
    no_theme = Cast(Value(None), output_field=BigIntegerField())
    return [
        revisits.values(**keys, summary_theme=no_theme, summary_themed=themed).annotate(
            count=Count("pk")
        ),
        revisits.filter(action__themes__isnull=False)
        .values(**keys, summary_theme=F("action__themes"), summary_themed=Value(True))
        .annotate(count=Count("pk")),
    ]


def _session_days(session_filter: Q) -> list:
    """SessionDay's rows: the completed sessions, grouped in SQL."""
    return [
        ImmersionSession.objects.filter(session_filter, status=ImmersionSession.Status.COMPLETED)
        .order_by()
        .values(
            summary_day=TruncDate("planned_start"),
            summary_team=F("team_id"),
            summary_session_type=F("session_type_id"),
            summary_persona=F("persona_id"),
            summary_programme=F("programme_id"),
        )
        .annotate(count=Count("pk"))
    ]


@dataclass(frozen=True)
class Summary:
    model: type
    columns: list[str]
    # The computed queries' columns, in the order of `columns`.
    aliases: list[str]
    querysets: Callable[[Q], list]
    # Where the rows' team is, from the table they are computed from.
    team_field: str
    # Grouped by the statement around the queries, which give one row per row counted.
    counted: bool = False
    # The moment whose local day files a row: when made or raised, or planned for.
    day_field: str = "created_at"

    def scope(self, days: Iterable[tuple[dt.date, int]]) -> Q:
        """What these (day, team id) pairs' rows are computed from."""
        condition = Q(pk__in=[])
        for day, team_id in days:
            condition |= Q(
                **{
                    f"{self.day_field}__gte": local_midnight(day),
                    f"{self.day_field}__lt": local_midnight(day + dt.timedelta(days=1)),
                    self.team_field: team_id,
                }
            )
        return condition

    def since(self, day: dt.date) -> Q:
        """What the rows from `day` on are computed from."""
        return Q(**{f"{self.day_field}__gte": local_midnight(day)})

    def selects(self, source_filter: Q) -> list[tuple[str, tuple]]:
        """SELECT statements giving the rows for what the filter selects."""
        quote = connection.ops.quote_name
        listed = ", ".join(quote(alias) for alias in self.aliases)
        statements = []
        for queryset in self.querysets(source_filter):
            sql, params = queryset.query.sql_with_params()
            if self.counted:
                select = f"SELECT {listed}, COUNT(*) FROM ({sql}) AS computed GROUP BY {listed}"  # noqa: S608
            else:
                select = f"SELECT {listed} FROM ({sql}) AS computed"  # noqa: S608
            statements.append((select, params))
        return statements

    def insert(self, source_filter: Q) -> None:
        """INSERT ... SELECT: the rows never travel through Python, which matters for a
        rebuild over millions of observations."""
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        columns = ", ".join(quote(column) for column in self.columns)
        with connection.cursor() as cursor:
            for select, params in self.selects(source_filter):
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
        "session__team_id",
    ),
    Summary(
        ObservationWaitDay,
        [*KEY_COLUMNS, "wait_days", "count"],
        [*KEY_ALIASES, "summary_wait"],
        _waits,
        "session__team_id",
        counted=True,
    ),
    Summary(
        ActionTimeDay,
        ["day", "team_id", "theme_id", "step", "days", "count"],
        ["summary_day", "summary_team", "summary_theme", "summary_step", "summary_days"],
        _action_times,
        "team_id",
        counted=True,
    ),
    Summary(
        ActionDay,
        ["day", "team_id", "theme_id", "status", "due_on", "late_done_on", "count", "published"],
        [
            "summary_day",
            "summary_team",
            "summary_theme",
            "summary_status",
            "summary_due",
            "summary_late",
            "count",
            "published",
        ],
        _action_days,
        "team_id",
    ),
    Summary(
        SessionDay,
        ["day", "team_id", "session_type_id", "persona_id", "programme_id", "count"],
        [
            "summary_day",
            "summary_team",
            "summary_session_type",
            "summary_persona",
            "summary_programme",
            "count",
        ],
        _session_days,
        "team_id",
        day_field="planned_start",
    ),
    Summary(
        RevisitDay,
        [
            "day",
            "team_id",
            "theme_id",
            "themed",
            "has_answer",
            "feels_better",
            "waiting_due_on",
            "count",
        ],
        [
            "summary_day",
            "summary_team",
            "summary_theme",
            "summary_themed",
            "summary_answered",
            "summary_improved",
            "summary_waiting",
            "count",
        ],
        _revisit_days,
        "team_id",
        day_field="verified_at",
    ),
]


def stored(days: Iterable[tuple[dt.date, int]]) -> Q:
    condition = Q(pk__in=[])
    for day, team_id in days:
        condition |= Q(day=day, team_id=team_id)
    return condition
