"""Template tags other apps' pages use to show the journal without importing it in Python."""

from django import template

from journal.models import Observation, may_add_observation

register = template.Library()


@register.inclusion_tag("journal/_session_observations.html")
def session_observations(session, user):
    """A session's observations with thumbnails and a photo gallery, as the user may see them."""
    observations = list(
        Observation.objects.visible_to(user)
        .filter(session=session)
        .select_related("author")
        .prefetch_related("photos")
    )
    photos = [photo for observation in observations for photo in observation.photos.all()]
    return {
        "session": session,
        "observations": observations,
        "photos": photos,
        "user": user,
        "can_add": may_add_observation(session, user),
    }


FEELING_TONES = {
    "delighted": "good",
    "happy": "good",
    "reassured": "good",
    "indifferent": "neutral",
}


@register.filter
def feeling_tone(emotion: str) -> str:
    """good, neutral or bad: the colour cue beside each feeling."""
    return FEELING_TONES.get(emotion, "bad")
