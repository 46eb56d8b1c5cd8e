"""The one way journal views find what a user may see: anything else is a 404."""

from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
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

    Capturing is the hot path, and the session's lead the usual author: the session is
    read by its key, the lead recognised in Python, and only for anyone else are the
    companions read, once, so every later participant check asks nothing more. The
    user's whole scope (roles, team subtree) is worked out only for those who do not
    take part.
    """
    try:
        session = ImmersionSession.objects.select_related(
            "session_type", "team", "persona", "lead"
        ).get(pk=session_id)
    except ImmersionSession.DoesNotExist:
        session = None
    if session is not None and session.lead_id != user.pk:
        prefetch_related_objects([session], "companions")
    if session is None or not session.is_participant(user):
        session_or_404(user, session_id)
        raise PermissionDenied("Only the session's participants add observations.")
    return session


def observation_or_404(user, pk) -> Observation:
    return get_object_or_404(Observation.objects.visible_to(user).with_cards(), pk=pk)


def photo_or_404(user, photo_id) -> Photo:
    """A photo of an observation the user may see. Evidence photos are served by their owners."""
    visible = Observation.objects.visible_to(user).values("pk")
    return get_object_or_404(Photo.objects.filter(observation__in=visible), pk=photo_id)
