"""Who takes part, where, and the immersion sessions they do.

Teams form a tree (a region holds stores and a contact centre); users belong to
teams and take a role through group membership. A programme sets how often each
participant should walk in the customer's shoes, and sessions are those walks.
"""

import secrets
from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    """A user's role; each is a Django group of the same label."""

    MANAGER = "manager", "Manager"
    CX_LEAD = "cx_lead", "CX lead"
    EXECUTIVE = "executive", "Executive"


class Touchpoint(models.TextChoices):
    """Where the customer meets the organisation. The product and its packaging count too."""

    PRODUCT = "product", "Product"
    PACKAGING = "packaging", "Packaging"
    INFORMATION = "information", "Information"
    STORE = "store", "Store"
    SIGNAGE = "signage", "Signage"
    WEBSITE = "website", "Website"
    APP = "app", "App"
    PHONE = "phone", "Phone"
    EMAIL = "email", "E-mail"
    CHAT = "chat", "Chat"
    DELIVERY = "delivery", "Delivery"
    BILLING = "billing", "Billing"
    STAFF = "staff", "Staff"
    POLICY = "policy", "Policy"
    OTHER = "other", "Other"


class TeamQuerySet(models.QuerySet):
    def subtree_of(self, teams):
        """The given teams and every team below them."""
        paths = [team.path for team in teams]
        if not paths:
            return self.none()
        condition = Q()
        for path in paths:
            condition |= Q(path__startswith=path)
        return self.filter(condition)


class Team(models.Model):
    """A store, branch, contact centre or department, optionally inside a region."""

    class Kind(models.TextChoices):
        REGION = "region", "Region"
        STORE = "store", "Store"
        BRANCH = "branch", "Branch"
        CONTACT_CENTRE = "contact_centre", "Contact centre"
        DEPARTMENT = "department", "Department"

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.STORE)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path of primary keys ("/3/17/"): "a team with its sub-teams"
    # becomes one indexed prefix match instead of a recursive walk.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="team_unique_name_in_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        new_path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if new_path != self.path:
            old_path = self.path
            self.path = new_path
            Team.objects.filter(pk=self.pk).update(path=new_path)
            if old_path:
                for child in Team.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    child.path = new_path + child.path[len(old_path) :]
                    Team.objects.filter(pk=child.pk).update(path=child.path)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class User(AbstractUser):
    """Anyone who signs in: managers, CX leads, executives and action owners."""

    teams = models.ManyToManyField(Team, blank=True, related_name="members")
    calendar_token = models.CharField(
        max_length=64, unique=True, default=new_calendar_token, editable=False
    )
    reminder_emails = models.BooleanField(
        default=True,
        help_text="Reminders and overdue notices. Assignment e-mails are always sent.",
    )

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[Role]:
        labels = {label: role for role, label in Role.choices}
        return frozenset(
            labels[name] for name in self.groups.values_list("name", flat=True) if name in labels
        )

    @property
    def is_manager(self) -> bool:
        return Role.MANAGER in self.roles

    @property
    def is_cx_lead(self) -> bool:
        return Role.CX_LEAD in self.roles

    @property
    def is_executive(self) -> bool:
        return Role.EXECUTIVE in self.roles

    @property
    def primary_role(self) -> Role | None:
        for role in (Role.CX_LEAD, Role.EXECUTIVE, Role.MANAGER):
            if role in self.roles:
                return role
        return None

    @cached_property
    def scope_team_ids(self) -> frozenset[int]:
        """The user's teams and all teams below them: what their role reaches."""
        own = list(self.teams.all())
        return frozenset(Team.objects.subtree_of(own).values_list("pk", flat=True))

    def regenerate_calendar_token(self) -> None:
        self.calendar_token = new_calendar_token()
        self.save(update_fields=["calendar_token"])


class SessionType(models.Model):
    """A way to walk in the customer's shoes: a floor walk, a wheelchair day, a listening post."""

    name = models.CharField(max_length=100, unique=True)
    purpose = models.TextField(help_text="Why managers do this and what it teaches them.")
    prompts = models.JSONField(
        default=list, blank=True, help_text="Guidance shown during the session, in order."
    )
    default_duration = models.DurationField()
    suggested_touchpoints = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Persona(models.Model):
    """Whose shoes: the customer a manager walks as (a wheelchair user, a parent with a buggy)."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField()
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    """A period with a cadence target: each participant completes N sessions in it."""

    name = models.CharField(max_length=150)
    starts_on = models.DateField()
    ends_on = models.DateField()
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="owned_programmes")
    participants = models.ManyToManyField(User, blank=True, related_name="programmes")
    participant_teams = models.ManyToManyField(
        Team, blank=True, related_name="programmes", help_text="Includes their sub-teams."
    )
    target_sessions = models.PositiveSmallIntegerField(default=3)
    target_types = models.ManyToManyField(
        SessionType,
        blank=True,
        related_name="programmes",
        help_text="Only sessions of these types count. Empty means any type.",
    )

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="programme_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(target_sessions__gte=1), name="programme_target_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ImmersionSession(models.Model):
    """One walk in the customer's shoes, planned for a manager at a place and time."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        MISSED = "missed", "Missed"

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

    class Meta:
        ordering = ["planned_start"]
        constraints = [
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
