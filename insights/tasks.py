"""E-mail about actions: assignment, reminders, overdue notices and escalation.

Each e-mail is a ``Notification`` row claimed before it is sent. The unique
constraint on (action, kind, recipient, period) means a repeated or concurrent run
finds the row taken and sends nothing; a failed send marks the row so a later run
(or the retry sweep) claims it again. An assignment e-mail's row is written pending
with the change itself, so if its message never reaches the broker, the minutely
sweep of pending rows sends it once the broker is back.
"""

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from immersion.dispatch import publish
from insights import board_pack, digest, escalation, summaries, webhooks
from insights.models import Action, EscalationStep, Notification, ServicePolicy

log = logging.getLogger(__name__)
Kind = Notification.Kind
State = Notification.State

# A claim older than this with no outcome belongs to a worker that died mid-send.
ABANDONED_AFTER = dt.timedelta(minutes=15)
MAX_ATTEMPTS = 8
# A pending row this old lost its message (or never had one): the sweep queues it again.
UNDISPATCHED_AFTER = dt.timedelta(minutes=1)
# Below the broker's visibility timeout: a message waiting for its countdown is unacked.
MAX_RETRY_COUNTDOWN = 5 * 60

SUBJECTS = {
    Kind.ASSIGNED: _("New action for you: {title}"),
    Kind.DUE_SOON: _("Due {due}: {title}"),
    Kind.OVERDUE: _("Overdue since {due}: {title}"),
    Kind.ESCALATION: _("Overdue {days} days, please chase: {title}"),
}


def claim(action_id: int, kind: str, recipient_id: int, period: str) -> Notification | None:
    """Take the right to send this notification, or None if it is sent or being sent."""
    key = {"action_id": action_id, "kind": kind, "recipient_id": recipient_id, "period": period}
    try:
        with transaction.atomic():
            return Notification.objects.create(**key)
    except IntegrityError:
        pass
    now = timezone.now()
    retryable = Q(state__in=[State.PENDING, State.FAILED]) | Q(
        state=State.SENDING, claimed_at__lt=now - ABANDONED_AFTER
    )
    won = (
        Notification.objects.filter(**key)
        .filter(retryable)
        .update(state=State.SENDING, claimed_at=now, attempts=F("attempts") + 1, last_error="")
    )
    return Notification.objects.get(**key) if won else None


