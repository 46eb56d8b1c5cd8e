"""How long actions take, on the dashboard: medians of the whole days from being raised to
started, done and verified, per compared team, per theme and overall.

They come from the action summary (``ActionTimeDay``): its rows for the period, teams and
theme, whatever the number of actions. With a session type, persona or programme chosen,
an action follows the filter through the observations it addresses, which no summary row
can tell, so the same histograms are counted from the actions themselves.
"""

from collections import Counter, defaultdict

from django.db.models import Count, Exists, F, OuterRef, Sum

from insights.dashboard_filters import Filters
from insights.models import Action, ActionTheme, ActionTimeDay
from insights.summary_tables import WholeDaysBetween

Step = ActionTimeDay.Step
MOMENTS = {Step.STARTED: "started_at", Step.DONE: "done_at", Step.VERIFIED: "verified_at"}
# {team id, or theme id: {step: {whole days: actions}}}
Times = dict[int, dict[str, Counter]]


def filtered_actions(filters: Filters):
    actions = Action.objects.filter(
        team_id__in=filters.team_ids, created_at__gte=filters.since, created_at__lt=filters.until
    )
    if filters.narrows_sessions:
        # An action follows the session filters through the observations it addresses.
        links = Action.observations.through.objects.filter(
            filters.session_q("observation__session__"), action_id=OuterRef("pk")
        )
        actions = actions.filter(Exists(links))
    return actions.filter(themes=filters.theme) if filters.theme else actions


def action_times(filters: Filters, *, by_theme: bool = False) -> Times:
    """The filtered actions' histograms by team, or with `by_theme` by each theme they carry."""
    if filters.narrows_sessions:
        return _counted_from_actions(filters, by_theme)
    rows = ActionTimeDay.objects.filter(
        day__gte=filters.start, day__lte=filters.end, team_id__in=filters.team_ids
    )
    if filters.theme:
        rows = rows.filter(theme=filters.theme)
    else:
        rows = rows.filter(theme__isnull=not by_theme)
    key = "theme_id" if by_theme else "team_id"
    times: Times = defaultdict(lambda: defaultdict(Counter))
    counted = rows.order_by().values(key, "step", "days").annotate(actions=Sum("count"))
    for row in counted:
        times[row[key]][row["step"]][row["days"]] += row["actions"]
    return times


def _counted_from_actions(filters: Filters, by_theme: bool) -> Times:
    actions = filtered_actions(filters)
    if by_theme:
        # Through the theme links, as the summary counts them: each theme once per action.
        rows, prefix, key = ActionTheme.objects.filter(action__in=actions), "action__", "theme_id"
        if filters.theme:
            rows = rows.filter(theme=filters.theme)
    else:
        rows, prefix, key = actions, "", "team_id"
    counted = (
        rows.order_by()
        .values(
            key=F(key),
            **{
                step: WholeDaysBetween(F(f"{prefix}{moment}"), F(f"{prefix}created_at"))
                for step, moment in MOMENTS.items()
            },
        )
        .annotate(actions=Count("pk"))
    )
    times: Times = defaultdict(lambda: defaultdict(Counter))
    for row in counted:
        found = times[row["key"]]
        found[Step.RAISED][0] += row["actions"]
        for step in MOMENTS:
            if row[step] is not None:
                found[step][row[step]] += row["actions"]
    return times


def histogram_median(counts: dict[int, int]) -> float | None:
    """The median of values given as {value: how many}, as ``percentile_cont(0.5)``
    takes it: the middle value, or the mean of the middle two."""
    total = sum(counts.values())
    if not total:
        return None
    wanted = {(total - 1) // 2, total // 2}
    found = []
    seen = 0
    for value in sorted(counts):
        following = seen + counts[value]
        found.extend(value for position in wanted if seen <= position < following)
        seen = following
    return sum(found) / len(found)


def step_medians(steps: dict[str, Counter]) -> dict:
    """Actions raised, and the median days to start, to done and to verified."""
    return {
        "actions": sum(steps[Step.RAISED].values()),
        "to_start": histogram_median(steps[Step.STARTED]),
        "to_done": histogram_median(steps[Step.DONE]),
        "to_verified": histogram_median(steps[Step.VERIFIED]),
    }


def median_days_to_verified(times: Times) -> float | None:
    everyone = Counter()
    for steps in times.values():
        everyone.update(steps[Step.VERIFIED])
    return histogram_median(everyone)


def status_time_medians(times: Times, groups: list, group_for) -> list[dict]:
    """Per team of the comparison (`group_for(team id)` is the deepest compared team
    holding it), the median days from raised to started, done and verified."""
    by_group: dict[int, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for team_id, steps in times.items():
        group = group_for(team_id)
        if group is None:
            continue
        for step, counts in steps.items():
            by_group[group.pk][step].update(counts)
    return [
        {"team": team, **step_medians(by_group[team.pk])} for team in groups if team.pk in by_group
    ]
