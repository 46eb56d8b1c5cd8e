"""Triage: the decision a CX lead takes on each observation.

Every observation ends in one of four outcomes: it leads to a new action, it is
linked to an action that already exists, it repeats another observation, or
nothing will be done, for a stated reason. Each decision locks the observation
so two CX leads triaging the same one at once cannot both win.
"""

from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext

from insights.models import Action, ActionStateError, Theme
from insights.themes import add_observation_themes, give_action_themes, set_observation_themes
from journal.models import Observation

State = Observation.TriageState


class TriageError(ActionStateError):
    """A triage decision that the observation's current state does not allow."""


def observations_in_scope(user):
    """Observations from sessions of the teams the user reaches."""
    if not user.is_authenticated or not user.roles:
        return Observation.objects.none()
    return Observation.objects.filter(session__team_id__in=user.scope_team_ids)


def triage_queue(user, untriaged_or=None):
    """Untriaged observations in the user's scope, oldest first, with what the page shows."""
    waiting = Q(triage_state=State.UNTRIAGED)
    if untriaged_or is not None:
        waiting |= untriaged_or
    return (
        observations_in_scope(user)
        .filter(waiting)
        .select_related(
            "session__session_type", "session__team", "session__lead", "author", "revisit_of"
        )
        .prefetch_related("photos")
        .order_by("created_at", "pk")
    )


def queue_summary(user) -> dict:
    """How many observations wait for a decision in the user's scope, and since when."""
    return (
        observations_in_scope(user)
        .filter(triage_state=State.UNTRIAGED)
        .aggregate(waiting=Count("pk"), oldest=Min("created_at"))
    )


def neighbours(ordered, pk: int) -> tuple[int | None, int | None]:
    """The observations before and after `pk` in an ordered queue of observations.

    One query of primary keys, so the cost stays the same whatever the position. An
    observation no longer in the queue has no previous one, and the first one next.
    """
    pks = list(ordered.values_list("pk", flat=True))
    if pk not in pks:
        return None, (pks[0] if pks else None)
    at = pks.index(pk)
    return (pks[at - 1] if at else None), (pks[at + 1] if at + 1 < len(pks) else None)


def next_after(ordered, pk: int) -> int | None:
    """What follows `pk` in an ordered queue; at its end, the queue starts again from the top."""
    pks = list(ordered.values_list("pk", flat=True))
    at = pks.index(pk) if pk in pks else -1
    rest = [other for other in pks[at + 1 :] + pks[: max(at, 0)] if other != pk]
    return rest[0] if rest else None


def queue_with(user, pk: int):
    """The queue with one observation kept in it, decided or not, to find what follows it."""
    return triage_queue(user, untriaged_or=Q(pk=pk))


def create_action(observation, *, by, themes=None, **fields) -> Action:
    """Triage into a new action that addresses this observation and carries its themes.

    `themes`, when given, replace the observation's themes; None leaves them as they are.
    """
    with transaction.atomic():
        locked = _lock(observation, allow=(State.UNTRIAGED, State.ACTIONED))
        action = Action.create(by=by, observations=[locked], **fields)
        _decide(locked, by, State.ACTIONED, note=f"New action: {action.title}", themes=themes)
        give_action_themes(action, locked.themes.all())
    _copy(locked, observation)
    return action


def link_to_action(observation, action, *, by, themes=None, adding=False) -> None:
    """Triage into an action that already exists; the action records the link."""
    with transaction.atomic():
        locked = _lock(observation, allow=(State.UNTRIAGED, State.ACTIONED))
        action.link(locked, by=by)
        note = f"Linked to action: {action.title}"
        _decide(locked, by, State.ACTIONED, note=note, themes=themes, adding=adding)
    _copy(locked, observation)


def mark_duplicate(observation, original, *, by, note: str = "", themes=None, adding=False) -> None:
    """The same thing was already observed; its triage stands for both."""
    if original.pk == observation.pk:
        raise TriageError(gettext("An observation cannot duplicate itself."))
    # Point at the first observation of a chain, so duplicates never form a loop.
    while original.duplicate_of_id is not None:
        if original.duplicate_of_id == observation.pk:
            raise TriageError(
                gettext("That observation is already marked as a duplicate of this one.")
            )
        original = original.duplicate_of
    with transaction.atomic():
        locked = _lock(observation, allow=(State.UNTRIAGED,))
        locked.duplicate_of = original
        _decide(
            locked,
            by,
            State.DUPLICATE,
            note=note,
            extra=["duplicate_of"],
            themes=themes,
            adding=adding,
        )
    _copy(locked, observation)


def decide_no_action(observation, *, by, reason: str, themes=None, adding=False) -> None:
    """Nothing will be done, and the reason is kept so nobody wonders why."""
    reason = (reason or "").strip()
    if not reason:
        raise TriageError(gettext("Give the reason no action will be taken."))
    with transaction.atomic():
        locked = _lock(observation, allow=(State.UNTRIAGED,))
        _decide(locked, by, State.NO_ACTION, note=reason, themes=themes, adding=adding)
    _copy(locked, observation)


def _lock(observation, allow) -> Observation:
    locked = Observation.objects.select_for_update().get(pk=observation.pk)
    if locked.triage_state not in allow:
        raise TriageError(
            "This observation was already triaged "
            f"({locked.get_triage_state_display().lower()}); reload to see the decision."
        )
    return locked


def _decide(observation, by, state, *, note: str, extra=(), themes=None, adding=False) -> None:
    if themes is not None:
        # Several observations decided at once keep their own themes and gain the chosen ones.
        (add_observation_themes if adding else set_observation_themes)(observation, themes)
    observation.triage_state = state
    observation.triaged_at = timezone.now()
    observation.triaged_by = by
    observation.triage_note = note
    observation.save(
        update_fields=["triage_state", "triaged_at", "triaged_by", "triage_note", *extra]
    )


def _copy(source, target) -> None:
    for field in ("triage_state", "triaged_at", "triaged_by_id", "triage_note", "duplicate_of_id"):
        setattr(target, field, getattr(source, field))


# --- several observations at once ---------------------------------------------------
# Each runs the single decision on every observation inside one transaction: every
# observation gets its own decision record (and the action its own link event), and
# one refusal undoes them all.


def create_action_for_all(observations, *, by, themes=None, **fields) -> Action:
    """One new action addressing all the observations, carrying all their themes."""
    observations = list(observations)
    with transaction.atomic():
        locked = [_lock(o, allow=(State.UNTRIAGED, State.ACTIONED)) for o in observations]
        action = Action.create(by=by, observations=locked, **fields)
        for observation in locked:
            note = f"New action: {action.title}"
            _decide(observation, by, State.ACTIONED, note=note, themes=themes, adding=True)
        give_action_themes(action, Theme.objects.filter(observations__in=locked).distinct())
    for source, target in zip(locked, observations, strict=True):
        _copy(source, target)
    return action


def link_all(observations, action, *, by, themes=None) -> None:
    with transaction.atomic():
        for observation in observations:
            link_to_action(observation, action, by=by, themes=themes, adding=True)


def mark_all_duplicates(observations, original, *, by, note: str = "", themes=None) -> None:
    with transaction.atomic():
        for observation in observations:
            mark_duplicate(observation, original, by=by, note=note, themes=themes, adding=True)


def decide_no_action_for_all(observations, *, by, reason: str, themes=None) -> None:
    with transaction.atomic():
        for observation in observations:
            decide_no_action(observation, by=by, reason=reason, themes=themes, adding=True)
