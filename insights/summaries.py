"""Keeping the dashboard's summaries (``insights.summary_tables``) equal to the
observations, actions and sessions they count.

A change marks its team's day stale in its own transaction (``mark_*``, called from the
model signals wired in ``insights.apps`` and from the few bulk updates): the day an
observation was made, an action raised or verified, or a completed session planned for. Once it
commits, ``refresh_summaries`` is queued and computes each marked day again, whole, from
the observations, actions and sessions. A broker that is down leaves the marks for the
sweep, every minute, and a page reading the summaries computes what is still marked first.
The repair (``rebuild``) computes every row again; ``drift`` lists the days whose rows
differ from their tables, for ``manage.py dashboard_summaries --check``.

Whole days are computed again rather than rows adjusted by each change: the result is
exact whatever happened in between (edits, moves, deletions, a refresh run twice), and a
team's day is a few dozen rows at most.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.models import Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from insights.models import Action, ReVisit, Theme
from insights.models.summaries import StaleSummaryDay
from insights.summary_tables import SUMMARIES, stored
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
    marks = [StaleSummaryDay(day=day, team_id=team_id) for day, team_id in set(days)]
    if not marks:
        return
    StaleSummaryDay.objects.bulk_create(marks, ignore_conflicts=True)
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
        from insights.tasks import refresh_summaries

        self.ran = True
        publish(refresh_summaries)


def mark_observation(observation: Observation) -> None:
    mark([(timezone.localdate(observation.created_at), observation.session.team_id)])


def team_days(rows, moment: str, team: str = "team_id"):
    """The distinct (local day of `moment`, team id) pairs of a queryset, in SQL."""
    return rows.order_by().annotate(day=TruncDate(moment)).values_list("day", team).distinct()


def mark_observations(observations) -> None:
    """Mark the days of a queryset of observations, around a bulk update that changes them."""
    mark(team_days(observations, "created_at", "session__team_id"))


def mark_action(action, *team_ids: int) -> None:
    """The day the action was raised, in its team (and in the teams it was moved from)."""
    day = timezone.localdate(action.created_at)
    mark((day, team_id) for team_id in {action.team_id, *team_ids})


def mark_revisits(revisits) -> None:
    """Mark the days a queryset of re-visits is filed on: their actions' verification."""
    mark(team_days(revisits, "verified_at"))


def mark_action_themes(actions) -> None:
    """Themes given to or taken from a queryset of actions: their raised days, and the
    days of their re-visits, which are counted under their actions' themes."""
    mark(team_days(actions, "created_at"))
    mark_revisits(ReVisit.objects.filter(action__in=actions))


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


def refresh(days: Iterable[tuple[dt.date, int]]) -> None:
    """Compute the rows of these (day, team id) pairs again from their tables."""
    days = list(days)
    if not days:
        return
    with transaction.atomic():
        for summary in SUMMARIES:
            summary.model.objects.filter(stored(days)).delete()
            summary.insert(summary.scope(days))


def refresh_stale(batches: int | None = None) -> int:
    """Work off the marks (all of them, or this many batches): each batch is taken,
    computed again and cleared in one transaction; marks another worker or page holds
    are skipped, not waited for. Returns how many were done."""
    done = 0
    while batches is None or batches > 0:
        with transaction.atomic(using=DEFAULT_DB_ALIAS):
            # On the primary even while a page reads from the replica.
            batch = list(
                StaleSummaryDay.objects.using(DEFAULT_DB_ALIAS)
                .select_for_update(skip_locked=True)
                .order_by("pk")
                .values_list("pk", "day", "team_id")[:REFRESH_BATCH]
            )
            if not batch:
                return done
            refresh((day, team_id) for _, day, team_id in batch)
            StaleSummaryDay.objects.filter(pk__in=[pk for pk, _, _ in batch]).delete()
            done += len(batch)
        if batches is not None:
            batches -= 1
    return done


def catch_up() -> None:
    """Before a page reads the summary: the marks whose refresh has not run yet (a broker
    down, a worker behind or stopped) are computed now, so figures are never behind what
    was saved. Nothing waiting costs one read of an empty table; a long backlog is left
    to the sweep beyond one batch, so no page pays for an outage's worth of it."""
    if StaleSummaryDay.objects.using(DEFAULT_DB_ALIAS).exists():
        refresh_stale(batches=1)


