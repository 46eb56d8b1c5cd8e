"""Outgoing webhooks: what a team's other systems hear about, and every delivery's record.

A delivery row is written in the same transaction as the change it reports, so a change
that rolls back sends nothing and one that commits is sent even if the broker was down
when it committed (the minutely sweep sends what is due).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class Webhook(models.Model):
    class Format(models.TextChoices):
        JSON = "json", _("JSON, signed (for your own systems)")
        SLACK = "slack", _("Slack incoming webhook")
        TEAMS = "teams", _("Microsoft Teams incoming webhook")

    team = models.ForeignKey("immersion.Team", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=80)
    url = models.URLField(max_length=500)
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.JSON)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=80, default=new_secret, editable=False)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["team__path", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.team})"


class WebhookDelivery(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Delivered")
        FAILED = "failed", _("Gave up")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    payload = models.JSONField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    # When it may next be sent (pending) or when its sender's claim runs out (sending).
    due_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["due_at"],
                name="webhook_delivery_due_idx",
                condition=Q(state__in=["pending", "sending"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False),
                name="webhook_delivery_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.webhook}"
