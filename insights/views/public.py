"""The public "you said, we did" pages, for the organisation and for each place, the
printable poster that leads a customer in a store to them, and their Atom feeds."""

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from immersion.models import Team
from immersion.replica import reads_from_replica
from insights.public import public_context, published_fixes

PUBLIC_CACHE_SECONDS = 60
FEED_ITEMS = 30


VERSION_KEY = "insights:public-pages-version"


def _cache_key(team) -> str:
    # One key per page and language (the figures are plain values but their words are
    # not), under a version that forget_public_pages moves on: every place's page in every
    # language is dropped at once without listing them.
    version = cache.get_or_set(VERSION_KEY, 1, None)
    return f"insights:public-page:{version}:{team.pk if team else 'all'}:{get_language()}"


def forget_public_pages() -> None:
    """After a change the public sees, its pages are computed afresh for the next visitor."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def _cached_page(request, template, context):
    response = render(request, template, {**context, "public_page": True})
    # Shared caches may keep the anonymous page; a signed-in page shows the account menu.
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, max_age=PUBLIC_CACHE_SECONDS)
    else:
        patch_cache_control(response, public=True, max_age=PUBLIC_CACHE_SECONDS)
    return response


@login_not_required
@require_safe
@reads_from_replica
def public(request):
    context = cache.get_or_set(_cache_key(None), public_context, PUBLIC_CACHE_SECONDS)
    return _cached_page(request, "insights/public/you_said_we_did.html", context)


@login_not_required
@require_safe
@reads_from_replica
def place(request, team_id):
    # Any place can have its page and poster, so a store can put one up before its
    # first published fix; the organisation's page lists only the places with fixes.
    team = get_object_or_404(Team, pk=team_id)
    context = cache.get_or_set(
        _cache_key(team), lambda: public_context(team=team), PUBLIC_CACHE_SECONDS
    )
    return _cached_page(request, "insights/public/you_said_we_did.html", context)


def _qr(url: str, title: str) -> str:
    # segno writes the code as SVG paths: sharp at any print size, with no image request
    # and nothing for the Content-Security-Policy to allow.
    svg = segno.make(url, error="m").svg_inline(
        scale=8, border=2, title=title, svgclass="poster-qr", lineclass=None, omitsize=True
    )
    # role="img" with its <title> names the code for screen readers.
    svg = svg.replace("<svg ", '<svg role="img" ', 1)
    return mark_safe(svg)  # noqa: S308 - made by segno from our own address, not user input


@login_not_required
@require_safe
def poster(request, team_id):
    team = get_object_or_404(Team, pk=team_id)
    page_url = settings.SITE_URL + reverse("insights:public-place", args=[team.pk])
    report_url = settings.SITE_URL + reverse("insights:tell-us-team", args=[team.pk])
    context = {
        "team": team,
        "page_url": page_url,
        "report_url": report_url,
        "page_qr": _qr(page_url, _("%(place)s: you said, we did") % {"place": team.name}),
        "report_qr": _qr(report_url, _("Tell %(place)s we failed") % {"place": team.name}),
        "public_page": True,
    }
    response = render(request, "insights/public/poster.html", context)
    patch_cache_control(response, public=True, max_age=3600)
    return response


class FixesFeed(Feed):
    """Newly published fixes, newest first: the organisation's, or one place's."""

    feed_type = Atom1Feed

    def get_object(self, request, team_id=None):
        return get_object_or_404(Team, pk=team_id) if team_id is not None else None

    def title(self, team):
        place = f"{settings.ORGANISATION_NAME}, {team.name}" if team else settings.ORGANISATION_NAME
        return f"{place}: you said, we did"

    def link(self, team):
        if team is None:
            return reverse("insights:public")
        return reverse("insights:public-place", args=[team.pk])

    def subtitle(self, team):
        return "What customers told us, and what we changed, once the change was checked."

    def author_name(self):
        return settings.ORGANISATION_NAME

    def items(self, team):
        # Only the customer-facing wording leaves the building, as on the page.
        return (
            published_fixes(team)
            .select_related("team")
            .only("pk", "you_said", "we_did", "verified_at", "team__name")
            .order_by("-verified_at", "-pk")[:FEED_ITEMS]
        )

    def item_title(self, fix):
        return f"{fix.team.name}: {Truncator(fix.you_said).words(12)}"

    def item_description(self, fix):
        return format_html(
            "<p><strong>You said:</strong> {}</p><p><strong>We did:</strong> {}</p>",
            fix.you_said,
            fix.we_did,
        )

    def item_link(self, fix):
        return reverse("insights:public-place", args=[fix.team_id]) + f"#fix-{fix.pk}"

    def item_pubdate(self, fix):
        return fix.verified_at

    def item_updateddate(self, fix):
        return fix.verified_at


fixes_feed = login_not_required(FixesFeed())
