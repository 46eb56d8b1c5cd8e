"""Per-team triage settings kept by CX leads."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from immersion.models import Team

# Without a team's own setting: a month is long enough to have a session, short enough to tell.
REVISIT_DAYS = 30


class TeamTriageSettings(models.Model):
    """How a team's observations are triaged: who new actions go to unless the CX lead says else."""

    team = models.OneToOneField(
        Team, primary_key=True, on_delete=models.CASCADE, related_name="triage_settings"
    )
    default_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("New actions for this team's observations go to this person unless changed."),
    )
    revisit_days = models.PositiveSmallIntegerField(
        _("Re-visit within (days)"),
        default=REVISIT_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_(
            "A verified action's re-visit is due at the team's next session, "
            "or within this many days if none comes sooner."
        ),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "team triage settings"
        verbose_name_plural = "team triage settings"

    def __str__(self) -> str:
        return f"Triage settings of {self.team}"

    @classmethod
    def default_owner_for(cls, team) -> int | None:
        """The team's default owner, or failing that the one of the nearest team above it."""
        above = [int(pk) for pk in team.path.strip("/").split("/") if pk]
        found = dict(
            cls.objects.filter(
                team_id__in=above, default_owner__isnull=False, default_owner__is_active=True
            ).values_list("team_id", "default_owner_id")
        )
        return next((found[pk] for pk in reversed(above) if pk in found), None)

    @classmethod
    def revisit_days_for(cls, team) -> int:
        """The team's re-visit window, or failing that the one of the nearest team above it."""
        above = [int(pk) for pk in team.path.strip("/").split("/") if pk]
        found = dict(cls.objects.filter(team_id__in=above).values_list("team_id", "revisit_days"))
        return next((found[pk] for pk in reversed(above) if pk in found), REVISIT_DAYS)
