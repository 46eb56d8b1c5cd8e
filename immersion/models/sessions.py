"""Immersion sessions: the walks themselves, their state machine, history and reminders."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from immersion.models.catalogue import Persona, Programme, SessionType
from immersion.models.people import Team, User


class SessionStateError(ValidationError):
    """A status change the session's state machine refuses; the message is shown to the user."""


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Sessions the user may read: those in their teams' subtree, and those they take part in.

        What each role may change is decided by ``ImmersionSession.can_manage`` and friends.
        """
        if not user.is_authenticated:
            return self.none()
        condition = Q(lead=user) | Q(self._companion_of(user))
        if user.roles:
            condition |= Q(team_id__in=user.scope_team_ids)
        return self.filter(condition)

    def for_participant(self, user):
        """Sessions the user leads or joins as a companion."""
        return self.filter(Q(lead=user) | Q(self._companion_of(user)))

    @staticmethod
    def _companion_of(user):
        return Exists(
            ImmersionSession.companions.through.objects.filter(
                immersionsession_id=OuterRef("pk"), user_id=user.pk
            )
        )

    def open(self):
        """Still to be done: planned or under way."""
        return self.filter(
            status__in=[ImmersionSession.Status.PLANNED, ImmersionSession.Status.IN_PROGRESS]
        )

    def overlapping(self, start, end):
        return self.filter(planned_start__lt=end, planned_end__gt=start)

    def overdue_for_missed(self, now=None):
        """Planned sessions whose end passed longer ago than the grace period, never started."""
        now = now or timezone.now()
        return self.filter(
            status=ImmersionSession.Status.PLANNED,
            planned_end__lt=now - settings.MISSED_SESSION_GRACE,
        )


class ImmersionSession(models.Model):
    """One walk in the customer's shoes, planned for a manager at a place and time.

    Status moves only through the guarded methods below (start, complete, cancel,
    mark_missed, reopen); each locks the row, checks the move and records a SessionEvent.
    """

    """One walk in the customer's shoes, planned for a manager at a place and time."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        MISSED = "missed", _("Missed")

    session_type = models.ForeignKey(SessionType, on_delete=models.PROTECT, related_name="sessions")
    persona = models.ForeignKey(
        Persona, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="sessions")
    place = models.CharField(max_length=200, blank=True)
    planned_start = models.DateTimeField()
    planned_end = models.DateTimeField()
    lead = models.ForeignKey(User, on_delete=models.PROTECT, related_name="led_sessions")
    companions = models.ManyToManyField(User, blank=True, related_name="companion_sessions")
    brief = models.TextField(blank=True, help_text="What to look for.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)
    surprised_by = models.TextField("What surprised you", blank=True)
    customer_feeling = models.TextField("What the customer would feel", blank=True)
    would_change = models.TextField("What you would change", blank=True)
    series = models.UUIDField(null=True, blank=True, db_index=True, editable=False)
    created_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    # Longer than this is not one session; it also keeps a weekly series from overlapping itself.
    MAX_LENGTH = timedelta(hours=24)

    class Meta:
        ordering = ["planned_start"]
        indexes = [
            # The missed sweep and the reminder run: planned sessions by time.
            models.Index(
                fields=["planned_end"],
                condition=Q(status="planned"),
                name="session_planned_end_idx",
            ),
            models.Index(fields=["lead", "planned_start"], name="session_lead_start_idx"),
            models.Index(fields=["team", "planned_start"], name="session_team_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=["planned", "in_progress", "completed", "cancelled", "missed"]
                ),
                name="session_status_known",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(status="completed"),
                name="session_end_only_when_completed",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="session_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed")
                | (~Q(surprised_by="") & ~Q(customer_feeling="") & ~Q(would_change="")),
                name="session_completed_has_reflection",
            ),
            models.CheckConstraint(
                condition=Q(planned_end__gt=models.F("planned_start")),
                name="session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["in_progress", "completed"]) | Q(started_at__isnull=False),
                name="session_started_has_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(ended_at__isnull=False),
                name="session_completed_has_end",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="session_cancelled_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="missed") | Q(started_at__isnull=True),
                name="session_missed_never_started",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_type} at {self.team}, {self.planned_start:%d %b %Y}"

    # Who may do what.

    def is_participant(self, user) -> bool:
        """True if the user leads the session or joins it as a companion."""
        if not user.is_authenticated:
            return False
        if self.lead_id == user.pk:
            return True
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("companions")
        if prefetched is not None:
            return any(companion.pk == user.pk for companion in prefetched)
        return self.companions.filter(pk=user.pk).exists()

    def in_scope_of(self, user) -> bool:
        return user.is_authenticated and self.team_id in user.scope_team_ids

    def can_run(self, user) -> bool:
        """Start it, complete it: the people doing the session."""
        return self.is_participant(user)

    def can_manage(self, user) -> bool:
        """Edit or cancel: a CX lead in scope, or the lead manager for their own session."""
        if user.is_cx_lead and self.in_scope_of(user):
            return True
        return user.is_manager and self.lead_id == user.pk

    def can_reopen(self, user) -> bool:
        return user.is_cx_lead and self.in_scope_of(user)

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)

    # The state machine.

    def start(self, by) -> bool:
        """Start the session; False if this person had already started it.

        A phone that started the session offline sends the start again when the signal
        returns, perhaps after the first one got through: that replay changes nothing.
        """
        if not self.can_run(by):
            raise SessionStateError(_("Only the people doing this session can start it."))
        with transaction.atomic():
            locked = self._lock()
            if (
                locked.status == self.Status.IN_PROGRESS
                and locked.events.filter(to_status=self.Status.IN_PROGRESS, actor=by).exists()
            ):
                self._refresh_from(locked)
                return False
            locked._require(
                self.Status.PLANNED,
                _("Only a planned session can be started; this one is {status}."),
            )
            locked.started_at = timezone.now()
            locked._move(self.Status.IN_PROGRESS, by, extra_fields=["started_at"])
        self._refresh_from(locked)
        return True

    def observed_feelings(self) -> list[tuple[str, int]]:
        """How customers would have felt, as this session's observations say it.

        (feeling, number of observations), the commonest first. The journal adds the
        observations; reading them through the reverse relation by its name keeps this
        app free of any import of the journal.
        """
        observations = getattr(self, "observations", None)
        if observations is None:
            return []
        labels = dict(observations.model._meta.get_field("emotion").flatchoices)
        rows = (
            observations.order_by()
            .values("emotion")
            .annotate(count=models.Count("pk"))
            .order_by("-count", "emotion")
        )
        return [(labels.get(row["emotion"], row["emotion"]), row["count"]) for row in rows]

    def complete(self, by, *, surprised_by: str, customer_feeling: str, would_change: str) -> None:
        if not self.can_run(by):
            raise SessionStateError(_("Only the people doing this session can complete it."))
        reflection = {
            "surprised_by": surprised_by.strip(),
            "customer_feeling": customer_feeling.strip(),
            "would_change": would_change.strip(),
        }
        if not all(reflection.values()):
            raise SessionStateError(
                _(
                    "Complete the reflection: what surprised you, what the customer would feel "
                    "and what you would change."
                )
            )
        with transaction.atomic():
            locked = self._lock()
            locked._require(
                self.Status.IN_PROGRESS,
                _("Only a session under way can be completed; this one is {status}."),
            )
            for name, value in reflection.items():
                setattr(locked, name, value)
            locked.ended_at = max(timezone.now(), locked.started_at)
            locked._move(self.Status.COMPLETED, by, extra_fields=["ended_at", *reflection])
        self._refresh_from(locked)

    def cancel(self, by, reason: str) -> None:
        if not self.can_manage(by):
            raise SessionStateError(_("You cannot cancel this session."))
        reason = reason.strip()
        if not reason:
            raise SessionStateError(_("Say why the session is cancelled."))
        with transaction.atomic():
            locked = self._lock()
            locked._require(
                self.Status.PLANNED,
                _("Only a planned session can be cancelled; this one is {status}."),
            )
            locked.cancel_reason = reason
            locked._move(self.Status.CANCELLED, by, note=reason, extra_fields=["cancel_reason"])
        self._refresh_from(locked)

    def mark_missed(self, now=None) -> None:
        """Called by the sweep: the planned end passed the grace period and nobody started it."""
        now = now or timezone.now()
        with transaction.atomic():
            locked = self._lock()
            locked._require(
                self.Status.PLANNED,
                _("Only a planned session can be missed; this one is {status}."),
            )
            if locked.planned_end + settings.MISSED_SESSION_GRACE > now:
                raise SessionStateError(_("This session can still be started."))
            locked._move(self.Status.MISSED, None, note="Not started in time.")
        self._refresh_from(locked)

    def reopen(self, by, reason: str) -> None:
        if not self.can_reopen(by):
            raise SessionStateError(_("Only a CX lead can reopen a completed session."))
        reason = reason.strip()
        if not reason:
            raise SessionStateError(_("Say why the session is reopened."))
        with transaction.atomic():
            locked = self._lock()
            locked._require(
                self.Status.COMPLETED,
                _("Only a completed session can be reopened; this one is {status}."),
            )
            locked.ended_at = None
            locked._move(self.Status.IN_PROGRESS, by, note=reason, extra_fields=["ended_at"])
        self._refresh_from(locked)

    def _lock(self) -> "ImmersionSession":
        return ImmersionSession.objects.select_for_update().get(pk=self.pk)

    def _require(self, status, message: str) -> None:
        if self.status != status:
            raise SessionStateError(message.format(status=self.get_status_display().lower()))

    def _move(self, to_status, by, *, note: str = "", extra_fields=()) -> None:
        from_status = self.status
        self.status = to_status
        self.save(update_fields=["status", *extra_fields])
        SessionEvent.objects.create(
            session=self,
            actor=by,
            at=timezone.now(),
            from_status=from_status,
            to_status=to_status,
            note=note,
        )

    def _refresh_from(self, locked: "ImmersionSession") -> None:
        for field in (
            "status",
            "started_at",
            "ended_at",
            "cancel_reason",
            "surprised_by",
            "customer_feeling",
            "would_change",
        ):
            setattr(self, field, getattr(locked, field))


class SessionEvent(models.Model):
    """One status change of a session: who, when, from, to and why."""

    session = models.ForeignKey(ImmersionSession, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    from_status = models.CharField(
        max_length=20, choices=ImmersionSession.Status.choices, blank=True
    )
    to_status = models.CharField(max_length=20, choices=ImmersionSession.Status.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status}"


class SessionReminder(models.Model):
    """A reminder e-mail claimed for one session and recipient, so it is sent at most once.

    The row is committed before the e-mail goes out; the unique constraint lets only one
    of several concurrent runs claim it, and a run that dies after claiming sends nothing
    twice.
    """

    class Kind(models.TextChoices):
        DAY_BEFORE = "day_before", "The day before"
        SOON = "soon", "Shortly before"

    session = models.ForeignKey(
        ImmersionSession, on_delete=models.CASCADE, related_name="reminders"
    )
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "recipient", "kind"], name="reminder_once_per_recipient"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder to {self.recipient} for {self.session}"
