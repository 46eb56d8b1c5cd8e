"""The executive dashboard: every figure as a database aggregate (filters: dashboard_filters).

Each figure set is one grouped query of the daily summaries (``insights.summaries``), so
its cost follows the period and the teams, not how many rows there are: observations by
touchpoint and feeling and the days to their first action, actions' days to each step,
actions by team, week and status, completed sessions by team and week. With a session
type, persona or programme chosen, the action figures are counted from the actions, which
follow those filters through their observations. Headline numbers are the sums of those
groups; medians are taken from the summaries' day histograms (``dashboard_times``).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone

from immersion.models import (
    Programme,
    Team,
    Touchpoint,
    User,
)
from insights import summaries
from insights.dashboard_filters import (
    Filters,
    week_of,
)
from insights.dashboard_times import (
    action_times,
    filtered_actions,
    histogram_median,
    median_days_to_verified,
    status_time_medians,
)
from insights.models import (
    Action,
    ActionDay,
    ObservationDay,
    ObservationWaitDay,
    SessionDay,
)
from journal.models import Emotion

FINISHED = (Action.Status.DONE, Action.Status.VERIFIED)
UNFINISHED = (Action.Status.OPEN, Action.Status.IN_PROGRESS)


# --- the queries -------------------------------------------------------------------


def summarised_observations(filters: Filters, model=ObservationDay, *, by_theme: bool = False):
    """The summary rows of the filtered observations (``insights.summaries``): the same
    days, teams, session descriptors and theme, without reading an observation.

    Each observation once, or with `by_theme` once per theme it carries. The caller has
    the summary catch up first (``summaries.catch_up``).
    """
    rows = summarised_scope(filters, model, themes=True).filter(
        day__gte=filters.start, day__lte=filters.end
    )
    if filters.theme:
        return rows.filter(theme=filters.theme)
    return rows.filter(theme__isnull=not by_theme)


def summarised_scope(filters: Filters, model=ObservationDay, *, themes: bool = False):
    """The summary rows of the filtered teams and session descriptors, on any day: each
    observation once, unless `themes` keeps the rows by theme too."""
    rows = summarised_sessions(filters, model)
    return rows if themes else rows.filter(theme__isnull=True)


def summarised_sessions(filters: Filters, model):
    """The rows of a summary filed by session descriptors (observations', sessions'),
    for the filtered teams, type, persona and programme."""
    rows = model.objects.filter(team_id__in=filters.team_ids)
    for name in ("session_type", "persona", "programme"):
        chosen = getattr(filters, name)
        if chosen is not None:
            rows = rows.filter(**{f"{name}_id": chosen.pk})
    return rows


def summarised_actions(filters: Filters, *, themed: bool = True):
    """ActionDay's rows of the filtered teams, on any day: of the chosen theme (unless
    not `themed`), or each action once. Not for the session filters, which an action
    follows through the observations it addresses: no summary row can tell."""
    rows = ActionDay.objects.filter(team_id__in=filters.team_ids)
    if themed and filters.theme:
        return rows.filter(theme=filters.theme)
    return rows.filter(theme__isnull=True)


def observation_groups(filters: Filters) -> list[dict]:
    """One row per touchpoint and feeling: how many, how strong, how many triaged."""
    return list(
        summarised_observations(filters)
        .order_by()
        .values("touchpoint", "emotion")
        .annotate(
            count=Sum("count"),
            intensity=Sum("intensity"),
            triaged=Sum("triaged"),
            oldest_untriaged=Min("oldest_untriaged"),
        )
    )


def action_groups(filters: Filters, *, from_actions: bool | None = None) -> list[dict]:
    """One row per team, week raised and status, with the due, overdue and published counts.

    From the summary, unless counted `from_actions` (by default when a session filter is
    chosen)."""
    today = filters.today
    if filters.narrows_sessions if from_actions is None else from_actions:
        return list(
            filtered_actions(filters)
            .order_by()
            .annotate(week=TruncWeek("created_at"))
            .values("team_id", "week", "status")
            .annotate(
                count=Count("pk"),
                due=Count("pk", filter=Q(due_on__lte=today)),
                overdue=Count("pk", filter=Q(due_on__lt=today, status__in=UNFINISHED)),
                published=Count("pk", filter=Q(is_published=True, status=Action.Status.VERIFIED)),
            )
        )
    return list(
        summarised_actions(filters)
        .filter(day__gte=filters.start, day__lte=filters.end)
        .order_by()
        .annotate(week=TruncWeek("day"))
        .values("team_id", "week", "status")
        .annotate(
            due=Coalesce(Sum("count", filter=Q(due_on__lte=today)), 0),
            overdue=Coalesce(Sum("count", filter=Q(due_on__lt=today, status__in=UNFINISHED)), 0),
            published=Sum("published"),
            # Last: from here on, "count" names the sum.
            count=Sum("count"),
        )
    )


def session_groups(filters: Filters) -> list[dict]:
    """Completed sessions per team and week."""
    return list(
        summarised_sessions(filters, SessionDay)
        .filter(day__gte=filters.start, day__lte=filters.end)
        .order_by()
        .annotate(week=TruncWeek("day"))
        .values("team_id", "week")
        .annotate(count=Sum("count"))
    )


def median_days_to_action(filters: Filters) -> float | None:
    """From an observation to the first action raised about it, in whole days: the median
    of the summary's histogram."""
    counts = dict(
        summarised_observations(filters, ObservationWaitDay)
        .order_by()
        .values("wait_days")
        .annotate(total=Sum("count"))
        .values_list("wait_days", "total")
    )
    return histogram_median(counts)


