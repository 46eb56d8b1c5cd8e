"""Outgoing webhooks: the events, who hears them, and how one delivery is signed and sent.

A webhook set on a team hears the events of that team and every team below it. Each
delivery is a JSON body (or a Slack or Teams message) sent by a worker after the change
committed, retried with backoff for about a day, and recorded with the answer it got.

Every request carries ``Immersion-Signature: t=<unix time>,v1=<hex>``, where ``<hex>``
is the HMAC-SHA256, keyed with the webhook's secret, of ``"<t>." + body``. A receiver
recomputes it, compares in constant time, and refuses a ``t`` more than five minutes
old, so a captured request cannot be replayed later (README, "Webhooks").
"""

import datetime as dt
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from immersion.dispatch import publish_on_commit
from insights.models import Webhook, WebhookDelivery

# The labels are translated where people read them; a webhook's own text stays English.
EVENTS = {
    "observation.recorded": gettext_noop("An observation was recorded"),
    "observation.triaged": gettext_noop("An observation was triaged"),
    "action.created": gettext_noop("An action was created"),
    "action.assigned": gettext_noop("An action was given to a new owner"),
    "action.started": gettext_noop("An action was started"),
    "action.done": gettext_noop("An action was done"),
    "action.verified": gettext_noop("An action was verified"),
    "action.dropped": gettext_noop("An action was dropped"),
    "action.reopened": gettext_noop("An action was reopened"),
    "action.overdue": gettext_noop("An action became overdue"),
    "action.escalated": gettext_noop("An action was escalated"),
    "session.missed": gettext_noop("A planned session was missed"),
    "observations.waiting": gettext_noop(
        "Observations waiting for triage (a summary each morning)"
    ),
}
PING = "ping"
# Minutes before each retry: about a day from the first try to the last.
RETRY_MINUTES = (1, 5, 15, 60, 180, 360, 720)
# A sender's claim on a delivery; longer than the request's own timeout.
CLAIM = dt.timedelta(seconds=60)
TIMEOUT_SECONDS = 10
EXCERPT = 500
Status = WebhookDelivery.State


def hooks_hearing(event: str, team) -> list[Webhook]:
    """Active webhooks on the team or a team above it that asked for the event."""
    above = [int(pk) for pk in team.path.strip("/").split("/") if pk]
    # Events are few and stored as a list; filtering them here works on every database.
    return [
        hook
        for hook in Webhook.objects.filter(active=True, team_id__in=above)
        if event in hook.events
    ]


def queue(event: str, team, data: dict) -> list[WebhookDelivery]:
    """Record a delivery per webhook that hears the event; each is sent after the commit."""
    deliveries = []
    for hook in hooks_hearing(event, team):
        deliveries.append(
            WebhookDelivery.objects.create(
                webhook=hook, event=event, payload=envelope(event, team, data)
            )
        )
    for delivery in deliveries:
        _send_after_commit(delivery)
    return deliveries


def envelope(event: str, team, data: dict) -> dict:
    return {
        "event": event,
        "occurred_at": timezone.now().isoformat(),
        "team": {"id": team.pk, "name": team.name},
        "data": data,
    }


def queue_ping(hook: Webhook, by) -> WebhookDelivery:
    data = {"message": f"A test from {by.get_full_name() or by.username}: this webhook works."}
    delivery = WebhookDelivery.objects.create(
        webhook=hook, event=PING, payload=envelope(PING, hook.team, data)
    )
    _send_after_commit(delivery)
    return delivery


def send_again(delivery: WebhookDelivery) -> None:
    """A new round of tries for a delivery, whatever became of the last one."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=Status.PENDING, attempts=0, due_at=timezone.now()
    )
    _send_after_commit(delivery)


def _send_after_commit(delivery: WebhookDelivery) -> None:
    from insights.tasks import deliver_webhook

    publish_on_commit(deliver_webhook, delivery.pk)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def claim(delivery_id: int, now) -> WebhookDelivery | None:
    """Take a delivery that is due (or whose last sender's claim ran out); None if another has."""
    due = Q(state__in=[Status.PENDING, Status.SENDING], due_at__lte=now)
    won = WebhookDelivery.objects.filter(due, pk=delivery_id).update(
        state=Status.SENDING, due_at=now + CLAIM, attempts=F("attempts") + 1
    )
    if not won:
        return None
    return WebhookDelivery.objects.select_related("webhook__team").get(pk=delivery_id)


def deliver(delivery_id: int) -> str:
    """Send one delivery if it is due; record what came back and when to try again."""
    now = timezone.now()
    delivery = claim(delivery_id, now)
    if delivery is None:
        return "not due"
    hook = delivery.webhook
    body = json.dumps(render(hook.format, delivery), separators=(",", ":")).encode()
    status, excerpt = post(hook, delivery, body)
    fields = {"response_status": status, "response_excerpt": excerpt[:EXCERPT]}
    if status is not None and 200 <= status < 300:
        fields.update(state=Status.SENT, sent_at=timezone.now())
    elif delivery.attempts > len(RETRY_MINUTES):
        fields.update(state=Status.FAILED)
    else:
        wait = dt.timedelta(minutes=RETRY_MINUTES[delivery.attempts - 1])
        fields.update(state=Status.PENDING, due_at=timezone.now() + wait)
    WebhookDelivery.objects.filter(pk=delivery.pk, state=Status.SENDING).update(**fields)
    return fields["state"]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A receiver that moved answers with its new address; following it would send the
    # signed body to wherever a redirect points, so it counts as a failed try instead.
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(hook: Webhook, delivery: WebhookDelivery, body: bytes) -> tuple[int | None, str]:
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked by the form
        hook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Immersion-tracker-webhooks/1",
            "Immersion-Event": delivery.event,
            "Immersion-Delivery": str(delivery.pk),
            "Immersion-Signature": signature(hook.secret, int(time.time()), body),
        },
    )
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as answer:
            return answer.status, answer.read(EXCERPT).decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read(EXCERPT).decode(errors="replace")
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, f"Not delivered: {getattr(error, 'reason', error)}"


