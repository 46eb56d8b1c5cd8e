"""What managers saw during a session and how the customer would have felt, with photos."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from immersion.models import ImmersionSession, Touchpoint


class JourneyStage(models.TextChoices):
    DISCOVER = "discover", "Discover"
    CHOOSE = "choose", "Choose"
    BUY = "buy", "Buy or join"
    RECEIVE = "receive", "Receive"
    USE = "use", "Use"
    GET_HELP = "get_help", "Get help"
    PAY = "pay", "Pay"
    LEAVE = "leave", "Leave or renew"


class Emotion(models.TextChoices):
    """How the customer would feel, from best to worst; the order is the heat map's order."""

    DELIGHTED = "delighted", "Delighted"
    HAPPY = "happy", "Happy"
    REASSURED = "reassured", "Reassured"
    INDIFFERENT = "indifferent", "Indifferent"
    CONFUSED = "confused", "Confused"
    ANXIOUS = "anxious", "Anxious"
    FRUSTRATED = "frustrated", "Frustrated"
    ANGRY = "angry", "Angry"
    IGNORED = "ignored", "Ignored"


class Observation(models.Model):
    """One thing a manager saw, and how the customer would have felt about it."""

    class Kind(models.TextChoices):
        PAIN_POINT = "pain_point", "Pain point"
        DELIGHT = "delight", "Delight"
        IDEA = "idea", "Idea"
        QUESTION = "question", "Question"

    class Impact(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    class TriageState(models.TextChoices):
        UNTRIAGED = "untriaged", "Untriaged"
        ACTIONED = "actioned", "Led to action"
        DUPLICATE = "duplicate", "Duplicate"
        NO_ACTION = "no_action", "No action"

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
    touchpoint = models.CharField(max_length=20, choices=Touchpoint.choices)
    journey_stage = models.CharField(max_length=20, choices=JourneyStage.choices, blank=True)
    what_happened = models.TextField()
    emotion = models.CharField("Customer's feeling", max_length=20, choices=Emotion.choices)
    intensity = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    quote = models.TextField("Customer's words", blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PAIN_POINT)
    impact = models.CharField(max_length=10, choices=Impact.choices, default=Impact.MEDIUM)
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

    class Meta:
        ordering = ["-created_at", "-pk"]
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


class Photo(models.Model):
    """An image attached to an observation (or to an action's evidence), kept private.

    The original is re-encoded without location data when it is uploaded; the
    thumbnail and display renditions are made later by a task, and the processing
    state says how far that got so nothing is lost when a worker fails.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
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
    state_changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="ready") | (~Q(thumbnail="") & ~Q(display="")),
                name="photo_ready_has_renditions",
            ),
        ]

    def __str__(self) -> str:
        return f"Photo {self.pk}"
