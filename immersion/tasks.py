"""Background work for sessions: reminder e-mails and the "missed" sweep, both run by beat.

Both are safe to run twice or side by side: a reminder is claimed in SessionReminder (one
row per session, recipient and kind, enforced by a unique constraint) before it is sent, and
a session is marked missed only by its guarded, row-locking model method.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from immersion.models import ImmersionSession, SessionReminder, SessionStateError

logger = logging.getLogger(__name__)

Kind = SessionReminder.Kind

# A reminder goes out when the session's start enters its window; the "day before" one stops
# where the "shortly before" one could still come, so a session planned at short notice gets
# one e-mail, not two at once.
REMINDER_WINDOWS = {
    Kind.DAY_BEFORE: (timedelta(hours=2), timedelta(hours=24)),
    Kind.SOON: (timedelta(0), timedelta(hours=1)),
}

SWEEP_BATCH = 500


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def send_session_reminders() -> int:
    """Send every reminder that is due and not yet claimed; returns how many were sent."""
    now = timezone.now()
    sent = 0
    for kind, (nearest, furthest) in REMINDER_WINDOWS.items():
        due = (
            ImmersionSession.objects.filter(
                status=ImmersionSession.Status.PLANNED,
                planned_start__gt=now + nearest,
                planned_start__lte=now + furthest,
            )
            .select_related("session_type", "persona", "team", "lead")
            .prefetch_related("companions")
        )
        for session in due:
            for person in [session.lead, *session.companions.all()]:
                if person.reminder_emails and person.email and person.is_active:
                    sent += _send_once(session, person, kind)
    return sent


def _send_once(session: ImmersionSession, person, kind) -> int:
    claim = _claim(session, person, kind)
    if claim is None:
        return 0
    try:
        _send(session, person, kind)
    except Exception:
        # Nothing was delivered: release the claim so the next run, a few minutes on, tries
        # again while the session is still inside the reminder window.
        logger.exception("Reminder for session %s to user %s failed", session.pk, person.pk)
        SessionReminder.objects.filter(pk=claim.pk).delete()
        return 0
    SessionReminder.objects.filter(pk=claim.pk).update(sent_at=timezone.now())
    return 1


def _claim(session, person, kind) -> SessionReminder | None:
    """The claim row, committed before sending; None if another run holds it already."""
    try:
        with transaction.atomic():
            return SessionReminder.objects.create(
                session=session, recipient=person, kind=kind, claimed_at=timezone.now()
            )
    except IntegrityError:
        return None


def _send(session: ImmersionSession, person, kind) -> None:
    start = timezone.localtime(session.planned_start)
    context = {
        "session": session,
        "person": person,
        "kind": kind,
        "start": start,
        "is_today": start.date() == timezone.localdate(),
        "url": settings.SITE_URL + reverse("immersion:session-detail", args=[session.pk]),
        "site_name": settings.SITE_NAME,
    }
    # In the language the person chose; without a choice, the site's default.
    with translation.override(person.language or settings.LANGUAGE_CODE):
        subject = render_to_string("immersion/email/reminder_subject.txt", context).strip()
        body = render_to_string("immersion/email/reminder.txt", context)
    send_mail(subject, body, None, [person.email])


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def mark_missed_sessions() -> int:
    """Mark as missed the planned sessions nobody started in time; returns how many."""
    now = timezone.now()
    marked = 0
    overdue = ImmersionSession.objects.overdue_for_missed(now).order_by("planned_end")
    for session in overdue[:SWEEP_BATCH]:
        try:
            session.mark_missed(now=now)
        except SessionStateError:
            # Started, cancelled or marked by a concurrent sweep since we listed it.
            continue
        marked += 1
    return marked
