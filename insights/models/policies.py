"""Service-level policies: how fast an action of each priority should move, and who hears when not.

One policy per priority, for the whole organisation. A priority without a saved policy
follows the default built from the settings ``ACTION_DUE_SOON_DAYS`` and
``ACTION_ESCALATION_DAYS`` (a code default rather than a data migration, so changing those
settings still changes the behaviour until a CX lead saves a policy of their own).
"""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from immersion.models import Role
from insights.models.actions import Action

Priority = Action.Priority
# Days from creation to the due date when no policy is saved, by priority.
DEFAULT_DAYS_TO_DUE = {Priority.LOW: 28, Priority.NORMAL: 14, Priority.HIGH: 7, Priority.URGENT: 2}
MAX_DAYS = 365


class ServicePolicy(models.Model):
    """What a priority promises: days to the due date, a reminder before it, and escalation."""

    priority = models.PositiveSmallIntegerField(unique=True, choices=Priority.choices)
    days_to_due = models.PositiveSmallIntegerField(
        _("Days to the due date"),
        validators=[MaxValueValidator(MAX_DAYS)],
        help_text=_("A new action of this priority is due this many days after it is made."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("Reminder, days before the due date"),
        validators=[MaxValueValidator(MAX_DAYS)],
        help_text=_("0 sends no reminder."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-priority"]
        verbose_name_plural = "service policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(days_to_due__gte=1), name="policy_due_at_least_a_day_ahead"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_priority_display()} priority policy"

    @property
    def is_default(self) -> bool:
        return self.pk is None

    def ordered_steps(self) -> list["EscalationStep"]:
        if self.is_default:
            return self._default_steps
        return sorted(self.steps.all(), key=lambda s: (s.days_after_due, s.pk))

    def due_on(self, today: dt.date) -> dt.date:
        return today + dt.timedelta(days=self.days_to_due)

    @classmethod
    def default(cls, priority: int) -> "ServicePolicy":
        """The policy a priority follows until a CX lead saves one: the old fixed rule."""
        policy = cls(
            priority=priority,
            days_to_due=DEFAULT_DAYS_TO_DUE[priority],
            reminder_days=settings.ACTION_DUE_SOON_DAYS,
        )
        policy._default_steps = [
            EscalationStep(
                days_after_due=settings.ACTION_ESCALATION_DAYS,
                recipient=EscalationStep.Recipient.TEAM_CX_LEAD,
            )
        ]
        return policy

    @classmethod
    def for_priority(cls, priority: int) -> "ServicePolicy":
        saved = cls.objects.filter(priority=priority).first()
        return saved or cls.default(priority)

    @classmethod
    def all_by_priority(cls) -> dict[int, "ServicePolicy"]:
        """Every priority's policy, saved or default, in two queries."""
        saved = {
            p.priority: p
            for p in cls.objects.select_related("updated_by").prefetch_related("steps")
        }
        return {
            priority: saved.get(priority) or cls.default(priority)
            for priority in DEFAULT_DAYS_TO_DUE
        }


class EscalationStep(models.Model):
    """Who is told, how many days after the due date, when an action is still not done."""

    class Recipient(models.TextChoices):
        OWNER = "owner", _("The owner")
        TEAM_CX_LEAD = "cx_lead", _("The CX lead of the action's team")
        UPPER_CX_LEAD = "upper_cx_lead", _("The CX lead of the team above")

    policy = models.ForeignKey(ServicePolicy, on_delete=models.CASCADE, related_name="steps")
    days_after_due = models.PositiveSmallIntegerField(
        _("Days after the due date"), validators=[MaxValueValidator(MAX_DAYS)]
    )
    recipient = models.CharField(_("Who is told"), max_length=20, choices=Recipient.choices)

    class Meta:
        ordering = ["days_after_due", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "recipient", "days_after_due"], name="escalation_step_once"
            ),
        ]

    def __str__(self) -> str:
        label = self.get_recipient_display()
        return f"{label[0].lower()}{label[1:]}, {self.when_label}"

    @property
    def when_label(self) -> str:
        if self.days_after_due == 0:
            return gettext("on the due date")
        days = self.days_after_due
        return ngettext(
            "%(days)s day after the due date", "%(days)s days after the due date", days
        ) % {"days": days}

    @classmethod
    def from_period(cls, period: str) -> "EscalationStep":
        """The step a notification's period names, to describe it once it is sent."""
        recipient, rest = period.split("+", 1)
        return cls(recipient=recipient, days_after_due=int(rest.split("d:", 1)[0]))

    def period(self, due_on: dt.date) -> str:
        """The notification's period: names the step, and a new due date starts the steps anew."""
        return f"{self.recipient}+{self.days_after_due}d:{due_on.isoformat()}"


def may_change_policies(user) -> bool:
    """Policies are organisation-wide: only a CX lead of a top-level team sets them on the site
    (staff keep them in the admin)."""
    return Role.CX_LEAD in user.roles and user.teams.filter(parent__isnull=True).exists()
