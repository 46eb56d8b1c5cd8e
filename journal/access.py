"""The one way journal views find what a user may see: anything else is a 404."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from immersion.models import ImmersionSession
from journal.models import Observation, Photo


def session_or_404(user, session_id):
    return get_object_or_404(
        ImmersionSession.objects.visible_to(user).select_related(
            "session_type", "team", "persona", "lead"
        ),
        pk=session_id,
    )


def participant_session_or_404(user, session_id):
    """A session the user leads or joins; 403 for one they may only read, 404 for the rest.

    Capturing is the hot path: a participant is found in one query, and the user's whole
    scope (roles, team subtree) is worked out only for everybody else.
    """
    session = (
        ImmersionSession.objects.for_participant(user)
        .select_related("session_type", "team", "persona", "lead")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        session_or_404(user, session_id)
        raise PermissionDenied("Only the session's participants add observations.")
    return session


def observation_or_404(user, pk) -> Observation:
    return get_object_or_404(Observation.objects.visible_to(user).with_cards(), pk=pk)


def photo_or_404(user, photo_id) -> Photo:
    """A photo of an observation the user may see. Evidence photos are served by their owners."""
    visible = Observation.objects.visible_to(user).values("pk")
    return get_object_or_404(Photo.objects.filter(observation__in=visible), pk=photo_id)
