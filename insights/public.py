"""The public "you said, we did" pages: verified fixes in customers' words, and how often
customer problems were put right within the promised time, month by month, for the whole
organisation or for one place (a team and the teams below it)."""

import datetime as dt

from django.db.models import Count, Exists, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from insights.audits import apply_audits
from insights.charts import percent, weekly_bars
from insights.dashboard import share
from insights.dashboard_filters import local_midnight
from insights.models import Action, ReVisit
from insights.promise_measures import (
    PROMISE_DAYS,
    acted_in_time,
    customer_issues,
    public_promises,
)
from insights.public_photos import published_photos
from journal.models import Emotion

PUBLIC_ACTIONS_SHOWN = 60
PROMISE_MONTHS = 12


def published_fixes(team=None):
    fixes = Action.objects.filter(is_published=True, status=Action.Status.VERIFIED)
    if team is not None:
        fixes = fixes.filter(team__path__startswith=team.path)
    return fixes


def places_with_fixes() -> list[dict]:
    """The places whose own fixes are published, for their pages; one query."""
    rows = (
        published_fixes()
        .order_by()
        .values("team_id", "team__name")
        .annotate(fixes=Count("pk"))
        .order_by("team__name")
    )
    return [{"id": r["team_id"], "name": r["team__name"], "fixes": r["fixes"]} for r in rows]


def promise_months(now: dt.datetime, team=None) -> list[dict]:
    """Per month: customer issues whose 30 days are over, and how many were acted on in time.

    "Acted on" means an action addressing the issue was done within 30 days of it
    being seen. Issues younger than 30 days are left out until their time is up.
    """
    today = timezone.localtime(now).date()
    months_back = today.year * 12 + today.month - 1 - (PROMISE_MONTHS - 1)
    first_month = dt.date(months_back // 12, months_back % 12 + 1, 1)
    rows = (
        customer_issues(team)
        .filter(
            created_at__gte=local_midnight(first_month),
            created_at__lte=now - dt.timedelta(days=PROMISE_DAYS),
        )
        .order_by()
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(issues=Count("pk"), acted=Count("pk", filter=Q(Exists(acted_in_time()))))
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


def public_context(now: dt.datetime | None = None, team=None) -> dict:
    """Everything a public page shows, as plain values so it can be cached: the whole
    organisation's, or with a team, that place's and the places below it."""
    now = now or timezone.now()
    published = published_fixes(team)
    # Only the customer-facing wording and the month leave the building: no names,
    # notes, descriptions, evidence or photos.
    # The team's name says where the fix was made; a team is a place, not a person.
    shown = published.order_by("-verified_at", "-pk").values_list(
        "pk", "you_said", "we_did", "verified_at", "team_id", "team__name"
    )[:PUBLIC_ACTIONS_SHOWN]
    shown = list(shown)
    checks = checked_again([pk for pk, *_rest in shown])
    photos = published_photos([pk for pk, *_rest in shown])
    promises = [
        {
            "id": pk,
            "you_said": you_said,
            "we_did": we_did,
            "month": timezone.localtime(verified_at).date(),
            "team_id": team_id,
            "team": team_name,
            "checked": checks.get(pk),
            "photos": photos.get(pk, []),
        }
        for pk, you_said, we_did, verified_at, team_id, team_name in shown
    ]
    months = promise_months(now, team)
    figures = {"months": months, "customer_promises": public_promises(now, team)}
    # An audited month shows the figures its auditor signed, whatever changed since.
    apply_audits(figures, team)
    issues = sum(month["issues"] for month in months)
    acted = sum(month["acted"] for month in months)
    rated = [m for m in months if m["issues"]]
    chart = weekly_bars(
        [{"week": m["month"], "share": m["share"]} for m in months],
        title=gettext("Customer problems put right within %(days)s days, by month found")
        % {"days": PROMISE_DAYS},
        desc="; ".join(f"{date_format(m['month'], 'F Y')}: {percent(m['share'])}" for m in months)
        if rated
        else gettext("No customer problems have had their %(days)s days yet.")
        % {"days": PROMISE_DAYS},
        value="share",
        as_percent=True,
        label=lambda month: date_format(month, "M"),
        mark_missing=True,
    )
    return {
        "chart": chart,
        "promises": promises,
        "promises_total": published.count(),
        "issues": issues,
        "acted": acted,
        "acted_share": share(acted, issues),
        "promise_days": PROMISE_DAYS,
        **figures,
        "computed_at": now,
        "place": {"id": team.pk, "name": team.name} if team is not None else None,
        "places": places_with_fixes() if team is None else [],
    }