@dataclass
class Target:
    """Sessions a programme expects of its participants inside the period, week by week."""

    by_week: dict[dt.date, float] = field(default_factory=lambda: defaultdict(float))
    by_team: dict[int, float] = field(default_factory=lambda: defaultdict(float))

    @property
    def total(self) -> float:
        return sum(self.by_week.values())


def participation_target(filters: Filters) -> Target:
    """Each programme's target per participant, for the part of it inside the period.

    Participants are the programme's named people and the managers of its teams
    (with sub-teams), counted where they belong inside the filtered teams.
    """
    programmes = Programme.objects.filter(starts_on__lte=filters.end, ends_on__gte=filters.start)
    if filters.programme:
        programmes = programmes.filter(pk=filters.programme.pk)
    programmes = list(programmes.prefetch_related("participant_teams").order_by())
    target = Target()
    if not programmes:
        return target
    memberships = list(
        User.teams.through.objects.filter(
            team_id__in=filters.team_ids,
        ).values_list("user_id", "team_id", "team__path", "user__groups__name")
    )
    named = defaultdict(set)
    for programme_id, user_id in Programme.participants.through.objects.filter(
        programme__in=programmes
    ).values_list("programme_id", "user_id"):
        named[programme_id].add(user_id)
    for programme in programmes:
        team_paths = [team.path for team in programme.participant_teams.all()]
        teams_of = defaultdict(set)
        for user_id, team_id, path, group in memberships:
            in_team = group == "Manager" and any(path.startswith(p) for p in team_paths)
            if in_team or user_id in named[programme.pk]:
                teams_of[user_id].add(team_id)
        if not teams_of:
            continue
        length = (programme.ends_on - programme.starts_on).days + 1
        per_day = programme.target_sessions / length
        first = max(programme.starts_on, filters.start)
        last = min(programme.ends_on, filters.end)
        day = first
        while day <= last:
            target.by_week[week_of(day)] += per_day * len(teams_of)
            day += dt.timedelta(days=1)
        overlap_days = (last - first).days + 1
        for teams in teams_of.values():
            # Someone in two teams shares their target between them.
            for team_id in teams:
                target.by_team[team_id] += per_day * overlap_days / len(teams)
    return target


# --- putting it together -------------------------------------------------------------


def share(part, whole) -> float | None:
    return None if not whole else part / whole


@dataclass
class TeamRow:
    team: Team
    status_counts: dict[str, int]
    due: int = 0
    finished_due: int = 0
    overdue: int = 0
    completed_sessions: int = 0
    target: float = 0.0

    @property
    def actions(self) -> int:
        return sum(self.status_counts.values())

    @property
    def completion(self) -> float | None:
        return share(self.finished_due, self.due)

    @property
    def participation(self) -> float | None:
        return share(self.completed_sessions, self.target)


def group_teams(filters: Filters, teams: list[Team]) -> list[Team]:
    """The teams the per-team charts compare: the children of the chosen team(s).

    The chosen team itself is kept too, for what is recorded directly against it.
    """
    by_id = {team.pk: team for team in teams}
    bases = filters.base_teams or [team for team in teams if team.parent_id not in by_id]
    groups = []
    for base in bases:
        groups.extend(team for team in teams if team.parent_id == base.pk)
        groups.append(base)
    return groups


def group_of(team: Team, groups: list[Team]) -> Team | None:
    best = None
    for group in groups:
        if team.path.startswith(group.path) and (best is None or len(group.path) > len(best.path)):
            best = group
    return best


