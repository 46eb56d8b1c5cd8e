"""The dashboard's headline row: four figures, each against the previous period of the
same length, each with a good/bad cue in words and an arrow (never colour alone).

- Finished on time: of the actions due inside the period (up to today), the share done
  or verified by their due date.
- Overdue now: unfinished actions past their due date, whenever raised, with the oldest;
  compared with how many were overdue on the last day of the previous period.
- Waiting for a decision: observations not yet triaged, whenever made, with the oldest;
  compared with how many were waiting on the last day of the previous period.
- Participation: sessions completed in the period over the programmes' target.

Each is a handful of aggregates whatever the amount of data.
"""

import dataclasses
import datetime as dt
from functools import partial
from urllib.parse import urlencode

from django.db.models import Count, Exists, F, Min, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from immersion.models import ImmersionSession
from insights.charts import percent, short_day, short_day_month
from insights.dashboard import (
    FINISHED,
    UNFINISHED,
    participation_target,
    share,
    summarised_actions,
    summarised_scope,
    summarised_sessions,
)
from insights.dashboard_filters import Filters, local_midnight
from insights.models import Action, SessionDay
from journal.models import Observation


def previous(filters: Filters) -> Filters:
    """The period of the same length that ends the day before this one starts."""
    length = filters.end - filters.start
    end = filters.start - dt.timedelta(days=1)
    return dataclasses.replace(filters, start=end - length, end=end)


def scoped_actions(filters: Filters):
    """Actions of the filtered teams, following the session filters like the page does."""
    actions = Action.objects.filter(team_id__in=filters.team_ids)
    if filters.narrows_sessions:
        links = Action.observations.through.objects.filter(
            filters.session_q("observation__session__"), action_id=OuterRef("pk")
        )
        actions = actions.filter(Exists(links))
    return actions


def scoped_observations(filters: Filters):
    return Observation.objects.filter(filters.session_q("session__"))


def on_time(filters: Filters, before: Filters, *, from_actions: bool | None = None) -> dict:
    """Actions due from each period's first day to its last (or today, if sooner).

    One query for both periods: they are adjacent, so one range holds them. From the
    summary, unless counted `from_actions` (by default when a session filter is chosen).
    """
    last = min(filters.end, filters.today)
    in_now = Q(due_on__gte=filters.start, due_on__lte=last)
    in_before = Q(due_on__gte=before.start, due_on__lte=before.end)
    if filters.narrows_sessions if from_actions is None else from_actions:
        rows, counted = scoped_actions(filters), partial(Count, "pk")
        timely = Q(status__in=FINISHED, done_at__date__lte=F("due_on"))
    else:
        rows, counted = summarised_actions(filters, themed=False), partial(Sum, "count")
        timely = Q(status__in=FINISHED, late_done_on__isnull=True)
    result = rows.filter(due_on__gte=before.start, due_on__lte=last).aggregate(
        due=Coalesce(counted(filter=in_now), 0),
        on_time=Coalesce(counted(filter=in_now & timely), 0),
        due_before=Coalesce(counted(filter=in_before), 0),
        on_time_before=Coalesce(counted(filter=in_before & timely), 0),
    )
    return {
        **result,
        "share": share(result["on_time"], result["due"]),
        "share_before": share(result["on_time_before"], result["due_before"]),
        "last": last,
    }


