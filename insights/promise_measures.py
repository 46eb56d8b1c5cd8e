"""How each public promise is kept, month by month, measured on the reports made under it.

A report is measured against the version of the promise the customer reported under, with
its clock starting at the report: answered in time when it was first triaged within the
version's answer days; put right in time when an action addressing it (or the report it
repeats) was done within the version's put-right days. A report counts in a measure only
once its days are over, so a month is not flattered by reports still within their time.
"""

import datetime as dt

from django.db.models import Min, Prefetch, Q
from django.utils import timezone

from insights.dashboard_filters import local_midnight
from insights.models import Action, CustomerReport, Promise, PromiseVersion

MONTHS_SHOWN = 12
FINISHED = (Action.Status.DONE, Action.Status.VERIFIED)


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


def measures(promise_ids, now: dt.datetime) -> dict[int, list[dict]]:
    """Per promise, one row per month of the last twelve: how many reports were due an
    answer and a fix, and how many got them in time. One query, whatever the data."""
    months = _months(timezone.localtime(now).date())
    rows = (
        CustomerReport.objects.filter(
            promise_version__promise_id__in=promise_ids,
            created_at__gte=local_midnight(months[0]),
        )
        .order_by()
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
            "promise_version__promise_id",
            "created_at",
            "observation__triaged_at",
            "promise_version__answer_within_days",
            "promise_version__put_right_within_days",
            "fixed_at",
            "original_fixed_at",
        )
    )
    blank = {"answer_due": 0, "answered": 0, "fix_due": 0, "fixed": 0}
    counts = {pid: {m: dict(blank) for m in months} for pid in promise_ids}
    for row in rows:
        month = timezone.localtime(row["created_at"]).date().replace(day=1)
        cell = counts[row["promise_version__promise_id"]][month]
        answer_by = row["created_at"] + dt.timedelta(
            days=row["promise_version__answer_within_days"]
        )
        fix_by = row["created_at"] + dt.timedelta(
            days=row["promise_version__put_right_within_days"]
        )
        if answer_by <= now:
            cell["answer_due"] += 1
            triaged = row["observation__triaged_at"]
            cell["answered"] += bool(triaged and triaged <= answer_by)
        if fix_by <= now:
            cell["fix_due"] += 1
            done = [d for d in (row["fixed_at"], row["original_fixed_at"]) if d is not None]
            cell["fixed"] += bool(done and min(done) <= fix_by)
    return {
        pid: [
            {
                "month": month,
                **cell,
                "answered_share": _share(cell["answered"], cell["answer_due"]),
                "fixed_share": _share(cell["fixed"], cell["fix_due"]),
            }
            for month, cell in by_month.items()
        ]
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


def public_promises(now: dt.datetime) -> list[dict]:
    """Each promise's current words and figures, as plain values so the page can be cached."""
    promises = [p for p in with_versions() if p.current is not None]
    figures = measures([p.pk for p in promises], now)
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
