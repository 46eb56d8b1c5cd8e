"""The one way journal views find what a user may see: anything else is a 404."""

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


def observation_or_404(user, pk) -> Observation:
    return get_object_or_404(Observation.objects.visible_to(user).with_cards(), pk=pk)


def photo_or_404(user, photo_id) -> Photo:
    """A photo of an observation the user may see. Evidence photos are served by their owners."""
    visible = Observation.objects.visible_to(user).values("pk")
    return get_object_or_404(Photo.objects.filter(observation__in=visible), pk=photo_id)
