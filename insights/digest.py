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
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from immersion.models import Role, User
from insights.charts import percent
from insights.dashboard import build
from insights.dashboard_filters import DEFAULT_PERIOD, Filters
from insights.models import DigestDelivery

# What the digest reports, and whether a rise is good news.
FIGURES = [
    ("completed_sessions", _("Sessions completed"), True, "count"),
    ("observations", _("Observations"), True, "count"),
    ("triaged_share", _("Observations triaged"), True, "share"),
    ("actions", _("Actions raised"), True, "count"),
    ("completion", _("Completion of actions due"), True, "share"),
    ("overdue", _("Overdue now"), False, "count"),
    ("published", _("Published on the public page"), True, "count"),
]


DIRECTIONS = {
    "same": pgettext_lazy("change", "same"),
    "better": pgettext_lazy("change", "better"),
    "worse": pgettext_lazy("change", "worse"),
}


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
    if kind == "share" or value is None:
        return percent(value)
    return str(value)


def figures(user, week: dt.date, today: dt.date) -> list[dict]:
    """Each digest figure for the week and the week before, with the change in words."""
    this = build(week_filters(user, week, today))["headline"]
    before = build(week_filters(user, week - dt.timedelta(weeks=1), today))["headline"]
    rows = []
    for key, label, rise_is_good, kind in FIGURES:
        now, then = this[key], before[key]
        if now is None or then is None or now == then:
            change = gettext("no change") if now == then else gettext("not comparable")
            direction = "same"
        else:
            delta = now - then
            if kind == "share":
                points = round(abs(delta) * 100)
                amount = ngettext("%(count)s point", "%(count)s points", points) % {"count": points}
            else:
                amount = str(abs(delta))
            if delta > 0:
                change = gettext("up %(amount)s") % {"amount": amount}
            else:
                change = gettext("down %(amount)s") % {"amount": amount}
            direction = "better" if (delta > 0) == rise_is_good else "worse"
        rows.append(
            {
                "label": label,
                "value": _format(now, kind),
                "previous": _format(then, kind),
                "change": change,
                "direction": direction,
                "direction_text": DIRECTIONS[direction],
            }
        )
    return rows


def message(user, week: dt.date, today: dt.date) -> EmailMultiAlternatives:
    """In the recipient's own language, or the site's when they chose none."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        return _message(user, week, today)


def _message(user, week: dt.date, today: dt.date) -> EmailMultiAlternatives:
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
    subject = gettext("%(site)s: the week of %(week)s") % {
        "site": settings.SITE_NAME,
        "week": date_format(week, "j F Y"),
    }
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
