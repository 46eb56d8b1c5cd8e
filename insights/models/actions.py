"""Actions and their history: every change a guarded method with its event row."""

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from immersion.dispatch import publish_on_commit
from immersion.models import Team
from insights.models.action_queries import ActionQuerySet
from insights.models.notifications import Notification
from journal.models import Observation, Photo


class ActionStateError(Exception):
    """A change the action's state or the acting user does not allow; the message is for people."""


class StaleActionError(ActionStateError):
    """The change was made against an older version of the action."""


class Action(models.Model):
    """A change someone owns, addressing one or more observations, until it is verified."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        VERIFIED = "verified", _("Verified")
        DROPPED = "dropped", _("Dropped")

    class Priority(models.IntegerChoices):
        LOW = 1, _("Low")
        NORMAL = 2, _("Normal")
        HIGH = 3, _("High")
        URGENT = 4, _("Urgent")

    UNFINISHED = (Status.OPEN, Status.IN_PROGRESS)

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
    # When it first moved to in progress, as its history says: kept on the row so the
    # medians of time to start read a column rather than search every action's history.
    started_at = models.DateTimeField(null=True, blank=True)
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

    objects = ActionQuerySet.as_manager()

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
            # "My actions" and the reminder scans: an owner's unfinished actions by due date.
            models.Index(
                fields=["owner", "due_on"],
                condition=Q(status__in=["open", "in_progress"]),
                name="action_unfinished_by_owner",
            ),
            # The overdue and due-soon scans of the reminder tasks.
            models.Index(
                fields=["due_on"],
                condition=Q(status__in=["open", "in_progress"]),
                name="action_unfinished_by_due",
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

    @property
    def is_unfinished(self) -> bool:
        return self.status in self.UNFINISHED

    @property
    def is_overdue(self) -> bool:
        return self.is_unfinished and self.due_on < timezone.localdate()

    @property
    def days_overdue(self) -> int:
        return max((timezone.localdate() - self.due_on).days, 0) if self.is_unfinished else 0

    # --- creation -----------------------------------------------------------------

    @classmethod
    def create(cls, *, by, observations=(), **fields) -> "Action":
        """Make an action, with its creation event, and tell the owner once it is committed."""
        with transaction.atomic():
            action = cls.objects.create(created_by=by, **fields)
            if observations:
                action.observations.add(*observations)
            action._record(
                by,
                ActionEvent.Kind.CREATED,
                new=action.title,
                note=f"Owner {action.owner}, due {action.due_on:%d %b %Y}, "
                f"priority {action.get_priority_display().lower()}.",
                notify_owner=True,
            )
        return action

    # --- status changes -----------------------------------------------------------

    def start(self, *, by, version: int | None = None, note: str = "") -> None:
        """Open to in progress: the owner has picked it up."""
        with transaction.atomic():
            action = self._lock(version)
            action._require_status("start", self.Status.OPEN)
            action._move(by, self.Status.IN_PROGRESS, note, [])
        self._refresh_from(action)

    def complete(self, *, by, note: str, photos=(), version: int | None = None) -> None:
        """In progress to done, with a note saying what was done and optional photos."""
        note = (note or "").strip()
        if not note:
            raise ActionStateError("Say what was done: evidence is required to complete it.")
        with transaction.atomic():
            action = self._lock(version)
            action._require_status("complete", self.Status.IN_PROGRESS)
            action.done_at = timezone.now()
            action.evidence_note = note
            action._move(by, self.Status.DONE, note, ["done_at", "evidence_note"])
            if photos:
                action.evidence_photos.add(*photos)
        self._refresh_from(action)

    def verify(self, *, by, version: int | None = None, note: str = "") -> None:
        """Done to verified, by a CX lead who is not the owner."""
        with transaction.atomic():
            action = self._lock(version)
            action._require_status("verify", self.Status.DONE)
            if not by.is_cx_lead:
                raise ActionStateError("Only a CX lead can verify an action.")
            if by.pk == action.owner_id:
                raise ActionStateError(
                    "You own this action, so someone else has to verify it was done."
                )
            action.verified_at = timezone.now()
            action.verified_by = by
            action._move(by, self.Status.VERIFIED, note, ["verified_at", "verified_by"])
            from insights.models.revisits import ReVisit

            # Verified is not the end: a later session checks the customer feels it.
            ReVisit.schedule_for(action)
        self._refresh_from(action)

    def drop(self, *, by, reason: str, version: int | None = None) -> None:
        """Open or in progress to dropped, with the reason nothing more will be done."""
        reason = (reason or "").strip()
        if not reason:
            raise ActionStateError("Give the reason for dropping this action.")
        with transaction.atomic():
            action = self._lock(version)
            action._require_status("drop", *self.UNFINISHED)
            action.dropped_reason = reason
            action._move(by, self.Status.DROPPED, reason, ["dropped_reason"])
        self._refresh_from(action)

    def reopen(self, *, by, reason: str, version: int | None = None) -> None:
        """Done or verified back to in progress, because the change did not hold."""
        reason = (reason or "").strip()
        if not reason:
            raise ActionStateError("Give the reason for reopening this action.")
        with transaction.atomic():
            action = self._lock(version)
            action._require_status("reopen", self.Status.DONE, self.Status.VERIFIED)
            action.done_at = None
            action.verified_at = None
            action.verified_by = None
            action._move(
                by, self.Status.IN_PROGRESS, reason, ["done_at", "verified_at", "verified_by"]
            )
            # Not verified any more: nothing to re-visit until it is verified again.
            action.revisits.filter(answer__isnull=True).delete()
        self._refresh_from(action)

    # --- other changes ------------------------------------------------------------

    EDITABLE = ("title", "description", "owner", "team", "due_on", "priority")
    PUBLIC = ("you_said", "we_did", "is_published")

    def edit(self, *, by, version: int | None = None, note: str = "", **changes) -> list:
        """Change details, owner, due date, priority or public wording; one event per kind."""
        unknown = set(changes) - set(self.EDITABLE) - set(self.PUBLIC)
        if unknown:
            raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
        with transaction.atomic():
            action = self._lock(version)
            changed = [f for f, value in changes.items() if getattr(action, f) != value]
            if not changed:
                return []
            before = {f: getattr(action, f) for f in changed}
            for field in changed:
                setattr(action, field, changes[field])
            if action.is_published and not (action.you_said.strip() and action.we_did.strip()):
                raise ActionStateError(
                    "Write both \u201cyou said\u201d and \u201cwe did\u201d before publishing."
                )
            action.version += 1
            action.save(update_fields=[*changed, "version", "updated_at"])
            events = action._edit_events(by, before, note)
        self._refresh_from(action)
        return events

    def _edit_events(self, by, before: dict, note: str) -> list:
        kinds = ActionEvent.Kind
        events = []
        if "owner" in before:
            events.append(
                self._record(
                    by, kinds.ASSIGNED, before["owner"], self.owner, note, notify_owner=True
                )
            )
        if "due_on" in before:
            events.append(self._record(by, kinds.DUE_CHANGED, before["due_on"], self.due_on, note))
        if "priority" in before:
            old = self.Priority(before["priority"]).label
            events.append(
                self._record(by, kinds.PRIORITY_CHANGED, old, self.get_priority_display(), note)
            )
        details = [f for f in ("title", "description", "team") if f in before]
        if details:
            labels = ", ".join(str(self._meta.get_field(f).verbose_name) for f in details)
            old = " / ".join(str(before[f]) for f in details)
            new = " / ".join(str(getattr(self, f)) for f in details)
            events.append(self._record(by, kinds.EDITED, old, new, note or f"Changed {labels}."))
        public = [f for f in self.PUBLIC if f in before]
        if public:
            state = "Published" if self.is_published else "Not published"
            wording = f"You said: {self.you_said}\nWe did: {self.we_did}".strip()
            events.append(self._record(by, kinds.PUBLISHED, "", state, note or wording))
        return events

    def link(self, observation, *, by, version: int | None = None) -> "ActionEvent | None":
        """Add an observation this action addresses."""
        with transaction.atomic():
            action = self._lock(version)
            if not action.is_unfinished:
                raise ActionStateError(
                    f"\u201c{action.title}\u201d is {action.get_status_display().lower()}; "
                    "link the observation to an action that is still open or in progress."
                )
            if action.observations.filter(pk=observation.pk).exists():
                return None
            action.observations.add(observation)
            action.version += 1
            action.save(update_fields=["version", "updated_at"])
            event = action._record(
                by, ActionEvent.Kind.LINKED, "", f"Observation {observation.pk}", str(observation)
            )
        self._refresh_from(action)
        return event

    def comment(self, *, by, text: str) -> "ActionEvent":
        """A remark on the action; it changes nothing else, so it never makes forms stale."""
        text = (text or "").strip()
        if not text:
            raise ActionStateError("Write a comment first.")
        return self._record(by, ActionEvent.Kind.COMMENT, note=text)

    def record_escalation(self, *, to, note: str) -> "ActionEvent":
        """An escalation e-mail went out; it changes nothing else, so no form goes stale."""
        return ActionEvent.objects.create(
            action=self,
            actor=None,
            at=timezone.now(),
            kind=ActionEvent.Kind.ESCALATED,
            new_value=str(to)[:255],
            note=note,
            version=self.version,
        )

    def changes_since(self, version: int) -> str:
        """What others changed after `version`, in words, for a refused stale form."""
        events = self.events.filter(version__gt=version).select_related("actor")
        described = [event.summary() for event in events]
        if not described:
            return "This action was changed by someone else. Check it and try again."
        return (
            "This action changed while you had it open: "
            + "; ".join(described)
            + ". Check the page and try again."
        )

    # --- helpers --------------------------------------------------------------------

    def _lock(self, version: int | None) -> "Action":
        action = Action.objects.select_for_update().get(pk=self.pk)
        if version is not None and action.version != version:
            raise StaleActionError(action.changes_since(version))
        return action

    def _require_status(self, verb: str, *allowed: str) -> None:
        if self.status not in allowed:
            raise ActionStateError(
                f"This action is {self.get_status_display().lower()}, so it cannot be "
                f"{ACTION_VERB_PAST[verb]}."
            )

    def _move(self, by, new_status: str, note: str, fields: list[str]) -> None:
        old_status = self.status
        at = timezone.now()
        self.status = new_status
        self.version += 1
        if new_status == self.Status.IN_PROGRESS and self.started_at is None:
            self.started_at = at
            fields = [*fields, "started_at"]
        self.save(update_fields=[*fields, "status", "version", "updated_at"])
        self._record(by, ActionEvent.Kind.STATUS, old_status, new_status, note, at=at)

    def _record(
        self, by, kind, old="", new="", note="", notify_owner=False, at=None
    ) -> "ActionEvent":
        def text(value) -> str:
            if isinstance(value, dt.date):
                return value.isoformat()
            return str(value or "")[:255]

        event = ActionEvent.objects.create(
            action=self,
            actor=by,
            at=at or timezone.now(),
            kind=kind,
            old_value=text(old),
            new_value=text(new),
            note=note,
            version=self.version,
        )
        if notify_owner and by.pk != self.owner_id:
            from insights.tasks import send_notification

            # Recorded with the change, so an e-mail whose message never reached the
            # broker is still found and sent by the sweep.
            kind, period = Notification.Kind.ASSIGNED, f"event:{event.pk}"
            Notification.objects.create(
                action=self,
                kind=kind,
                recipient_id=self.owner_id,
                period=period,
                state=Notification.State.PENDING,
                attempts=0,
            )
            publish_on_commit(send_notification, self.pk, kind, self.owner_id, period)
        return event

    def _refresh_from(self, locked: "Action") -> None:
        for field in self._meta.concrete_fields:
            setattr(self, field.attname, getattr(locked, field.attname))
        self._state.fields_cache = {}


ACTION_VERB_PAST = {
    "start": "started",
    "complete": "completed",
    "verify": "verified",
    "drop": "dropped",
    "reopen": "reopened",
}


class ActionEvent(models.Model):
    """One change to an action, written in the same transaction as the change."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        ASSIGNED = "assigned", _("Owner changed")
        DUE_CHANGED = "due_changed", _("Due date changed")
        PRIORITY_CHANGED = "priority_changed", _("Priority changed")
        STATUS = "status", _("Status changed")
        COMMENT = "comment", _("Comment")
        LINKED = "linked", _("Observation linked")
        EDITED = "edited", _("Details edited")
        PUBLISHED = "published", _("Publication changed")
        ESCALATED = "escalated", _("Escalated")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    old_value = models.CharField(max_length=255, blank=True)
    new_value = models.CharField(max_length=255, blank=True)
    note = models.TextField(blank=True)
    # The action's version after this change: a stale form lists the events newer than it.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def old_label(self) -> str:
        return self._label(self.old_value)

    @property
    def new_label(self) -> str:
        return self._label(self.new_value)

    def _label(self, value: str) -> str:
        if self.kind == self.Kind.STATUS and value in Action.Status.values:
            return Action.Status(value).label
        if self.kind == self.Kind.DUE_CHANGED and value:
            return date_format(dt.date.fromisoformat(value), "j M Y")
        return value

    def summary(self) -> str:
        who = str(self.actor) if self.actor else "Someone"
        if self.kind == self.Kind.STATUS:
            return f"{who} changed the status from {self.old_label} to {self.new_label}"
        if self.kind in (self.Kind.ASSIGNED, self.Kind.DUE_CHANGED, self.Kind.PRIORITY_CHANGED):
            what = self.get_kind_display().split(" changed")[0].lower()
            return f"{who} changed the {what} from {self.old_label} to {self.new_label}"
        return f"{who}: {self.get_kind_display().lower()}"
