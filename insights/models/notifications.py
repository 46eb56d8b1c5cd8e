"""E-mail about actions and the weekly digest, each recorded before it is sent so it goes once."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Notification(models.Model):
    """One e-mail about an action to one person, claimed before sending so it goes out once.

    ``period`` says which occurrence it is: the assignment event, the due date a
    reminder was for, or the day of an overdue notice. Two task runs that try the
    same notification meet on the unique constraint and only one sends.
    """

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", "Assignment"
        DUE_SOON = "due_soon", "Due soon reminder"
        OVERDUE = "overdue", "Overdue reminder"
        ESCALATION = "escalation", "Escalation"

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    action = models.ForeignKey(
        "insights.Action", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    period = models.CharField(max_length=40)
    state = models.CharField(max_length=10, choices=State.choices, default=State.SENDING)
    attempts = models.PositiveSmallIntegerField(default=1)
    # When it was claimed for sending; for a pending one, when it was recorded.
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-claimed_at", "-pk"]
        indexes = [
            # The minutely sweep's query: notifications recorded but never sent.
            models.Index(
                fields=["claimed_at"],
                name="notification_pending_idx",
                condition=Q(state="pending"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "kind", "recipient", "period"], name="notification_once"
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False),
                name="notification_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient_id} about action {self.action_id}"


class DigestDelivery(models.Model):
    """One weekly digest e-mail to one person: claimed before sending, so it goes out once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_deliveries"
    )
    # The Monday of the week the digest reports on.
    week = models.DateField()
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-week", "recipient"]
        verbose_name_plural = "digest deliveries"
        constraints = [
            models.UniqueConstraint(fields=["recipient", "week"], name="digest_once_per_week"),
        ]

    def __str__(self) -> str:
        return f"Digest for {self.recipient} on the week of {self.week:%d %b %Y}"


class BoardPackDelivery(models.Model):
    """One monthly board pack e-mail to one executive: claimed before sending, like the digest."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_pack_deliveries"
    )
    # The first day of the month the board pack reports on.
    month = models.DateField()
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month", "recipient"]
        verbose_name_plural = "board pack deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "month"], name="board_pack_once_per_month"
            ),
        ]

    def __str__(self) -> str:
        return f"Board pack for {self.recipient} for {self.month:%B %Y}"