def build(filters: Filters) -> dict:
    # Changes whose refresh has not run yet are summarised before anything is read.
    summaries.catch_up()
    teams = list(Team.objects.filter(pk__in=filters.team_ids).order_by("path"))
    teams_by_id = {team.pk: team for team in teams}
    groups = group_teams(filters, teams)
    rows = {group.pk: TeamRow(group, dict.fromkeys(Action.Status.values, 0)) for group in groups}

    times = action_times(filters)

    def row_for(team_id):
        group = group_of(teams_by_id[team_id], groups)
        return rows[group.pk]

    weeks = filters.weeks()
    week_actions = {week: {"due": 0, "finished_due": 0, "count": 0} for week in weeks}
    status_totals = dict.fromkeys(Action.Status.values, 0)
    actions = {"count": 0, "due": 0, "finished_due": 0, "overdue": 0, "published": 0}
    for group in action_groups(filters):
        finished = group["status"] in FINISHED
        row = row_for(group["team_id"])
        row.status_counts[group["status"]] += group["count"]
        row.due += group["due"]
        row.overdue += group["overdue"]
        status_totals[group["status"]] += group["count"]
        actions["count"] += group["count"]
        actions["due"] += group["due"]
        actions["overdue"] += group["overdue"]
        actions["published"] += group["published"]
        week = week_actions.setdefault(
            week_of(group["week"]), {"due": 0, "finished_due": 0, "count": 0}
        )
        week["count"] += group["count"]
        week["due"] += group["due"]
        if finished:
            row.finished_due += group["due"]
            actions["finished_due"] += group["due"]
            week["finished_due"] += group["due"]

    week_sessions = dict.fromkeys(weeks, 0)
    completed_sessions = 0
    for group in session_groups(filters):
        row_for(group["team_id"]).completed_sessions += group["count"]
        week = week_of(group["week"])
        week_sessions[week] = week_sessions.get(week, 0) + group["count"]
        completed_sessions += group["count"]

    target = participation_target(filters)
    for team_id, value in target.by_team.items():
        if team_id in teams_by_id:
            row_for(team_id).target += value

    cells = {}
    observations = {"count": 0, "triaged": 0, "oldest_untriaged": None}
    for group in observation_groups(filters):
        cells[group["touchpoint"], group["emotion"]] = {
            "count": group["count"],
            "mean_intensity": group["intensity"] / group["count"],
        }
        observations["count"] += group["count"]
        observations["triaged"] += group["triaged"]
        oldest = group["oldest_untriaged"]
        if oldest and (
            observations["oldest_untriaged"] is None or oldest < observations["oldest_untriaged"]
        ):
            observations["oldest_untriaged"] = oldest

    oldest = observations["oldest_untriaged"]
    now = timezone.now()
    headline = {
        "completed_sessions": completed_sessions,
        "target_sessions": round(target.total),
        "participation": share(completed_sessions, target.total),
        "observations": observations["count"],
        "triaged_share": share(observations["triaged"], observations["count"]),
        "untriaged": observations["count"] - observations["triaged"],
        "oldest_untriaged_days": None if oldest is None else (now - oldest).days,
        "actions": actions["count"],
        "due": actions["due"],
        "finished_due": actions["finished_due"],
        "completion": share(actions["finished_due"], actions["due"]),
        "overdue": actions["overdue"],
        "median_days_to_action": median_days_to_action(filters),
        "median_days_to_verified": median_days_to_verified(times),
        "published": actions["published"],
    }
    parents = {team.parent_id for team in teams}
    parents = [team for team in teams if team.pk in parents]
    ordered_weeks = sorted(set(weeks) | set(week_actions) | set(week_sessions))
    trend = [
        {
            "week": week,
            "completed_sessions": week_sessions.get(week, 0),
            "target_sessions": target.by_week.get(week, 0.0),
            "actions": week_actions.get(week, {}).get("count", 0),
            "due": week_actions.get(week, {}).get("due", 0),
            "finished_due": week_actions.get(week, {}).get("finished_due", 0),
            "completion": share(
                week_actions.get(week, {}).get("finished_due", 0),
                week_actions.get(week, {}).get("due", 0),
            ),
        }
        for week in ordered_weeks
    ]
    return {
        "headline": headline,
        "trend": trend,
        "teams": [
            row
            for row in rows.values()
            if row.actions or row.completed_sessions or row.target or row.team not in parents
        ],
        "status_totals": status_totals,
        "heatmap": heatmap(cells),
        "status_times": status_time_medians(
            times, groups, lambda team_id: group_of(teams_by_id[team_id], groups)
        ),
    }


def heatmap(cells: dict) -> dict:
    """Touchpoints that have observations, against every feeling from best to worst."""
    touchpoints = [
        (value, label) for value, label in Touchpoint.choices if any(tp == value for tp, _ in cells)
    ]
    rows = []
    for value, label in touchpoints:
        rows.append(
            {
                "touchpoint": value,
                "label": label,
                "cells": [
                    {"emotion": emotion, "emotion_label": emotion_label, **cells[value, emotion]}
                    if (value, emotion) in cells
                    else {"emotion": emotion, "emotion_label": emotion_label, "count": 0}
                    for emotion, emotion_label in Emotion.choices
                ],
            }
        )
    return {
        "emotions": Emotion.choices,
        "rows": rows,
        "max": max((cell["count"] for cell in cells.values()), default=0),
    }
