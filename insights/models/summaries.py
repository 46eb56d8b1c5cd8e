"""The dashboard's summaries: counts of observations, actions and sessions per day, team
and everything it filters by, kept up to date as they change (``insights.summaries``).

The dashboard reads these rows instead of the observations, actions and sessions, so its
cost follows the period and the teams, not how many rows there are. Every row is an exact
aggregate of what it stands for: a change never adjusts a row, it marks the team's day
stale, and the refresh computes that day again from the tables.
"""

from django.db import models

from immersion.models import Team
from insights.models.themes import Theme


class TeamDay(models.Model):
    """A summary row: how many of something one team had on one local day."""

    day = models.DateField()
    team = models.ForeignKey(
        Team, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    count = models.PositiveIntegerField()

    class Meta:
        abstract = True


class SessionKey(TeamDay):
    """Filed under what the dashboard filters sessions by."""

    # Plain ids: a summary never stops a catalogue entry from being retired or removed.
    session_type_id = models.BigIntegerField()
    persona_id = models.BigIntegerField(null=True)
    programme_id = models.BigIntegerField(null=True)

    class Meta:
        abstract = True


class SummaryKey(SessionKey):
    """What every observation summary row is filed under: what the dashboard filters
    observations by.

    Each observation is counted once in the rows without a theme, and once more in the
    rows of each theme it is filed under: the theme filter reads the latter.
    """

    theme = models.ForeignKey(
        Theme, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

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


class ActionTimeDay(TeamDay):
    """Actions of one team raised on one local day (each once without a theme, and once
    per theme they carry) that reached a step after the same number of whole days: a
    histogram per step, whose medians are the dashboard's times to start, done and
    verified. The step "raised" (after 0 days) counts the actions themselves."""

    class Step(models.TextChoices):
        RAISED = "raised"
        STARTED = "started"
        DONE = "done"
        VERIFIED = "verified"

    theme = models.ForeignKey(
        Theme, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    step = models.CharField(max_length=10, choices=Step.choices)
    days = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["day", "team"], name="action_time_by_day")]

    def __str__(self) -> str:
        return (
            f"{self.count} actions of team {self.team_id} on {self.day}, "
            f"{self.step} after {self.days} days"
        )


class ActionDay(TeamDay):
    """Actions of one team raised on one local day (each once without a theme, and once
    per theme they carry) with the same status and due date, and, for those finished
    after their due date, the same day they were done.

    The dashboard's actions by week and status, what fell due and what was overdue read
    these rows: an action is overdue at the end of a day if it was raised by then, was due
    before it, and was neither dropped nor done by then, which for a finished action only
    a late day done can tell. Actions finished by their due date share one row."""

    theme = models.ForeignKey(
        Theme, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    status = models.CharField(max_length=20)
    due_on = models.DateField()
    late_done_on = models.DateField(null=True)
    published = models.PositiveIntegerField(help_text="Verified and on the public page.")

    class Meta:
        indexes = [
            models.Index(fields=["day", "team"], name="action_day_by_day"),
            models.Index(fields=["team", "due_on"], name="action_day_by_due"),
        ]

    def __str__(self) -> str:
        return f"{self.count} {self.status} actions of team {self.team_id} on {self.day}"


class SessionDay(SessionKey):
    """Completed sessions of one team planned for one local day, with the same session
    type, persona and programme: what the participation figures count."""

    class Meta:
        indexes = [models.Index(fields=["day", "team"], name="session_day_by_day")]

    def __str__(self) -> str:
        return f"{self.count} sessions completed by team {self.team_id} on {self.day}"


class RevisitDay(TeamDay):
    """Re-visits of one team's actions verified on one local day (each once without a
    theme, and once per theme of its action) in the same state: answered or not, improved
    or not, and, while waiting for an answer to a still verified action, the day due."""

    theme = models.ForeignKey(
        Theme, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    themed = models.BooleanField(help_text="Its action has a theme.")
    has_answer = models.BooleanField()
    feels_better = models.BooleanField(null=True, help_text="The answer's feeling improved.")
    waiting_due_on = models.DateField(null=True)

    class Meta:
        indexes = [models.Index(fields=["day", "team"], name="revisit_day_by_day")]

    def __str__(self) -> str:
        return f"{self.count} re-visits of team {self.team_id} verified on {self.day}"


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
