"""Re-visits: after an action is verified, a later session checks how the customer feels now.

A re-visit is due as soon as the action is verified: on the same touchpoint, walking as
the same persona where the source observation had one, at the team's next session
planned after the verification or within the team's number of days. A manager answers it
from the capture page with an ordinary observation; the answer says whether the fix
worked. One still negative stays untriaged, so the CX lead meets it in the queue.
"""

import datetime as dt

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from immersion.models import ImmersionSession, Persona, Team, Touchpoint
from insights.models.actions import Action
from insights.models.triage import TeamTriageSettings
from journal.models import Emotion, Observation

GOOD = {Emotion.DELIGHTED, Emotion.HAPPY, Emotion.REASSURED}
NEUTRAL = {Emotion.INDIFFERENT}


def feeling_score(emotion: str, intensity: int) -> int:
    """A good feeling counts up by its strength, a bad one down, an indifferent one nothing."""
    if emotion in GOOD:
        return intensity
    if emotion in NEUTRAL:
        return 0
    return -intensity


def is_negative(emotion: str) -> bool:
    return feeling_score(emotion, 1) < 0


class ReVisitQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or not user.roles:
            return self.none()
        return self.filter(team_id__in=user.scope_team_ids)

    def pending(self):
        """Waiting for an answer, for an action still verified (a reopened one is not done)."""
        return self.filter(answer__isnull=True, action__status=Action.Status.VERIFIED)

    def overdue(self, today=None):
        return self.pending().filter(due_on__lt=today or timezone.localdate())

    def for_session(self, session):
        """The re-visits a session can answer: its team, after the verification, its persona,
        a touchpoint its type looks at."""
        found = (
            self.pending()
            .filter(team_id=session.team_id, verified_at__lte=session.planned_start)
            .filter(Q(persona__isnull=True) | Q(persona_id=session.persona_id))
            .exclude(before__session_id=session.pk)
        )
        suggested = session.session_type.suggested_touchpoints
        return found.filter(touchpoint__in=suggested) if suggested else found


class ReVisit(models.Model):
    """A check, after a verified action, of how the customer would feel now at the touchpoint."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="revisits")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="revisits")
    touchpoint = models.CharField(max_length=20, choices=Touchpoint.choices)
    persona = models.ForeignKey(
        Persona, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the customer would have felt before the fix, kept even if the observation goes.
    before = models.ForeignKey(
        Observation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    before_emotion = models.CharField(max_length=20, choices=Emotion.choices)
    before_intensity = models.PositiveSmallIntegerField()
    verified_at = models.DateTimeField()
    due_on = models.DateField()
    answer = models.OneToOneField(
        Observation, null=True, blank=True, on_delete=models.SET_NULL, related_name="revisit_of"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    improved = models.BooleanField(null=True)

    objects = ReVisitQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            # The capture page's prompts and the overdue figure: a team's unanswered re-visits.
            models.Index(
                fields=["team", "due_on"], condition=Q(answer__isnull=True), name="revisit_pending"
            ),
        ]
        constraints = [
            # An action waits for one re-visit at a time; verifying again moves it.
            models.UniqueConstraint(
                fields=["action"], condition=Q(answer__isnull=True), name="revisit_one_pending"
            ),
            models.CheckConstraint(
                condition=Q(answer__isnull=True)
                | Q(answered_at__isnull=False, improved__isnull=False),
                name="revisit_answer_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"Re-visit of action #{self.action_id} at {self.get_touchpoint_display()}"

    @property
    def before_feeling(self) -> str:
        return Emotion(self.before_emotion).label.lower()

    @property
    def is_overdue(self) -> bool:
        return self.answer_id is None and self.due_on < timezone.localdate()

    @property
    def still_negative(self) -> bool:
        return self.answer is not None and is_negative(self.answer.emotion)

    @classmethod
    def schedule_for(cls, action: Action) -> "ReVisit | None":
        """Make (or move) the action's re-visit; call inside the verification's transaction."""
        before = _worst_source(action)
        if before is None:
            return None
        session = before.session
        team = session.team
        persona = session.persona
        days = TeamTriageSettings.revisit_days_for(team)
        latest = timezone.localdate(action.verified_at) + dt.timedelta(days=days)
        due_on = next_session_day(before.session, before.touchpoint, action.verified_at) or latest
        fields = {
            "team": team,
            "touchpoint": before.touchpoint,
            "persona": persona,
            "before": before,
            "before_emotion": before.emotion,
            "before_intensity": before.intensity,
            "verified_at": action.verified_at,
            "due_on": min(due_on, latest),
        }
        revisit, _ = cls.objects.update_or_create(
            action=action, answer__isnull=True, defaults=fields
        )
        return revisit

    def record_answer(self, observation: Observation) -> None:
        """Link the answer; call inside the transaction that stores the observation."""
        self.answer = observation
        self.answered_at = timezone.now()
        self.improved = self._improved_by(observation)
        self.save(update_fields=["answer", "answered_at", "improved"])

    def score(self, observation: Observation) -> None:
        """Say again whether the feeling improved, after the answer was corrected."""
        improved = self._improved_by(observation)
        if improved != self.improved:
            self.improved = improved
            self.save(update_fields=["improved"])

    def _improved_by(self, observation: Observation) -> bool:
        after = feeling_score(observation.emotion, observation.intensity)
        return after > feeling_score(self.before_emotion, self.before_intensity)


def _worst_source(action: Action) -> Observation | None:
    """The source observation the re-visit checks: the most negative, then the latest."""
    observations = list(action.observations.select_related("session__team", "session__persona"))
    if not observations:
        return None
    return min(
        observations,
        key=lambda o: (feeling_score(o.emotion, o.intensity), -o.created_at.timestamp()),
    )


def suits(session_type, touchpoint: str) -> bool:
    """A session type that names its touchpoints suits only those; one that names none, all."""
    suggested = session_type.suggested_touchpoints
    return not suggested or touchpoint in suggested


# Enough upcoming sessions to find one of a suitable type; a team plans only so many ahead.
LOOK_AHEAD = 20


def next_session_day(source, touchpoint: str, after) -> dt.date | None:
    """The day of the team's next suitable session after ``after``, as the source's persona."""
    sessions = (
        ImmersionSession.objects.open()
        .filter(team_id=source.team_id, planned_start__gte=after)
        .exclude(pk=source.pk)
    )
    if source.persona_id is not None:
        sessions = sessions.filter(persona_id=source.persona_id)
    upcoming = sessions.select_related("session_type").order_by("planned_start")[:LOOK_AHEAD]
    start = next((s.planned_start for s in upcoming if suits(s.session_type, touchpoint)), None)
    return timezone.localdate(start) if start else None


def answer_revisit(revisit_id: int, observation: Observation) -> ReVisit:
    """Lock the re-visit and link the answer, refusing one already answered by another."""
    with transaction.atomic():
        revisit = ReVisit.objects.select_for_update().get(pk=revisit_id)
        if revisit.answer_id not in (None, observation.pk):
            raise RevisitTaken()
        if revisit.answer_id is None:
            revisit.record_answer(observation)
            # The answer is about the same root causes as the action it checks.
            observation.themes.add(*revisit.action.themes.all())
    return revisit


class RevisitTaken(Exception):
    """Someone else answered this re-visit first."""
