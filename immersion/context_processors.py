from django.conf import settings

from immersion import navigation


def site(request):
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "ORGANISATION_NAME": settings.ORGANISATION_NAME,
        "nav_items": navigation.items_for(user) if user is not None else [],
    }