@shared_task(
    bind=True, acks_late=True, max_retries=4, default_retry_delay=60, soft_time_limit=30,
    time_limit=45,
)  # fmt: skip
def send_notification(self, action_id: int, kind: str, recipient_id: int, period: str) -> str:
    action = Action.objects.select_related("owner", "team").get(pk=action_id)
    if not still_wanted(action, kind, recipient_id, period):
        # Given to someone else before it went out: nothing is left waiting to be sent.
        Notification.objects.filter(
            action_id=action_id, kind=kind, recipient_id=recipient_id, period=period,
            state=State.PENDING,
        ).delete()  # fmt: skip
        return "no longer needed"
    notification = claim(action_id, kind, recipient_id, period)
    if notification is None:
        return "already sent"
    recipient = get_user_model().objects.get(pk=recipient_id)
    try:
        _send(notification, action, recipient)
    except Exception as exc:  # any failure: leave the row for a later run to claim again
        Notification.objects.filter(pk=notification.pk).update(
            state=State.FAILED, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        log.warning("Notification %s failed: %s", notification.pk, exc)
        # Run in-process (the embedded site), a failure must not break the request
        # that caused it; the retry sweep sends it later.
        if self.request.is_eager:
            return "failed"
        countdown = min(60 * 2**self.request.retries, MAX_RETRY_COUNTDOWN)
        raise self.retry(exc=exc, countdown=countdown) from exc
    with transaction.atomic():
        Notification.objects.filter(pk=notification.pk).update(
            state=State.SENT, sent_at=timezone.now()
        )
        if kind == Kind.ESCALATION:
            step = EscalationStep.from_period(period)
            action.record_escalation(to=recipient, note=f"Policy step: {step}.")
    return "sent"


def still_wanted(action, kind: str, recipient_id: int, period: str) -> bool:
    """Between the scan and the send the action may have been finished, given away or given
    a new due date (which starts its escalation steps again)."""
    if kind == Kind.ASSIGNED:
        return action.owner_id == recipient_id
    if kind == Kind.ESCALATION and not period.endswith(f":{action.due_on.isoformat()}"):
        return False
    return action.is_unfinished


def _send(notification, action, recipient) -> None:
    if not recipient.email:
        raise ValueError(f"{recipient} has no e-mail address")
    context = {
        "kind": notification.kind,
        "action": action,
        "recipient": recipient,
        "days_overdue": action.days_overdue,
        "url": settings.SITE_URL + reverse("insights:action-detail", args=[action.pk]),
        "settings_url": settings.SITE_URL + reverse("insights:notification-settings"),
        "SITE_NAME": settings.SITE_NAME,
    }
    # In the recipient's own language, or the site's when they chose none.
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        subject = str(_subject(notification.kind, action, recipient)).format(
            title=action.title, due=date_format(action.due_on, "d M"), days=action.days_overdue
        )
        body = render_to_string("insights/email/notification.txt", context)
    send_mail(subject, body, None, [recipient.email])


def _subject(kind: str, action, recipient) -> str:
    if kind == Kind.ESCALATION and not action.days_overdue:
        if recipient.pk == action.owner_id:
            return gettext("Due today, not done yet: {title}")
        return gettext("Due today, not done yet, please chase: {title}")
    if kind == Kind.ESCALATION and recipient.pk == action.owner_id:
        return SUBJECTS[Kind.OVERDUE]
    return SUBJECTS[kind]


def _not_yet_notified(actions, kind: str, period_expression):
    """Leave out actions whose notification for this period is already sent or under way."""
    done = Notification.objects.filter(
        action_id=OuterRef("pk"),
        kind=kind,
        recipient_id=OuterRef("owner_id"),
        period=period_expression,
        state__in=[State.SENT, State.SENDING],
    )
    return actions.filter(~Exists(done))


@shared_task(acks_late=True, soft_time_limit=300, time_limit=330)
def send_due_soon_reminders() -> int:
    """Once per due date: a reminder the policy's days before it, to owners who want reminders."""
    today = timezone.localdate()
    window = Q(pk__in=[])
    for priority, policy in ServicePolicy.all_by_priority().items():
        if policy.reminder_days:
            window |= Q(priority=priority, due_on__lte=today + dt.timedelta(policy.reminder_days))
    actions = (
        Action.objects.unfinished()
        .filter(window, due_on__gte=today, owner__reminder_emails=True)
        .order_by("pk")
    )
    count = 0
    for action_id, owner_id, due_on in actions.values_list("pk", "owner_id", "due_on"):
        period = f"due:{due_on.isoformat()}"
        if _is_settled(action_id, Kind.DUE_SOON, owner_id, period):
            continue
        send_notification.delay(action_id, Kind.DUE_SOON, owner_id, period)
        count += 1
    return count


@shared_task(acks_late=True, soft_time_limit=300, time_limit=330)
def send_overdue_reminders() -> int:
    """Every day an action is overdue: a notice to its owner, if they want reminders."""
    today = timezone.localdate()
    period = f"day:{today.isoformat()}"
    actions = Action.objects.overdue(today).filter(owner__reminder_emails=True)
    actions = _not_yet_notified(actions, Kind.OVERDUE, period)
    count = 0
    for action_id, owner_id in actions.values_list("pk", "owner_id"):
        send_notification.delay(action_id, Kind.OVERDUE, owner_id, period)
        count += 1
    return count


@shared_task(acks_late=True, soft_time_limit=300, time_limit=330)
def escalate_overdue_actions() -> int:
    """Each step of the action's policy, once per due date, once its day after the due date came."""
    today = timezone.localdate()
    policies = ServicePolicy.all_by_priority()
    leads = escalation.CxLeadTree.load()
    count = 0
    actions = Action.objects.unfinished().filter(due_on__lte=today).select_related("team")
    for action in actions.order_by("pk").iterator():
        for step in policies[action.priority].ordered_steps():
            if (today - action.due_on).days < step.days_after_due:
                continue
            period = step.period(action.due_on)
            for recipient_id in leads.recipients(action, step.recipient):
                if _is_settled(action.pk, Kind.ESCALATION, recipient_id, period):
                    continue
                send_notification.delay(action.pk, Kind.ESCALATION, recipient_id, period)
                count += 1
    return count


@shared_task(acks_late=True, soft_time_limit=300, time_limit=330)
def retry_failed_notifications() -> int:
    """Send again what failed (or was abandoned by a dead worker), a bounded number of times."""
    abandoned = Q(state=State.SENDING, claimed_at__lt=timezone.now() - ABANDONED_AFTER)
    stuck = Notification.objects.filter(
        Q(state=State.FAILED) | abandoned, attempts__lt=MAX_ATTEMPTS
    )
    count = 0
    for action_id, kind, recipient_id, period in stuck.values_list(
        "action_id", "kind", "recipient_id", "period"
    ):
        send_notification.delay(action_id, kind, recipient_id, period)
        count += 1
    return count


@shared_task(acks_late=True, soft_time_limit=50, time_limit=55)
def send_pending_notifications() -> int:
    """Beat, every minute: queue the e-mails recorded with a change but never sent."""
    pending = Notification.objects.filter(
        state=State.PENDING, claimed_at__lt=timezone.now() - UNDISPATCHED_AFTER
    ).order_by("claimed_at")[:500]
    count = 0
    for key in pending.values_list("action_id", "kind", "recipient_id", "period"):
        if not publish(send_notification, *key):
            break
        count += 1
    return count


def _is_settled(action_id, kind, recipient_id, period) -> bool:
    return Notification.objects.filter(
        action_id=action_id,
        kind=kind,
        recipient_id=recipient_id,
        period=period,
        state__in=[State.SENT, State.SENDING],
    ).exists()


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def queue_weekly_digests() -> int:
    """Beat, every Monday: one digest task per executive and CX lead for last week."""
    week = digest.last_week(timezone.localdate()).isoformat()
    recipient_ids = list(digest.recipients().values_list("pk", flat=True))
    for user_id in recipient_ids:
        send_weekly_digest.delay(user_id, week)
    return len(recipient_ids)


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=3,
    default_retry_delay=300,
    soft_time_limit=120,
    time_limit=180,
)
def send_weekly_digest(self, user_id: int, week: str) -> bool:
    try:
        return digest.deliver(user_id, dt.date.fromisoformat(week))
    except OSError as exc:
        # The mail server did not answer; the claim was given back, so try again later.
        raise self.retry(exc=exc) from exc


