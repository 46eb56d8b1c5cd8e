"""The board pack: the dashboard for the chosen filters as a PDF, and its monthly e-mail.

The PDF is the dashboard's own context (``build`` and ``presentation``, as the page uses
them) rendered through a print template by WeasyPrint, so the figures, the charts (the
same server-drawn SVG, kept as vector graphics) and the data tables are the page's.

Each monthly e-mail is a ``BoardPackDelivery`` row claimed before sending, exactly like
the weekly digest: the unique (recipient, month) constraint means a second run, or two
workers at once, find the row taken and send nothing; a failed send gives the claim back.
"""

import datetime as dt

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext
from PIL import ImageFile

from immersion.models import Role, User
from insights import chart_feelings
from insights.charts import short_day
from insights.dashboard import build
from insights.dashboard_filters import Filters
from insights.dashboard_headline import headline
from insights.models import BoardPackDelivery
from insights.views.dashboard import presentation

STYLESHEET = "css/board_pack.css"


def describe(filters: Filters, feelings: str = chart_feelings.COUNTS) -> str:
    """The period and filters in one line, printed at the top of every page."""
    parts = [
        gettext("%(start)s to %(end)s")
        % {"start": short_day(filters.start), "end": short_day(filters.end)},
        gettext("%(team)s and its teams") % {"team": filters.team.name}
        if filters.team
        else gettext("All teams in scope"),
    ]
    for label, value in (
        (gettext("session type: %(value)s"), filters.session_type),
        (gettext("persona: %(value)s"), filters.persona),
        (gettext("programme: %(value)s"), filters.programme),
    ):
        if value is not None:
            parts.append(label % {"value": value})
    if feelings == chart_feelings.SHARES:
        parts.append(gettext("feelings as shares of each touchpoint"))
    return " · ".join(parts)


def context(filters: Filters, feelings: str = chart_feelings.COUNTS) -> dict:
    data = build(filters)
    return {
        "filters": filters,
        "filter_line": describe(filters, feelings),
        "generated_at": timezone.localtime(),
        "site_name": settings.SITE_NAME,
        "headline_figures": headline(filters, data["headline"]),
        **data,
        **presentation(data, filters, feelings=feelings),
    }


def render_pdf(filters: Filters, feelings: str = chart_feelings.COUNTS) -> bytes:
    """`feelings`: the heat map as counts or as shares per touchpoint, as on the page."""
    from weasyprint import CSS, HTML

    # Importing WeasyPrint tells Pillow to accept truncated images, for the whole process;
    # the photo pipeline refuses them (journal/images.py), so the setting is put back.
    ImageFile.LOAD_TRUNCATED_IMAGES = False

    html = render_to_string("insights/board_pack/board_pack.html", context(filters, feelings))
    stylesheets = [CSS(filename=finders.find(STYLESHEET)), CSS(string=page_numbers_css())]
    # Links in the PDF lead back to the lists on the site.
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf(stylesheets=stylesheets)


def page_numbers_css() -> str:
    """The footer's "Page 2 of 6" in the reader's language, as a stylesheet of its own: the
    template may carry no inline style (the Content-Security-Policy holds for every one)."""
    words = [pgettext("page numbers", "Page"), pgettext("page numbers", "of")]
    page, of = (word.replace("\\", "\\\\").replace('"', '\\"') for word in words)
    footer = f'"{page} " counter(page) " {of} " counter(pages)'
    return f"@page {{ @bottom-right {{ content: {footer}; }} }}"


def filename(filters: Filters) -> str:
    return f"board-pack-{filters.start:%Y-%m-%d}-to-{filters.end:%Y-%m-%d}.pdf"


# --- the monthly e-mail ------------------------------------------------------------------


def last_month(today: dt.date) -> dt.date:
    """The first day of the month before today's."""
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def recipients():
    """Executives who asked for the board pack and can receive e-mail."""
    return (
        User.objects.filter(
            is_active=True, board_pack_emails=True, groups__name=Role.EXECUTIVE.label
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def month_filters(user, month: dt.date, today: dt.date) -> Filters:
    next_month = (month + dt.timedelta(days=32)).replace(day=1)
    return Filters(
        start=month,
        end=next_month - dt.timedelta(days=1),
        today=today,
        team_ids=user.scope_team_ids,
        team=None,
        base_teams=None,
        session_type=None,
        persona=None,
        programme=None,
        period="custom",
    )


def message(user, month: dt.date, today: dt.date) -> EmailMultiAlternatives:
    """In the recipient's own language, the PDF included, or the site's when they chose none."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        return _message(user, month, today)


def _message(user, month: dt.date, today: dt.date) -> EmailMultiAlternatives:
    filters = month_filters(user, month, today)
    mail_context = {"user": user, "month": month, "site_name": settings.SITE_NAME}
    subject = gettext("%(site)s: the board pack for %(month)s") % {
        "site": settings.SITE_NAME,
        "month": date_format(month, "F Y"),
    }
    text = render_to_string("insights/board_pack/board_pack_email.txt", mail_context)
    email = EmailMultiAlternatives(subject, text, to=[user.email])
    email.attach(filename(filters), render_pdf(filters), "application/pdf")
    return email


def deliver(user_id: int, month: dt.date) -> bool:
    """Send one month's board pack unless it was already claimed; True when this call sent it."""
    user = recipients().filter(pk=user_id).first()
    if user is None:
        return False
    try:
        with transaction.atomic():
            claim = BoardPackDelivery.objects.create(
                recipient=user, month=month, claimed_at=timezone.now()
            )
    except IntegrityError:
        return False
    try:
        message(user, month, timezone.localdate()).send()
    except Exception:
        # Give the month back so the retry can claim it again.
        claim.delete()
        raise
    claim.sent_at = timezone.now()
    claim.save(update_fields=["sent_at"])
    return True
