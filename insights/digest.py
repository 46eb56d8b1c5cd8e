"""The weekly digest: last week's figures for each executive and CX lead, and what changed.

Each e-mail is a ``DigestDelivery`` row claimed before sending. The unique
(recipient, week) constraint means a second run of the task, or two workers at
once, find the row taken and send nothing. A failed send gives the claim back.
"""

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from immersion.models import Role, User
from insights.dashboard import build
from insights.dashboard_filters import DEFAULT_PERIOD, Filters
from insights.models import DigestDelivery

# What the digest reports, and whether a rise is good news.
FIGURES = [
    ("completed_sessions", "Sessions completed", True, "count"),
    ("observations", "Observations", True, "count"),
    ("triaged_share", "Observations triaged", True, "share"),
    ("actions", "Actions raised", True, "count"),
    ("completion", "Completion of actions due", True, "share"),
    ("overdue", "Overdue now", False, "count"),
    ("published", "Published on the public page", True, "count"),
]


def last_week(today: dt.date) -> dt.date:
    """The Monday of the last full week before today."""
    return today - dt.timedelta(days=today.weekday() + 7)


def recipients():
    return (
        User.objects.filter(
            is_active=True, groups__name__in=[Role.EXECUTIVE.label, Role.CX_LEAD.label]
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def week_filters(user, week: dt.date, today: dt.date) -> Filters:
    return Filters(
        start=week,
        end=week + dt.timedelta(days=6),
        today=today,
        team_ids=user.scope_team_ids,
        team=None,
        base_teams=None,
        session_type=None,
        persona=None,
        programme=None,
        period="custom",
    )


def _format(value, kind: str) -> str:
    if value is None:
        return "no data"
    return f"{value * 100:.0f}%" if kind == "share" else str(value)


def figures(user, week: dt.date, today: dt.date) -> list[dict]:
    """Each digest figure for the week and the week before, with the change in words."""
    this = build(week_filters(user, week, today))["headline"]
    before = build(week_filters(user, week - dt.timedelta(weeks=1), today))["headline"]
    rows = []
    for key, label, rise_is_good, kind in FIGURES:
        now, then = this[key], before[key]
        if now is None or then is None or now == then:
            change = "no change" if now == then else "not comparable"
            direction = "same"
        else:
            delta = now - then
            amount = f"{abs(delta) * 100:.0f} points" if kind == "share" else str(abs(delta))
            change = f"{'up' if delta > 0 else 'down'} {amount}"
            direction = "better" if (delta > 0) == rise_is_good else "worse"
        rows.append(
            {
                "label": label,
                "value": _format(now, kind),
                "previous": _format(then, kind),
                "change": change,
                "direction": direction,
            }
        )
    return rows


def message(user, week: dt.date, today: dt.date) -> EmailMultiAlternatives:
    context = {
        "user": user,
        "week": week,
        "week_end": week + dt.timedelta(days=6),
        "figures": figures(user, week, today),
        "dashboard_url": settings.SITE_URL
        + reverse("insights:dashboard")
        + f"?period={DEFAULT_PERIOD}",
        "site_name": settings.SITE_NAME,
    }
    subject = f"{settings.SITE_NAME}: the week of {week:%-d %B %Y}"
    text = render_to_string("insights/dashboard/digest_email.txt", context)
    html = render_to_string("insights/dashboard/digest_email.html", context)
    email = EmailMultiAlternatives(subject, text, to=[user.email])
    email.attach_alternative(html, "text/html")
    return email


def deliver(user_id: int, week: dt.date) -> bool:
    """Send one digest unless it was already claimed; True when this call sent it."""
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return False
    try:
        with transaction.atomic():
            claim = DigestDelivery.objects.create(
                recipient=user, week=week, claimed_at=timezone.now()
            )
    except IntegrityError:
        return False
    try:
        message(user, week, timezone.localdate()).send()
    except Exception:
        # Give the week back so the retry can claim it again.
        claim.delete()
        raise
    claim.sent_at = timezone.now()
    claim.save(update_fields=["sent_at"])
    return True
