"""What managers saw during a session and how the customer would have felt, with photos."""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from immersion.dispatch import publish_on_commit
from immersion.models import ImmersionSession, Touchpoint


class JourneyStage(models.TextChoices):
    DISCOVER = "discover", _("Discover")
    CHOOSE = "choose", _("Choose")
    BUY = "buy", _("Buy or join")
    RECEIVE = "receive", _("Receive")
    USE = "use", _("Use")
    GET_HELP = "get_help", _("Get help")
    PAY = "pay", _("Pay")
    LEAVE = "leave", _("Leave or renew")


class Emotion(models.TextChoices):
    """How the customer would feel, from best to worst; the order is the heat map's order."""

    DELIGHTED = "delighted", _("Delighted")
    HAPPY = "happy", _("Happy")
    REASSURED = "reassured", _("Reassured")
    INDIFFERENT = "indifferent", _("Indifferent")
    CONFUSED = "confused", _("Confused")
    ANXIOUS = "anxious", _("Anxious")
    FRUSTRATED = "frustrated", _("Frustrated")
    ANGRY = "angry", _("Angry")
    IGNORED = "ignored", _("Ignored")


def edit_window() -> dt.timedelta:
    return dt.timedelta(hours=settings.OBSERVATION_EDIT_WINDOW_HOURS)


def is_open_for_observations(session, now=None) -> bool:
    """In progress, or completed less than the edit window ago."""
    now = now or timezone.now()
    if session.status == ImmersionSession.Status.IN_PROGRESS:
        return True
    return (
        session.status == ImmersionSession.Status.COMPLETED
        and session.ended_at is not None
        and now < session.ended_at + edit_window()
    )


def may_add_observation(session, user) -> bool:
    return is_open_for_observations(session) and session.is_participant(user)


class ObservationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What the user's role reaches: their teams' subtree, plus sessions they took part in."""
        return self.filter(session__in=ImmersionSession.objects.visible_to(user).values("pk"))

    def with_cards(self):
        """Everything an observation card shows, in a fixed number of queries."""
        return self.select_related(
            "author", "session__session_type", "session__team", "session__persona"
        ).prefetch_related("photos")

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(what_happened__icontains=text) | Q(quote__icontains=text))


class Observation(models.Model):
    """One thing a manager saw, and how the customer would have felt about it."""

    class Kind(models.TextChoices):
        PAIN_POINT = "pain_point", _("Pain point")
        DELIGHT = "delight", _("Delight")
        IDEA = "idea", _("Idea")
        QUESTION = "question", _("Question")

    class Impact(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    class Source(models.TextChoices):
        STAFF = "staff", _("Seen by staff")
        CUSTOMER = "customer", _("From a customer")

    class TriageState(models.TextChoices):
        UNTRIAGED = "untriaged", _("Untriaged")
        ACTIONED = "actioned", _("Led to action")
        DUPLICATE = "duplicate", _("Duplicate")
        NO_ACTION = "no_action", _("No action")

    # Made by the phone before the first attempt, so a retried upload finds the
    # observation it already stored instead of making a second one.
    client_uuid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(
        ImmersionSession, on_delete=models.PROTECT, related_name="observations"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="observations"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Customers who tell us we failed are heard in the same triage as staff; the source
    # keeps their words from being mistaken for a manager's in the session.
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.STAFF)
    touchpoint = models.CharField(max_length=20, choices=Touchpoint.choices)
    journey_stage = models.CharField(max_length=20, choices=JourneyStage.choices, blank=True)
    what_happened = models.TextField()
    emotion = models.CharField("Customer's feeling", max_length=20, choices=Emotion.choices)
    intensity = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    quote = models.TextField("Customer's words", blank=True)
    # No defaults: a hurried save must not turn a delight into a medium-impact pain point.
    # The form derives the kind from the feeling when the manager leaves it; impact may stay
    # unrated ("") until someone rates it, usually at triage.
    kind = models.CharField(max_length=20, choices=Kind.choices)
    impact = models.CharField(max_length=10, choices=Impact.choices, blank=True)
    triage_state = models.CharField(
        max_length=20, choices=TriageState.choices, default=TriageState.UNTRIAGED
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    triage_note = models.TextField(blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )

    objects = ObservationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The queue waiting for triage, and what was triaged since a day: read by the
            # dashboard's "waiting" figure at a cost that follows them, not every observation.
            models.Index(
                fields=["created_at"],
                condition=Q(triage_state="untriaged"),
                name="observation_waiting",
            ),
            models.Index(
                fields=["triaged_at"],
                condition=Q(triaged_at__isnull=False),
                name="observation_triaged",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(intensity__gte=1, intensity__lte=5), name="observation_intensity_1_to_5"
            ),
            models.CheckConstraint(
                condition=~Q(triage_state="no_action") | ~Q(triage_note=""),
                name="observation_no_action_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(triage_state="duplicate") | Q(duplicate_of__isnull=False),
                name="observation_duplicate_names_original",
            ),
        ]

    def __str__(self) -> str:
        return self.what_happened[:60]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("journal:observation-detail", kwargs={"pk": self.pk})

    @property
    def is_from_customer(self) -> bool:
        return self.source == self.Source.CUSTOMER

    @property
    def edit_deadline(self) -> dt.datetime:
        """Authors may correct an observation until the window after the session closes."""
        session = self.session
        if session.status == ImmersionSession.Status.COMPLETED and session.ended_at:
            return session.ended_at + edit_window()
        return self.created_at + edit_window()

    def can_edit(self, user, now=None) -> bool:
        now = now or timezone.now()
        if user.pk != self.author_id:
            return False
        if self.session.status == ImmersionSession.Status.IN_PROGRESS:
            return True
        return now < self.edit_deadline

    def can_delete(self, user) -> bool:
        return user.pk == self.author_id or user.is_cx_lead

    def delete_by(self, user, reason: str = "") -> "ObservationDeletion":
        """Delete with its photos, keeping a record of who removed what and when."""
        if not self.can_delete(user):
            raise PermissionDenied("Only the author or a CX lead may delete an observation.")
        with transaction.atomic():
            locked = Observation.objects.select_for_update().get(pk=self.pk)
            files = [
                name
                for photo in locked.photos.all()
                for name in (photo.original.name, photo.thumbnail.name, photo.display.name)
                if name
            ]
            record = ObservationDeletion.objects.create(
                observation_pk=locked.pk,
                session=locked.session,
                author=locked.author,
                deleted_by=user,
                reason=reason,
                snapshot={
                    "client_uuid": str(locked.client_uuid),
                    "created_at": locked.created_at.isoformat(),
                    "touchpoint": locked.touchpoint,
                    "journey_stage": locked.journey_stage,
                    "what_happened": locked.what_happened,
                    "emotion": locked.emotion,
                    "intensity": locked.intensity,
                    "quote": locked.quote,
                    "kind": locked.kind,
                    "impact": locked.impact,
                    "triage_state": locked.triage_state,
                    "photos": locked.photos.count(),
                },
            )
            locked.delete()
            transaction.on_commit(lambda: delete_files(files))
        return record


def delete_files(names) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


class ObservationDeletion(models.Model):
    """The record left behind when an observation is deleted: who removed what, and when."""

    observation_pk = models.BigIntegerField(db_index=True)
    session = models.ForeignKey(
        ImmersionSession, on_delete=models.PROTECT, related_name="observation_deletions"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    deleted_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)
    snapshot = models.JSONField(help_text="The observation's fields at the time of deletion.")

    class Meta:
        ordering = ["-deleted_at", "-pk"]

    def __str__(self) -> str:
        return f"Observation {self.observation_pk} deleted by {self.deleted_by}"


class PhotoQuerySet(models.QuerySet):
    def stuck(self, now=None):
        """Pending too long (a message lost, or never sent while the broker was down), or
        processing past the claim's lease (its worker was killed: a live one is stopped by
        the task's time limit before the lease runs out)."""
        now = now or timezone.now()
        pending_since = now - dt.timedelta(minutes=settings.PHOTO_STUCK_AFTER_MINUTES)
        claimed_since = now - dt.timedelta(seconds=settings.PHOTO_RENDITION_LEASE_SECONDS)
        return self.filter(
            Q(state=Photo.State.PENDING, state_changed_at__lt=pending_since)
            | Q(state=Photo.State.PROCESSING, state_changed_at__lt=claimed_since)
        )