# --- what is sent -------------------------------------------------------------------


def render(format: str, delivery: WebhookDelivery) -> dict:
    if format == Webhook.Format.JSON:
        return {"delivery": delivery.pk, **delivery.payload}
    line = headline(delivery.payload)
    if format == Webhook.Format.SLACK:
        return {"text": line}
    return {
        "@type": "MessageCard",
        "@context": "https://schema.org/extensions",
        "summary": line,
        "text": line,
    }


def headline(payload: dict) -> str:
    """One line for a chat channel, with a link to the page it is about."""
    event, data, team = payload["event"], payload["data"], payload["team"]["name"]
    if "action" in data:
        action = data["action"]
        what = EVENTS.get(event, event).replace("An action", f"Action “{action['title']}”")
        return f"{what} ({team}, owner {action['owner']}, due {action['due_on']}): {action['url']}"
    if "observation" in data:
        observation = data["observation"]
        what = EVENTS.get(event, event)
        return (
            f"{what} at {team}: {observation['touchpoint']}, the customer would feel "
            f"{observation['feeling']}. “{observation['what_happened']}” {observation['url']}"
        )
    if "waiting" in data:
        waiting = data["waiting"]
        return (
            f"{waiting['count']} observation{'s' if waiting['count'] != 1 else ''} at {team} "
            f"waiting for triage, the oldest from {waiting['oldest']}: {waiting['url']}"
        )
    if "session" in data:
        session = data["session"]
        return (
            f"{EVENTS[event]} at {team}: {session['type']} led by {session['lead']}, "
            f"planned {session['planned_start']}. {session['url']}"
        )
    return data.get("message", event)


def action_data(action, change: dict | None = None) -> dict:
    data = {
        "action": {
            "id": action.pk,
            "title": action.title,
            "status": action.status,
            "priority": action.get_priority_display(),
            "due_on": action.due_on.isoformat() if action.due_on else None,
            "owner": str(action.owner) if action.owner_id else None,
            "team": action.team.name,
            "url": settings.SITE_URL + reverse("insights:action-detail", args=[action.pk]),
        }
    }
    if change:
        data["change"] = change
    return data


def observation_data(observation) -> dict:
    return {
        "observation": {
            "id": observation.pk,
            "session": observation.session_id,
            "touchpoint": observation.get_touchpoint_display(),
            "feeling": observation.get_emotion_display(),
            "intensity": observation.intensity,
            "what_happened": observation.what_happened,
            "kind": observation.kind or None,
            "impact": observation.impact or None,
            "triage": observation.triage_state,
            "url": settings.SITE_URL + reverse("journal:observation-detail", args=[observation.pk]),
        }
    }


def session_data(session) -> dict:
    return {
        "session": {
            "id": session.pk,
            "type": str(session.session_type),
            "lead": str(session.lead),
            "status": session.status,
            "planned_start": timezone.localtime(session.planned_start).isoformat(),
            "url": settings.SITE_URL
            + reverse("immersion:session-detail", kwargs={"pk": session.pk}),
        }
    }


def summarise_waiting(today: dt.date) -> int:
    """Once a day, per webhook that asked: how many observations of its teams wait for triage.

    Sent only when some wait, and once per webhook and day however often it runs.
    """
    from journal.models import Observation

    sent = 0
    for hook in Webhook.objects.filter(active=True).select_related("team"):
        if "observations.waiting" not in hook.events:
            continue
        if hook.deliveries.filter(event="observations.waiting", created_at__date=today).exists():
            continue
        waiting = Observation.objects.filter(
            session__team__path__startswith=hook.team.path,
            triage_state=Observation.TriageState.UNTRIAGED,
        ).order_by("created_at")
        oldest = waiting.values_list("created_at", flat=True).first()
        if oldest is None:
            continue
        url = reverse("insights:triage-queue")
        data = {
            "waiting": {
                "count": waiting.count(),
                "oldest": timezone.localdate(oldest).isoformat(),
                "url": f"{settings.SITE_URL}{url}?team={hook.team_id}",
            }
        }
        delivery = WebhookDelivery.objects.create(
            webhook=hook,
            event="observations.waiting",
            payload=envelope("observations.waiting", hook.team, data),
        )
        _send_after_commit(delivery)
        sent += 1
    return sent


def due_deliveries(now, limit: int = 500):
    """Deliveries whose time has come: waiting ones, and those whose sender went quiet."""
    return (
        WebhookDelivery.objects.filter(state__in=[Status.PENDING, Status.SENDING], due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )
