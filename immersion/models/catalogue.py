"""What a programme is made of: touchpoints, session types, personas, programmes."""

from datetime import timedelta

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from immersion.models.people import Team, User


class Touchpoint(models.TextChoices):
    """Where the customer meets the organisation. The product and its packaging count too."""

    PRODUCT = "product", _("Product")
    PACKAGING = "packaging", _("Packaging")
    INFORMATION = "information", _("Information")
    STORE = "store", _("Store")
    SIGNAGE = "signage", _("Signage")
    WEBSITE = "website", _("Website")
    APP = "app", _("App")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    CHAT = "chat", _("Chat")
    DELIVERY = "delivery", _("Delivery")
    BILLING = "billing", _("Billing")
    STAFF = "staff", _("Staff")
    POLICY = "policy", _("Policy")
    OTHER = "other", _("Other")


class ActiveQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


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

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_duration__gt=timedelta(0)),
                name="session_type_duration_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def duration_label(self) -> str:
        """How long it usually takes, as people say it: "45 min", "2 h", "1 h 30 min"."""
        hours, minutes = divmod(int(self.default_duration.total_seconds()) // 60, 60)
        return " ".join(
            part
            for part in (f"{hours} h" if hours else "", f"{minutes} min" if minutes else "")
            if part
        )

    @property
    def suggested_touchpoint_labels(self) -> list[str]:
        labels = dict(Touchpoint.choices)
        return [labels[value] for value in self.suggested_touchpoints if value in labels]


class Persona(models.Model):
    """Whose shoes: the customer a manager walks as (a wheelchair user, a parent with a buggy)."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField()
    is_active = models.BooleanField(default=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProgrammeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Programmes the user may read.

        A CX lead or executive reads the programmes they own and those reaching into their
        scope (a participant team or a participant in it); a manager reads the programmes
        they take part in, directly or through one of their teams or its parents.
        """
        if not user.is_authenticated:
            return self.none()
        participant_links = Programme.participants.through.objects
        team_links = Programme.participant_teams.through.objects
        condition = Q(
            Exists(participant_links.filter(programme_id=OuterRef("pk"), user_id=user.pk))
        )
        if user.is_cx_lead or user.is_executive:
            scope = user.scope_team_ids
            condition |= Q(owner=user)
            condition |= Q(
                Exists(team_links.filter(programme_id=OuterRef("pk"), team_id__in=scope))
            )
            condition |= Q(
                Exists(
                    participant_links.filter(
                        programme_id=OuterRef("pk"),
                        user__in=User.objects.in_teams(scope).values("pk"),
                    )
                )
            )
        if user.is_manager:
            ancestor_ids = {
                int(pk)
                for path in user.teams.values_list("path", flat=True)
                for pk in path.strip("/").split("/")
                if pk
            }
            condition |= Q(
                Exists(team_links.filter(programme_id=OuterRef("pk"), team_id__in=ancestor_ids))
            )
        return self.filter(condition)


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
        help_text=_("Only sessions of these types count. Empty means any type."),
    )

    objects = ProgrammeQuerySet.as_manager()

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

    def covers(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on
