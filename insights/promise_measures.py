"""How each public promise is kept, month by month, measured on the reports made under it.

A report is measured against the version of the promise the customer reported under, with
its clock starting at the report: answered in time when it was first triaged within the
version's answer days; put right in time when an action addressing it (or the report it
repeats) was done within the version's put-right days. A report counts in a measure only
once its days are over, so a month is not flattered by reports still within their time.
"""

import datetime as dt

from django.db.models import Min, OuterRef, Prefetch, Q
from django.utils import timezone

from insights.dashboard_filters import local_midnight
from insights.models import Action, CustomerReport, Promise, PromiseVersion
from journal.models import Observation

MONTHS_SHOWN = 12
# The public page's own measure: customer problems put right within this many days.
PROMISE_DAYS = 30
FINISHED = (Action.Status.DONE, Action.Status.VERIFIED)


def customer_issues(team=None):
    """Pain points customers met, each counted once (duplicates point at their original)."""
    issues = Observation.objects.filter(kind=Observation.Kind.PAIN_POINT).exclude(
        triage_state=Observation.TriageState.DUPLICATE
    )
    if team is not None:
        issues = issues.filter(session__team__path__startswith=team.path)
    return issues


def acted_in_time():
    """For an issue (the outer row): an action addressing it done within its days."""
    return Action.observations.through.objects.filter(
        observation_id=OuterRef("pk"),
        action__status__in=FINISHED,
        action__done_at__lte=OuterRef("created_at") + dt.timedelta(days=PROMISE_DAYS),
    )


def _months(today: dt.date) -> list[dt.date]:
    back = today.year * 12 + today.month - 1 - (MONTHS_SHOWN - 1)
    month = dt.date(back // 12, back % 12 + 1, 1)
    months = []
    while month <= today:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def report_outcomes(reports, now: dt.datetime):
    """Each report's standing against its promise at `now`: (promise id, created at,
    team path, due an answer, answered in time, due a fix, put right in time). One query."""
    rows = (
        reports.order_by()
        .annotate(
            fixed_at=Min(
                "observation__actions__done_at",
                filter=Q(observation__actions__status__in=FINISHED),
            ),
            original_fixed_at=Min(
                "observation__duplicate_of__actions__done_at",
                filter=Q(observation__duplicate_of__actions__status__in=FINISHED),
            ),
        )
        .values(
            "pk",
            "promise_version__promise_id",
            "created_at",
            "team__path",
            "observation__triaged_at",
            "promise_version__answer_within_days",
            "promise_version__put_right_within_days",
            "fixed_at",
            "original_fixed_at",
        )
    )
    for row in rows:
        answer_by = row["created_at"] + dt.timedelta(
            days=row["promise_version__answer_within_days"]
        )
        fix_by = row["created_at"] + dt.timedelta(
            days=row["promise_version__put_right_within_days"]
        )
        triaged = row["observation__triaged_at"]
        done = [d for d in (row["fixed_at"], row["original_fixed_at"]) if d is not None]
        yield {
            "id": row["pk"],
            "promise": row["promise_version__promise_id"],
            "created_at": row["created_at"],
            "path": row["team__path"],
            "answer_due": answer_by <= now,
            "answered": answer_by <= now and bool(triaged and triaged <= answer_by),
            "fix_due": fix_by <= now,
            "fixed": fix_by <= now and bool(done and min(done) <= fix_by),
        }


def month_figures(cell: dict) -> dict:
    return {
        **cell,
        "answered_share": _share(cell["answered"], cell["answer_due"]),
        "fixed_share": _share(cell["fixed"], cell["fix_due"]),
    }


def measures(promise_ids, now: dt.datetime, team=None) -> dict[int, list[dict]]:
    """Per promise, one row per month of the last twelve: how many reports were due an
    answer and a fix, and how many got them in time (with a team, only the reports about
    that place and the places below it). One query, whatever the data."""
    months = _months(timezone.localtime(now).date())
    reports = CustomerReport.objects.filter(
        promise_version__promise_id__in=promise_ids,
        created_at__gte=local_midnight(months[0]),
        promise_version__isnull=False,
    )
    if team is not None:
        reports = reports.filter(team__path__startswith=team.path)
    blank = {"answer_due": 0, "answered": 0, "fix_due": 0, "fixed": 0}
    counts = {pid: {m: dict(blank) for m in months} for pid in promise_ids}
    for outcome in report_outcomes(reports, now):
        month = timezone.localtime(outcome["created_at"]).date().replace(day=1)
        cell = counts[outcome["promise"]][month]
        for key in blank:
            cell[key] += outcome[key]
    return {
        pid: [{"month": month, **month_figures(cell)} for month, cell in by_month.items()]
        for pid, by_month in counts.items()
    }


def with_versions():
    """Promises with their versions, newest first, read in two queries."""
    return Promise.objects.select_related("team").prefetch_related(
        Prefetch(
            "versions",
            queryset=PromiseVersion.objects.select_related("created_by").order_by("-number"),
        )
    )


def applying_to(team):
    """The promises a customer of this place can count on: everyone's, and those of the
    place itself and of the teams above it (a region's promise holds in its stores)."""
    above = [int(pk) for pk in team.path.strip("/").split("/") if pk]
    return Q(team__isnull=True) | Q(team_id__in=above)


def public_promises(now: dt.datetime, team=None) -> list[dict]:
    """Each promise's current words and figures, as plain values so the page can be cached."""
    chosen = with_versions()
    if team is not None:
        chosen = chosen.filter(applying_to(team))
    promises = [p for p in chosen if p.current is not None]
    figures = measures([p.pk for p in promises], now, team)
    found = []
    for promise in promises:
        current = promise.current
        found.append(
            {
                "id": promise.pk,
                "team": promise.team.name if promise.team else "",
                "title": current.title,
                "can_count_on": current.can_count_on,
                "we_expect": current.we_expect,
                "if_we_fail": current.if_we_fail,
                "answer_days": current.answer_within_days,
                "fix_days": current.put_right_within_days,
                "number": current.number,
                "since": timezone.localtime(current.created_at).date(),
                "months": figures[promise.pk],
            }
        )
    return found
