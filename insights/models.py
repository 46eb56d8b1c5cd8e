"""Follow-up actions: what was done about what managers saw, and its whole history."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from immersion.models import Team
from journal.models import Observation, Photo


class Action(models.Model):
    """A change someone owns, addressing one or more observations, until it is verified."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        VERIFIED = "verified", "Verified"
        DROPPED = "dropped", "Dropped"

    class Priority(models.IntegerChoices):
        LOW = 1, "Low"
        NORMAL = 2, "Normal"
        HIGH = 3, "High"
        URGENT = 4, "Urgent"

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_actions"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="actions")
    due_on = models.DateField()
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    observations = models.ManyToManyField(Observation, blank=True, related_name="actions")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="created_actions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped by every change, so a form posted against an older version is refused.
    version = models.PositiveIntegerField(default=1)
    done_at = models.DateTimeField(null=True, blank=True)
    evidence_note = models.TextField(blank=True)
    evidence_photos = models.ManyToManyField(Photo, blank=True, related_name="evidence_for")
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="verified_actions",
    )
    dropped_reason = models.TextField(blank=True)
    you_said = models.TextField("You said", blank=True)
    we_did = models.TextField("We did", blank=True)
    is_published = models.BooleanField(default=False)

    class Meta:
        ordering = ["due_on", "-priority", "pk"]
        indexes = [
            # Dashboard action figures: actions of a set of teams raised in a period.
            models.Index(fields=["team", "created_at"], name="action_team_created"),
            # Public page: published, verified actions, newest first.
            models.Index(
                fields=["-verified_at"],
                name="action_public_verified",
                condition=Q(is_published=True, status="verified"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["done", "verified"])
                | (Q(done_at__isnull=False) & ~Q(evidence_note="")),
                name="action_done_has_evidence",
            ),
            models.CheckConstraint(
                condition=~Q(status="verified")
                | Q(verified_at__isnull=False, verified_by__isnull=False),
                name="action_verified_has_verifier",
            ),
            models.CheckConstraint(
                condition=~Q(status="verified") | ~Q(verified_by=models.F("owner")),
                name="action_not_verified_by_owner",
            ),
            models.CheckConstraint(
                condition=~Q(status="dropped") | ~Q(dropped_reason=""),
                name="action_dropped_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(is_published=True) | (~Q(you_said="") & ~Q(we_did="")),
                name="action_published_has_public_wording",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ActionEvent(models.Model):
    """One change to an action, written in the same transaction as the change."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        ASSIGNED = "assigned", "Owner changed"
        DUE_CHANGED = "due_changed", "Due date changed"
        PRIORITY_CHANGED = "priority_changed", "Priority changed"
        STATUS = "status", "Status changed"
        COMMENT = "comment", "Comment"
        LINKED = "linked", "Observation linked"
        EDITED = "edited", "Details edited"
        PUBLISHED = "published", "Publication changed"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    old_value = models.CharField(max_length=255, blank=True)
    new_value = models.CharField(max_length=255, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"


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
