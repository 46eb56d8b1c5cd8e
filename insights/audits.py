"""Audits of a month's published figures: which months can be audited, the random sample,
the rows a signed audit freezes, and the public pages' figures read back from them."""

import datetime as dt
import random

from django.db.models import Exists, Max
from django.utils import timezone

from insights.dashboard import share
from insights.dashboard_filters import local_midnight
from insights.models import (
    Action,
    Audit,
    AuditItem,
    CustomerReport,
    MonthSnapshot,
    PromiseVersion,
)
from insights.promise_measures import (
    PROMISE_DAYS,
    acted_in_time,
    customer_issues,
    month_figures,
    report_outcomes,
)

AUDITABLE_MONTHS = 12


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    following = (month + dt.timedelta(days=32)).replace(day=1)
    return local_midnight(month), local_midnight(following)


def settled_after_days() -> int:
    """How long after a month's end its figures can still move: the longest clock any of
    its measures runs (the public 30 days, or a promise's own answer or fix days)."""
    longest = PromiseVersion.objects.aggregate(
        answer=Max("answer_within_days"), fix=Max("put_right_within_days")
    )
    return max(PROMISE_DAYS, longest["answer"] or 0, longest["fix"] or 0)


def auditable_months(today: dt.date) -> list[dt.date]:
    """The months, newest first, whose figures have settled and are not yet signed."""
    settled_by = today - dt.timedelta(days=settled_after_days())
    signed = set(MonthSnapshot.objects.values_list("month", flat=True))
    months, month = [], today.replace(day=1)
    while len(months) < AUDITABLE_MONTHS:
        month = (month - dt.timedelta(days=1)).replace(day=1)
        month_end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        if month_end <= settled_by and month not in signed:
            months.append(month)
        if month_end <= settled_by - dt.timedelta(days=366):
            break
    return months


def draw_sample(audit: Audit, fixes: int, reports: int, rng=None) -> int:
    """Sample up to `fixes` fixes verified and `reports` reports made in the audit's month,
    uniformly at random; returns how many items were drawn."""
    rng = rng or random.SystemRandom()
    start, end = month_bounds(audit.month)
    fix_ids = list(
        Action.objects.filter(
            status=Action.Status.VERIFIED, verified_at__gte=start, verified_at__lt=end
        ).values_list("pk", flat=True)
    )
    report_ids = list(
        CustomerReport.objects.filter(created_at__gte=start, created_at__lt=end).values_list(
            "pk", flat=True
        )
    )
    items = [
        AuditItem(audit=audit, kind=AuditItem.Kind.FIX, action_id=pk)
        for pk in rng.sample(fix_ids, min(fixes, len(fix_ids)))
    ] + [
        AuditItem(audit=audit, kind=AuditItem.Kind.REPORT, report_id=pk)
        for pk in rng.sample(report_ids, min(reports, len(report_ids)))
    ]
    AuditItem.objects.bulk_create(items)
    return len(items)


def month_rows(month: dt.date, now: dt.datetime) -> dict:
    """The rows behind the month's public figures as they stand at `now`."""
    start, end = month_bounds(month)
    issues = (
        customer_issues()
        .filter(created_at__gte=start, created_at__lt=end)
        .annotate(acted=Exists(acted_in_time()))
        .order_by("pk")
        .values_list("pk", "session__team__path", "acted")
    )
    reports = CustomerReport.objects.filter(
        created_at__gte=start, created_at__lt=end, promise_version__isnull=False
    ).order_by("pk")
    return {
        "issues": [list(row) for row in issues],
        "reports": [
            [r["id"], r["promise"], r["path"], *map(int, (r[k] for k in FLAGS))]
            for r in report_outcomes(reports, now)
        ],
    }


FLAGS = ("answer_due", "answered", "fix_due", "fixed")


def frozen_figures(rows: dict, team=None) -> dict:
    """A month's figures read from its rows (`month_rows`), for everyone or for one place."""
    prefix = team.path if team is not None else "/"
    issues = [row for row in rows["issues"] if row[1].startswith(prefix)]
    promises: dict[int, dict] = {}
    for _pk, promise, path, *flags in rows["reports"]:
        if path.startswith(prefix):
            cell = promises.setdefault(promise, dict.fromkeys(FLAGS, 0))
            for key, flag in zip(FLAGS, flags, strict=True):
                cell[key] += flag
    return {
        "issues": len(issues),
        "acted": sum(1 for row in issues if row[2]),
        "promises": promises,
    }


def apply_audits(context: dict, team=None) -> None:
    """Put the signed months' frozen figures in place of the live ones, and say who
    checked them; one query. The chart is drawn after this, from the same rows."""
    months = context["months"]
    snapshots = {
        s.month: s
        for s in MonthSnapshot.objects.filter(month__gte=months[0]["month"]).select_related("audit")
    }
    checks = []
    for row in months:
        snapshot = snapshots.get(row["month"])
        if snapshot is None:
            continue
        figures = frozen_figures(snapshot.rows, team)
        row.update(
            issues=figures["issues"],
            acted=figures["acted"],
            share=share(figures["acted"], figures["issues"]),
            audited=True,
        )
        for promise in context["customer_promises"]:
            for cell in promise["months"]:
                if cell["month"] == row["month"]:
                    frozen = figures["promises"].get(promise["id"], dict.fromkeys(FLAGS, 0))
                    cell.update(month_figures(frozen), audited=True)
        audit = snapshot.audit
        checks.append(
            {
                "audit_id": audit.pk,
                "month": row["month"],
                "organisation": audit.auditor_organisation,
                "signed_on": timezone.localtime(audit.signed_at).date(),
                **snapshot.sample,
            }
        )
    context["audits"] = sorted(checks, key=lambda check: check["month"], reverse=True)