@shared_task(acks_late=True, soft_time_limit=30, time_limit=45, ignore_result=True)
def deliver_webhook(delivery_id: int) -> str:
    """Send one webhook delivery; a failure is recorded with its next try, never raised."""
    return webhooks.deliver(delivery_id)


@shared_task(acks_late=True, soft_time_limit=50, time_limit=55, ignore_result=True)
def send_due_webhooks() -> int:
    """Beat, every minute: queue the deliveries whose retry is due or that never left."""
    count = 0
    for delivery_id in webhooks.due_deliveries(timezone.now()):
        if not publish(deliver_webhook, delivery_id):
            break
        count += 1
    return count


@shared_task(acks_late=True, soft_time_limit=120, time_limit=150, ignore_result=True)
def summarise_waiting_observations() -> int:
    """Beat, each morning: tell the channels that asked how many observations wait."""
    with transaction.atomic():
        return webhooks.summarise_waiting(timezone.localdate())


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def queue_monthly_board_packs() -> int:
    """Beat, on the first of each month: one board pack task per executive who opted in."""
    month = board_pack.last_month(timezone.localdate()).isoformat()
    recipient_ids = list(board_pack.recipients().values_list("pk", flat=True))
    for user_id in recipient_ids:
        publish(send_board_pack, user_id, month)
    return len(recipient_ids)


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=3,
    default_retry_delay=300,
    soft_time_limit=240,
    time_limit=300,
)
def send_board_pack(self, user_id: int, month: str) -> bool:
    try:
        return board_pack.deliver(user_id, dt.date.fromisoformat(month))
    except OSError as exc:
        # The mail server did not answer; the claim was given back, so try again later.
        raise self.retry(exc=exc) from exc


@shared_task(acks_late=True, soft_time_limit=50, time_limit=55, ignore_result=True)
def refresh_summaries() -> int:
    """After a change commits, and every minute as the sweep: the dashboard's summary
    computed again for every team's day marked stale."""
    return summaries.refresh_stale()


@shared_task(acks_late=True, soft_time_limit=300, time_limit=330, ignore_result=True)
def check_summaries() -> int:
    """Beat, each night: the last weeks of the summaries against their tables. Drift means a
    change that bypassed the models (a manual SQL fix, say): it is logged and repaired."""
    since = timezone.localdate() - dt.timedelta(days=summaries.NIGHTLY_CHECK_DAYS)
    drifted = summaries.drift(since)
    if drifted:
        log.error("Dashboard summary drifted on %s team days; computing them again.", len(drifted))
        summaries.refresh(drifted)
    return len(drifted)
