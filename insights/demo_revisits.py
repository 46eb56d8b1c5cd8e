"""Demo re-visits: verified fixes checked in a later session, answered both ways, one still due."""

import datetime as dt
from itertools import cycle

from django.utils import timezone

from immersion.models import ImmersionSession
from insights.models import ReVisit
from insights.models.revisits import is_negative, suits
from insights.revisit_prompts import RevisitPrompts, prompt_for
from journal.models import Emotion, Observation

# What the manager saw on the re-visit: most fixes held, one did not.
ANSWERS = [
    (Emotion.REASSURED, 2, "Asked again today: the customer found it straight away."),
    (Emotion.HAPPY, 3, "Went back as the same customer: it just worked this time."),
    (Emotion.CONFUSED, 4, "Still not clear: the customer asked a colleague twice."),
    (Emotion.REASSURED, 3, "The change is there and customers use it without asking."),
]


def seed(out) -> None:
    if ReVisit.objects.filter(answer__isnull=False).exists():
        return
    revisits = list(ReVisit.objects.pending().select_related("action", "team", "persona"))
    # The demo moved each action's history into the past; its re-visit follows it.
    for revisit in revisits:
        revisit.verified_at = revisit.action.verified_at
        revisit.due_on = timezone.localdate(revisit.verified_at) + dt.timedelta(days=21)
        revisit.save(update_fields=["verified_at", "due_on"])
    if not revisits:
        return
    revisits.sort(key=lambda r: r.verified_at)
    # The newest whose touchpoint an upcoming Leeds session looks at stays due there.
    upcoming = ImmersionSession.objects.open().filter(
        team__name="Leeds Briggate", planned_start__gt=timezone.now()
    )
    kept = next(
        (r for r in reversed(revisits) if _first_suitable(upcoming, r.touchpoint)), revisits[-1]
    )
    older = [r for r in revisits if r is not kept]
    answered = sum(
        _answer(revisit, *answer) for revisit, answer in zip(older, cycle(ANSWERS), strict=False)
    )
    _due_at(kept, upcoming)
    out.write(f"Answered {answered} demo re-visits; {len(revisits) - answered} still due.")


def _due_at(revisit, upcoming) -> None:
    """One re-visit just verified, asked on the next Leeds session's capture page."""
    leeds = _first_suitable(upcoming, revisit.touchpoint)
    if leeds is None:
        return
    revisit.team = leeds.team
    revisit.persona = None
    revisit.verified_at = timezone.now() - dt.timedelta(days=2)
    revisit.due_on = timezone.localdate(leeds.planned_start)
    revisit.save(update_fields=["team", "persona", "verified_at", "due_on"])


def _answer(revisit, emotion, intensity, text) -> bool:
    completed = ImmersionSession.objects.filter(
        team=revisit.team,
        status=ImmersionSession.Status.COMPLETED,
        planned_start__gt=revisit.verified_at,
    )
    later = _first_suitable(completed, revisit.touchpoint)
    if later is None:
        return False
    observation = Observation.objects.create(
        session=later,
        author=later.lead,
        touchpoint=revisit.touchpoint,
        what_happened=text,
        emotion=emotion,
        intensity=intensity,
        kind=Observation.Kind.PAIN_POINT if is_negative(emotion) else Observation.Kind.DELIGHT,
    )
    RevisitPrompts().attach(observation, prompt_for(revisit))
    seen = max(later.started_at or later.planned_start, revisit.verified_at)
    Observation.objects.filter(pk=observation.pk).update(created_at=seen)
    ReVisit.objects.filter(pk=revisit.pk).update(answered_at=seen)
    return True


def _first_suitable(sessions, touchpoint):
    ordered = sessions.select_related("session_type").order_by("planned_start")
    return next((s for s in ordered if suits(s.session_type, touchpoint)), None)
