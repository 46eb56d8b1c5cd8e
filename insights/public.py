"""The public "you said, we did" page: verified fixes in customers' words, and how often
customer problems were put right within the promised time, month by month."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from insights.charts import percent, weekly_bars
from insights.dashboard import FINISHED, share
from insights.dashboard_filters import local_midnight
from insights.models import Action, ReVisit
from insights.promise_measures import public_promises
from insights.public_photos import published_photos
from journal.models import Emotion, Observation

PUBLIC_ACTIONS_SHOWN = 60
PROMISE_DAYS = 30
PROMISE_MONTHS = 12


def customer_issues():
    """Pain points customers met, each counted once (duplicates point at their original)."""
    return Observation.objects.filter(kind=Observation.Kind.PAIN_POINT).exclude(
        triage_state=Observation.TriageState.DUPLICATE
    )


def promise_months(now: dt.datetime) -> list[dict]:
    """Per month: customer issues whose 30 days are over, and how many were acted on in time.

    "Acted on" means an action addressing the issue was done within 30 days of it
    being seen. Issues younger than 30 days are left out until their time is up.
    """
    today = timezone.localtime(now).date()
    months_back = today.year * 12 + today.month - 1 - (PROMISE_MONTHS - 1)
    first_month = dt.date(months_back // 12, months_back % 12 + 1, 1)
    in_time = Action.observations.through.objects.filter(
        observation_id=OuterRef("pk"),
        action__status__in=FINISHED,
        action__done_at__lte=OuterRef("created_at") + dt.timedelta(days=PROMISE_DAYS),
    )
    rows = (
        customer_issues()
        .filter(
            created_at__gte=local_midnight(first_month),
            created_at__lte=now - dt.timedelta(days=PROMISE_DAYS),
        )
        .order_by()
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(issues=Count("pk"), acted=Count("pk", filter=Q(Exists(in_time))))
    )
    found = {timezone.localtime(row["month"]).date(): row for row in rows}
    months = []
    month = first_month
    while month <= today:
        row = found.get(month, {"issues": 0, "acted": 0})
        months.append(
            {
                "month": month,
                "issues": row["issues"],
                "acted": row["acted"],
                "share": share(row["acted"], row["issues"]),
            }
        )
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def checked_again(action_ids) -> dict:
    """Per action, its latest answered re-visit as feelings only: before, after, and better?"""
    latest = {}
    answered = (
        ReVisit.objects.filter(action_id__in=action_ids, answer__isnull=False)
        .order_by("action_id", "-answered_at", "-pk")
        .values_list("action_id", "before_emotion", "answer__emotion", "answered_at", "improved")
    )
    for action_id, before, after, answered_at, improved in answered:
        latest.setdefault(
            action_id,
            {
                "before": Emotion(before).label.lower(),
                "after": Emotion(after).label.lower(),
                "month": timezone.localtime(answered_at).date(),
                "improved": improved,
            },
        )
    return latest


def public_context(now: dt.datetime | None = None) -> dict:
    """Everything the public page shows, as plain values so it can be cached."""
    now = now or timezone.now()
    published = Action.objects.filter(is_published=True, status=Action.Status.VERIFIED)
    # Only the customer-facing wording and the month leave the building: no names,
    # notes, descriptions, evidence or photos.
    # The team's name says where the fix was made; a team is a place, not a person.
    shown = published.order_by("-verified_at", "-pk").values_list(
        "pk", "you_said", "we_did", "verified_at", "team__name"
    )[:PUBLIC_ACTIONS_SHOWN]
    shown = list(shown)
    checks = checked_again([pk for pk, *_rest in shown])
    photos = published_photos([pk for pk, *_rest in shown])
    promises = [
        {
            "you_said": you_said,
            "we_did": we_did,
            "month": timezone.localtime(verified_at).date(),
            "team": team,
            "checked": checks.get(pk),
            "photos": photos.get(pk, []),
        }
        for pk, you_said, we_did, verified_at, team in shown
    ]
    months = promise_months(now)
    issues = sum(month["issues"] for month in months)
    acted = sum(month["acted"] for month in months)
    rated = [m for m in months if m["issues"]]
    chart = weekly_bars(
        [{"week": m["month"], "share": m["share"]} for m in months],
        title=f"Customer problems put right within {PROMISE_DAYS} days, by month found",
        desc="; ".join(f"{m['month']:%B %Y}: {percent(m['share'])}" for m in months)
        if rated
        else "No customer problems have had their 30 days yet.",
        value="share",
        as_percent=True,
        label=lambda month: f"{month:%b}",
        mark_missing=True,
    )
    return {
        "chart": chart,
        "promises": promises,
        "promises_total": published.count(),
        "months": months,
        "issues": issues,
        "acted": acted,
        "acted_share": share(acted, issues),
        "promise_days": PROMISE_DAYS,
        "customer_promises": public_promises(now),
        "computed_at": now,
    }
