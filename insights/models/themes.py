"""Themes: the root causes CX leads name, so what is seen can be counted by cause.

A theme is shared by every team. Observations and actions carry themes through link
tables declared here, on the insights side, so the journal never needs to know about
them (it reads ``observation.themes`` by name). A theme in use is retired rather than
deleted: the links protect it, and what was counted under it stays counted.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from insights.models.actions import Action
from journal.models import Observation


class ThemeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def offered(self, keep=()):
        """What a form offers: the active themes, and any retired one already chosen."""
        return self.filter(models.Q(is_active=True) | models.Q(pk__in=list(keep)))


class Theme(models.Model):
    """A root cause of what customers meet (signage, waiting time, staff knowledge...)."""

    name = models.CharField(max_length=60, unique=True)
    description = models.TextField(
        help_text=_("What belongs under this theme, so every CX lead files alike.")
    )
    is_active = models.BooleanField(
        _("In use"),
        default=True,
        help_text=_("Untick to retire it: it is no longer offered, and what carries it keeps it."),
    )
    observations = models.ManyToManyField(
        Observation, through="ObservationTheme", related_name="themes", blank=True
    )
    actions = models.ManyToManyField(
        Action, through="ActionTheme", related_name="themes", blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ObservationTheme(models.Model):
    """An observation filed under a theme."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["observation", "theme"], name="observation_theme_once")
        ]
        indexes = [
            # The dashboard's and the suggestions' counts: observations by theme.
            models.Index(fields=["theme", "observation"], name="observation_theme_by_theme")
        ]

    def __str__(self) -> str:
        return f"Observation {self.observation_id} under theme {self.theme_id}"


class ActionTheme(models.Model):
    """An action filed under a theme."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "theme"], name="action_theme_once")
        ]
        indexes = [
            # The dashboard's medians by theme: actions by theme.
            models.Index(fields=["theme", "action"], name="action_theme_by_theme")
        ]

    def __str__(self) -> str:
        return f"Action {self.action_id} under theme {self.theme_id}"
