"""The dashboard's summaries of observations: counts per day, team and everything it
filters by, kept up to date as observations change (``insights.summaries``).

The dashboard reads these rows instead of the observations, so its cost follows the
period and the teams, not how many observations there are. Every row is an exact
aggregate of the observations it stands for: a change never adjusts a row, it marks the
team's day stale, and the refresh computes that day again from the observations.
"""

from django.db import models

from immersion.models import Team
from insights.models.themes import Theme


class SummaryKey(models.Model):
    """What every summary row is filed under: what the dashboard filters observations by.

    Each observation is counted once in the rows without a theme, and once more in the
    rows of each theme it is filed under: the theme filter reads the latter.
    """

    day = models.DateField()
    team = models.ForeignKey(
        Team, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    # Plain ids: a summary never stops a catalogue entry from being retired or removed.
    session_type_id = models.BigIntegerField()
    persona_id = models.BigIntegerField(null=True)
    programme_id = models.BigIntegerField(null=True)
    theme = models.ForeignKey(
        Theme, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    count = models.PositiveIntegerField()

    class Meta:
        abstract = True


class ObservationDay(SummaryKey):
    """Observations of one team on one local day with the same session type, persona,
    programme, theme, touchpoint and feeling."""

    touchpoint = models.CharField(max_length=20)
    emotion = models.CharField(max_length=20)
    intensity = models.PositiveIntegerField(help_text="The sum of their intensities.")
    triaged = models.PositiveIntegerField()
    oldest_untriaged = models.DateTimeField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["day", "team"], name="observation_day_by_day"),
            models.Index(fields=["theme", "day"], name="observation_day_by_theme"),
        ]

    def __str__(self) -> str:
        return f"{self.count} observations of team {self.team_id} on {self.day}"


class ObservationWaitDay(SummaryKey):
    """As ``ObservationDay``, the observations whose first action was raised after the
    same number of whole days: a histogram, whose median is the dashboard's "observation
    to action" to the day."""

    wait_days = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["day", "team"], name="observation_wait_by_day")]

    def __str__(self) -> str:
        return (
            f"{self.count} observations of team {self.team_id} on {self.day}, "
            f"first acted on after {self.wait_days} days"
        )


class ActionTimeDay(models.Model):
    """Actions of one team raised on one local day (each once without a theme, and once
    per theme they carry) that reached a step after the same number of whole days: a
    histogram per step, whose medians are the dashboard's times to start, done and
    verified. The step "raised" (after 0 days) counts the actions themselves."""

    class Step(models.TextChoices):
        RAISED = "raised"
        STARTED = "started"
        DONE = "done"
        VERIFIED = "verified"

    day = models.DateField()
    team = models.ForeignKey(
        Team, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    theme = models.ForeignKey(
        Theme, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    step = models.CharField(max_length=10, choices=Step.choices)
    days = models.IntegerField()
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["day", "team"], name="action_time_by_day")]

    def __str__(self) -> str:
        return (
            f"{self.count} actions of team {self.team_id} on {self.day}, "
            f"{self.step} after {self.days} days"
        )


class StaleSummaryDay(models.Model):
    """A team's day whose observations or actions changed since its summary rows were
    computed.

    Written in the same transaction as the change, so a refresh that never ran (a broker
    down, a worker killed) leaves the mark behind for the sweep to find.
    """

    day = models.DateField()
    team = models.ForeignKey(
        Team, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "team"], name="stale_summary_day_once")
        ]

    def __str__(self) -> str:
        return f"Team {self.team_id} on {self.day}, to refresh"