def rebuild() -> int:
    """Every row again, from every observation: the repair. Returns the rows written."""
    with transaction.atomic():
        StaleSummaryDay.objects.all().delete()
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
    stored_filter = Q(day__gte=since) if since else Q()
    differing = set()
    with transaction.atomic():
        for summary in SUMMARIES:
            stored = summary.rows(stored_filter)
            summary.model.objects.filter(stored_filter).delete()
            summary.insert(summary.since(since) if since else Q())
            differing |= {(row[0], row[1]) for row in stored ^ summary.rows(stored_filter)}
        transaction.set_rollback(True)
    pending = set(StaleSummaryDay.objects.values_list("day", "team_id"))
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


def action_saving(sender, instance, update_fields=None, **kwargs) -> None:
    """Note the team an action was in, if this save may move it."""
    if instance._state.adding or (update_fields is not None and "team" not in update_fields):
        instance._was_in_team = None
        return
    instance._was_in_team = (
        sender.objects.filter(pk=instance.pk).values_list("team_id", flat=True).first()
    )


def action_changed(sender, instance, **kwargs) -> None:
    """Every save of an action may change a time or a step, and a deletion all of them:
    its raised day is marked."""
    before = getattr(instance, "_was_in_team", None)
    mark_action(instance, *([before] if before else []))


def action_themes_changed(sender, instance, action, pk_set, **kwargs) -> None:
    """Themes added to or taken from actions with the related managers, from either side."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not isinstance(instance, Theme):
        mark_action(instance)
        mark_revisits(instance.revisits.all())
        return
    mark_action_themes(
        instance.actions.all() if action == "pre_clear" else Action.objects.filter(pk__in=pk_set)
    )


def revisit_saving(sender, instance, update_fields=None, **kwargs) -> None:
    """Note the day and team a re-visit was filed on, if this save may move it (verifying
    an action again moves its waiting re-visit)."""
    if instance._state.adding or (
        update_fields is not None and not {"verified_at", "team"} & set(update_fields)
    ):
        instance._filed_on = None
        return
    instance._filed_on = (
        sender.objects.filter(pk=instance.pk).values_list("verified_at", "team_id").first()
    )


def revisit_changed(sender, instance, **kwargs) -> None:
    """A re-visit made, answered, scored, moved or deleted: its day, and the one it left."""
    filed = [(instance.verified_at, instance.team_id)]
    before = getattr(instance, "_filed_on", None)
    if before:
        filed.append(before)
    mark((timezone.localdate(verified_at), team_id) for verified_at, team_id in filed)


SESSION_FIELDS = ("team_id", "session_type_id", "persona_id", "programme_id")
# What files a completed session in the sessions' summary, besides SESSION_FIELDS.
SESSION_DAY_FIELDS = ("planned_start", "status")
SESSION_UPDATES = {"team", "session_type", "persona", "programme", "planned_start", "status"}


def session_saving(sender, instance, update_fields=None, **kwargs) -> None:
    """Note what a session was filed under, if this save may change it."""
    if instance._state.adding or (
        update_fields is not None and not SESSION_UPDATES & set(update_fields)
    ):
        instance._filed_under = None
        return
    instance._filed_under = (
        sender.objects.filter(pk=instance.pk)
        .values_list(*SESSION_FIELDS, *SESSION_DAY_FIELDS)
        .first()
    )


def session_saved(sender, instance, created, **kwargs) -> None:
    """A session completed, moved to another day or team, or given another type, persona
    or programme, moves in the sessions' summary; moved or redescribed, its observations
    move too."""
    before = getattr(instance, "_filed_under", None)
    now = tuple(getattr(instance, name) for name in (*SESSION_FIELDS, *SESSION_DAY_FIELDS))
    if before is None:
        if created:
            mark_completed_session(now)
        return
    if before == now:
        return
    mark_completed_session(before, now)
    if before[: len(SESSION_FIELDS)] != now[: len(SESSION_FIELDS)]:
        mark_session(instance.pk, {before[0], instance.team_id})


def session_deleted(sender, instance, **kwargs) -> None:
    mark_completed_session(
        tuple(getattr(instance, name) for name in (*SESSION_FIELDS, *SESSION_DAY_FIELDS))
    )


def mark_completed_session(*filed: tuple) -> None:
    """The planned day of each of these (SESSION_FIELDS, planned start, status) that is a
    completed session: a session planned, cancelled or rescheduled counts in none."""
    from immersion.models import ImmersionSession

    mark(
        (timezone.localdate(values[-2]), values[0])
        for values in filed
        if values[-1] == ImmersionSession.Status.COMPLETED
    )
