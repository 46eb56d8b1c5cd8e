"""The installable app: its manifest, its service worker, and the pages it keeps per user.

The service worker keeps pages in a cache named after the signed-in user's scope, an
opaque id every page carries in a meta tag. It serves a kept page only to the same scope,
and drops every other user's pages as soon as the network shows someone else (or nobody)
signed in, so one person's pages never reach another on a shared phone.
"""

import hashlib
import json
from datetime import datetime, time, timedelta
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.views.decorators.http import require_safe

from immersion.models import ImmersionSession, Role

THEME_COLOUR = "#0b4f6c"
BACKGROUND_COLOUR = "#ffffff"
# Sessions this many days ahead are kept on the phone, as Today lists them.
DAYS_AHEAD = 7
SERVICE_WORKER = "js/sw.js"
APP_SHELL = (
    "css/bootstrap-site.min.css",
    "css/site.css",
    "journal/journal.css",
    "favicon.svg",
    "icons/app-icon.svg",
    "icons/app-icon-192.png",
    "icons/app-icon-512.png",
    "js/i18n.js",
    "js/upload.js",
    "js/outbox.js",
    "js/offline.js",
    "js/menus.js",
    "js/capture.js",
    "js/outbox-page.js",
    "js/evidence.js",
)
# The pages worth keeping offline; anything else is always fetched from the network.
KEPT_PAGES = (
    r"^/$",
    r"^/today/$",
    r"^/sessions/\d+/$",
    r"^/journal/sessions/\d+/capture/$",
    r"^/journal/outbox/$",
)


def user_scope(user) -> str:
    """An id for the signed-in user that says nothing about them outside this site."""
    if not user.is_authenticated:
        return ""
    return salted_hmac("journal.offline.user_scope", str(user.pk)).hexdigest()[:20]


def _read_static(name: str) -> bytes:
    path = finders.find(name)
    if path is None:
        raise FileNotFoundError(name)
    with open(path, "rb") as handle:
        return handle.read()


def _shell_version() -> str:
    """Changes whenever the worker or any file it keeps changes, so phones pick it up."""
    digest = hashlib.sha256()
    for name in (SERVICE_WORKER, *APP_SHELL):
        digest.update(_read_static(name))
    for catalogue in sorted(_script_catalogues()):
        digest.update(catalogue.read_bytes())
    return digest.hexdigest()[:16]


def _script_catalogues():
    for folder in settings.LOCALE_PATHS:
        yield from Path(folder).glob("*/LC_MESSAGES/djangojs.mo")


# In development the files change under a running server; in production they do not.
shell_version = _shell_version if settings.DEBUG else cache(_shell_version)


@login_not_required
@require_safe
def service_worker(request):
    config = {
        "version": shell_version(),
        "shell": [staticfiles_storage.url(name) for name in APP_SHELL]
        + [reverse("javascript-catalog", args=[code]) for code, _name in settings.LANGUAGES],
        "keptPages": list(KEPT_PAGES),
        "scripts": [
            staticfiles_storage.url(name) for name in ("js/i18n.js", "js/upload.js", "js/outbox.js")
        ],
    }
    body = b"self.OFFLINE_CONFIG = " + json.dumps(config).encode() + b";\n"
    response = HttpResponse(
        body + _read_static(SERVICE_WORKER), content_type="text/javascript; charset=utf-8"
    )
    # The browser checks for a new worker on every visit; a stale one would keep old pages.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@login_not_required
@require_safe
def manifest(request):
    today = reverse("immersion:today")
    data = {
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_NAME[:12],
        "id": today,
        "start_url": today,
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {
                "src": staticfiles_storage.url("icons/app-icon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
            },
            *(
                {
                    "src": staticfiles_storage.url(f"icons/app-icon-{size}.png"),
                    "sizes": f"{size}x{size}",
                    "type": "image/png",
                }
                for size in (192, 512)
            ),
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


def sessions_to_keep(user):
    """The user's own sessions from today to a week ahead that can still be run or added to."""
    now = timezone.localtime()
    start_of_today = datetime.combine(now.date(), time.min, tzinfo=now.tzinfo)
    horizon = start_of_today + timedelta(days=DAYS_AHEAD + 1)
    return (
        ImmersionSession.objects.for_participant(user)
        .filter(
            planned_start__lt=horizon,
            planned_end__gte=start_of_today,
            status__in=[ImmersionSession.Status.PLANNED, ImmersionSession.Status.IN_PROGRESS],
        )
        .order_by("planned_start")
        .values_list("pk", flat=True)
    )


@require_safe
def offline_state(request):
    """What the phone needs before it sends its outbox: who is signed in, a CSRF token, and
    the pages to keep for that person."""
    pages = [reverse("home"), reverse("journal:outbox")]
    if Role.MANAGER in request.user.roles:
        # Today is the managers' page; anyone else would only keep its refusal.
        pages.insert(1, reverse("immersion:today"))
    for pk in sessions_to_keep(request.user):
        pages.append(reverse("immersion:session-detail", kwargs={"pk": pk}))
        pages.append(reverse("journal:capture", kwargs={"session_id": pk}))
    response = JsonResponse(
        {"scope": user_scope(request.user), "csrf": get_token(request), "pages": pages}
    )
    response["Cache-Control"] = "no-store"
    return response
