"""The photos the public page shows with its fixes, and the ones a CX lead may choose from."""

from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse

from insights.models import PublicPhoto
from journal.models import Photo


def published_photos(action_ids) -> dict[int, list[dict]]:
    """Per fix, its published photos as plain values, before ones first; one query.

    The callers pass fixes already shown to the public; the file view checks that again
    for every photo it sends.
    """
    before_first = Case(
        When(side=PublicPhoto.Side.BEFORE, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    rows = (
        PublicPhoto.objects.filter(action_id__in=action_ids)
        .order_by("action_id", before_first, "published_at", "pk")
        .values_list("pk", "action_id", "side", "alt_text", "width", "height")
    )
    photos: dict[int, list[dict]] = {}
    for pk, action_id, side, alt_text, width, height in rows:
        photos.setdefault(action_id, []).append(
            {
                "url": reverse("insights:public-photo", args=[pk]),
                "alt": alt_text,
                # Worded now, in the page's language: the page's values are cached per language.
                "side": str(PublicPhoto.Side(side).label),
                "width": width,
                "height": height,
            }
        )
    return photos


def before_photos(action):
    """Photos of what the action addresses: what was seen before the fix."""
    return Photo.objects.filter(observation__actions=action).order_by("created_at", "pk")


def after_photos(action):
    """The evidence photos of the fix."""
    return action.evidence_photos.order_by("created_at", "pk")