def overdue(filters: Filters, day: dt.date, *, from_actions: bool | None = None) -> dict:
    """Overdue today, with the oldest; and overdue at the end of `day`: raised by then,
    due before it and not finished by then (dropped actions left out, as today). From the
    summary, unless counted `from_actions` (as `on_time`)."""
    today = filters.today
    now = Q(status__in=UNFINISHED, due_on__lt=today)
    if filters.narrows_sessions if from_actions is None else from_actions:
        after = local_midnight(day + dt.timedelta(days=1))
        rows, counted = scoped_actions(filters), partial(Count, "pk")
        then = (
            Q(created_at__lt=after, due_on__lt=day)
            & ~Q(status=Action.Status.DROPPED)
            & (Q(done_at__isnull=True) | Q(done_at__gte=after))
        )
    else:
        # An unfinished action has no day done; one finished by its due date was never
        # late; one finished later was overdue until the day it was done.
        rows, counted = summarised_actions(filters, themed=False), partial(Sum, "count")
        then = Q(day__lte=day, due_on__lt=day) & (
            Q(status__in=UNFINISHED) | Q(status__in=FINISHED, late_done_on__gt=day)
        )
    result = rows.filter(now | then).aggregate(
        overdue_now=Coalesce(counted(filter=now), 0),
        oldest=Min("due_on", filter=now),
        before=Coalesce(counted(filter=then), 0),
    )
    oldest = result["oldest"]
    return {
        "count": result["overdue_now"],
        "oldest": oldest,
        "before": result["before"],
        "oldest_days": None if oldest is None else (today - oldest).days,
    }


def waiting(filters: Filters, day: dt.date) -> dict:
    """Observations waiting for triage now, with the oldest; and those made by the end
    of `day` and not triaged by then.

    Those waiting now (made by the end of `day` or not) come from the observation summary;
    those made by then but triaged after it from the observations, by an index on when
    they were triaged: the cost follows what was triaged since, not every observation."""
    after = local_midnight(day + dt.timedelta(days=1))
    untriaged = F("count") - F("triaged")
    queue = summarised_scope(filters).aggregate(
        waiting_now=Coalesce(Sum(untriaged), 0),
        oldest=Min("oldest_untriaged"),
        waiting_then=Coalesce(Sum(untriaged, filter=Q(day__lte=day)), 0),
    )
    triaged_since = (
        scoped_observations(filters)
        .filter(triaged_at__gte=after, created_at__lt=after)
        .exclude(triage_state=Observation.TriageState.UNTRIAGED)
        .count()
    )
    oldest = queue["oldest"]
    return {
        "count": queue["waiting_now"],
        "oldest": oldest,
        "before": queue["waiting_then"] + triaged_since,
        "oldest_days": None if oldest is None else (timezone.now() - oldest).days,
    }


def completed_sessions(filters: Filters) -> int:
    return (
        summarised_sessions(filters, SessionDay)
        .filter(day__gte=filters.start, day__lte=filters.end)
        .aggregate(count=Coalesce(Sum("count"), 0))["count"]
    )


def participation(filters: Filters) -> dict:
    done = completed_sessions(filters)
    target = participation_target(filters).total
    return {"completed": done, "target": round(target), "share": share(done, target)}


@dataclasses.dataclass
class Figure:
    key: str
    label: str
    value: str
    detail: str
    previous: str
    change: float | None
    higher_is_better: bool
    url: str
    link_note: str
    period: str
    unit: str = ""

    @property
    def change_text(self) -> str:
        if self.change is None:
            return gettext("no comparison")
        if not self.change:
            return gettext("no change")
        if self.unit.strip() == "points":
            return ngettext("%(change)s point", "%(change)s points", abs(self.change)) % {
                "change": f"{self.change:+g}"
            }
        return f"{self.change:+g}"

    @property
    def verdict(self) -> str:
        """better, worse, same or unknown (nothing earlier to compare with)."""
        if self.change is None:
            return "unknown"
        if not self.change:
            return "same"
        return "better" if (self.change > 0) == self.higher_is_better else "worse"

    @property
    def arrow(self) -> str:
        if self.change is None:
            return "\u2013"
        if not self.change:
            return "\u2192"
        return "\u2191" if self.change > 0 else "\u2193"


def _pct(value: float | None) -> str:
    return percent(value)


def _points(now: float | None, before: float | None) -> float | None:
    """Change of a share, in percentage points; none when either side has no data."""
    if now is None or before is None:
        return None
    return round((now - before) * 100)


def _url(name: str, params: dict) -> str:
    return f"{reverse(name)}?{urlencode({k: v for k, v in params.items() if v is not None})}"


def _carried(filters: Filters) -> dict:
    return {
        name: getattr(filters, name).pk
        for name in ("team", "session_type", "persona", "programme")
        if getattr(filters, name) is not None
    }