class Photo(models.Model):
    """An image attached to an observation (or to an action's evidence), kept private.

    The original is re-encoded without location data when it is uploaded; the
    thumbnail and display renditions are made later by a task, and the processing
    state says how far that got so nothing is lost when a worker fails.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        PROCESSING = "processing", "Processing"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    observation = models.ForeignKey(
        Observation, null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    original = models.FileField(max_length=200)
    thumbnail = models.FileField(max_length=200, blank=True)
    display = models.FileField(max_length=200, blank=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    byte_size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    captured_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    state_changed_at = models.DateTimeField(default=timezone.now)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # The sweep's query: photos still pending or processing, oldest first.
            models.Index(
                fields=["state_changed_at"],
                name="photo_unfinished_idx",
                condition=Q(state__in=["pending", "processing"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="ready") | (~Q(thumbnail="") & ~Q(display="")),
                name="photo_ready_has_renditions",
            ),
        ]

    def __str__(self) -> str:
        return f"Photo {self.pk}"

    @property
    def is_ready(self) -> bool:
        return self.state == self.State.READY

    @property
    def is_failed(self) -> bool:
        return self.state == self.State.FAILED

    def file_for(self, variant: str):
        """The stored file of a variant ("original", "display", "thumbnail"), or None."""
        if variant == "original":
            return self.original
        if variant in ("display", "thumbnail") and self.is_ready:
            return getattr(self, variant)
        return None

    def can_retry(self, user) -> bool:
        return self.is_failed and (user.pk == self.uploaded_by_id or user.is_cx_lead)

    def retry(self, by) -> None:
        """Give a failed photo a fresh set of attempts and queue its renditions again."""
        if not self.can_retry(by):
            raise PermissionDenied("Only the uploader or a CX lead may retry a failed photo.")
        with transaction.atomic():
            updated = Photo.objects.filter(pk=self.pk, state=self.State.FAILED).update(
                state=self.State.PENDING, attempts=0, state_changed_at=timezone.now()
            )
            if updated:
                queue_renditions(self.pk)
        self.refresh_from_db()


def queue_renditions(photo_id) -> None:
    """Ask for the renditions once the photo is committed; if the broker is down, the
    photo stays pending and the sweep queues it when the broker is back."""
    from journal.tasks import make_renditions

    publish_on_commit(make_renditions, str(photo_id))
