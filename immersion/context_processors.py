from django.conf import settings

from immersion import navigation


def site(request):
    user = getattr(request, "user", None)
    if user is None:
        entries, account = [], []
    else:
        entries = navigation.items_for(user, request.path)
        account = navigation.items_for(user, request.path, navigation.ACCOUNT)
    bar, more = navigation.split_for_phone(entries)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "ORGANISATION_NAME": settings.ORGANISATION_NAME,
        "ORGANISATION_LOGO": settings.ORGANISATION_LOGO,
        "nav_items": entries,
        "nav_account_items": account,
        "nav_phone_bar": bar,
        "nav_phone_more": more,
        "nav_more_current": any(entry["current"] for entry in more),
    }