def _days(n: int | None) -> str:
    return "" if n is None else ngettext("%(count)s day", "%(count)s days", n) % {"count": n}


def _span(start: dt.date, end: dt.date) -> str:
    return gettext("%(start)s to %(end)s") % {
        "start": short_day_month(start),
        "end": short_day(end),
    }


def _on(count: int, day: dt.date) -> str:
    return gettext("%(count)s on %(day)s") % {"count": count, "day": short_day(day)}


def _today(day: dt.date) -> str:
    return gettext("Today, %(day)s") % {"day": short_day(day)}


def headline(filters: Filters, figures: dict) -> list[Figure]:
    """The four figures; `figures` is ``build``'s headline, for this period's participation.

    Reads the observation summary: ``build`` (or the caller) has had it catch up first."""
    before = previous(filters)
    period = _span(filters.start, filters.end)
    earlier = _span(before.start, before.end)
    carried = _carried(filters)

    timely = on_time(filters, before)
    late = overdue(filters, before.end)
    queue = waiting(filters, before.end)
    taking_part = {
        "completed": figures["completed_sessions"],
        "target": figures["target_sessions"],
        "share": figures["participation"],
    }
    taking_part_before = participation(before)

    return [
        Figure(
            key="on_time",
            label=gettext("Actions finished on time"),
            value=_pct(timely["share"]),
            detail=gettext("%(on_time)s of %(due)s due")
            % {"on_time": timely["on_time"], "due": timely["due"]},
            previous=gettext("%(value)s in %(period)s")
            % {"value": _pct(timely["share_before"]), "period": earlier},
            change=_points(timely["share"], timely["share_before"]),
            higher_is_better=True,
            unit=" points",
            url=_url(
                "insights:action-list",
                {
                    **carried,
                    "due_after": filters.start.isoformat(),
                    "due_before": timely["last"].isoformat(),
                    "on_time": "1",
                },
            ),
            link_note=gettext("the actions finished on time"),
            period=gettext("Due %(period)s") % {"period": _span(filters.start, timely["last"])},
        ),
        Figure(
            key="overdue",
            label=gettext("Overdue now"),
            value=str(late["count"]),
            detail=(
                gettext("the oldest %(days)s late") % {"days": _days(late["oldest_days"])}
                if late["count"]
                else gettext("none late")
            ),
            previous=_on(late["before"], before.end),
            change=late["count"] - late["before"],
            higher_is_better=False,
            url=_url("insights:action-list", {**carried, "overdue": "1"}),
            link_note=gettext("all overdue actions, whenever raised"),
            period=_today(filters.today),
        ),
        Figure(
            key="waiting",
            label=gettext("Observations waiting for a decision"),
            value=str(queue["count"]),
            detail=(
                gettext("the oldest for %(days)s") % {"days": _days(queue["oldest_days"])}
                if queue["count"]
                else gettext("none waiting")
            ),
            previous=_on(queue["before"], before.end),
            change=queue["count"] - queue["before"],
            higher_is_better=False,
            url=_url(
                "journal:list",
                {**carried, "triage_state": Observation.TriageState.UNTRIAGED},
            ),
            link_note=gettext("all observations waiting, whenever made"),
            period=_today(filters.today),
        ),
        Figure(
            key="participation",
            label=gettext("Participation against target"),
            value=_pct(taking_part["share"]),
            detail=gettext("%(completed)s sessions of %(target)s")
            % {"completed": taking_part["completed"], "target": taking_part["target"]},
            previous=gettext("%(value)s in %(period)s")
            % {"value": _pct(taking_part_before["share"]), "period": earlier},
            change=_points(taking_part["share"], taking_part_before["share"]),
            higher_is_better=True,
            unit=" points",
            url=_url(
                "immersion:schedule",
                {
                    **carried,
                    "starts_from": filters.start.isoformat(),
                    "starts_until": filters.end.isoformat(),
                    "status": ImmersionSession.Status.COMPLETED,
                },
            ),
            link_note=gettext("the sessions completed"),
            period=period,
        ),
    ]
