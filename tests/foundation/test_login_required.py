"""Every URL the site has, visited anonymously, sends the visitor to sign in.

The walk reads the resolver, so URLs added later by any app are covered without
touching this file. Pages that must work signed out are allowed by URL name.
"""

import re
import uuid
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

pytestmark = pytest.mark.django_db

PUBLIC_URL_NAMES = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "health",
    "admin:login",
    # The admin's sign-in in front of Django's, and single sign-on's start and return.
    "admin-sign-in",
    "oidc_authentication_init",
    "oidc_authentication_callback",
    "insights:public",
    # Customers tell us we failed, and look their report up, without an account.
    "insights:tell-us",
    "insights:tell-us-team",
    "insights:report-status",
    "insights:public-promise",
    # Each place's page, its poster (scanned in the store) and the feeds of new fixes.
    "insights:public-place",
    "insights:public-poster",
    "insights:public-feed",
    "insights:public-place-feed",
    # A signed audit's statement is published beside the figures it checked.
    "insights:public-audit",
    # A published fix's photo, faces blurred: the public page's images (404 unless shown).
    "insights:public-photo",
    # Calendar apps cannot sign in: the feed is authorised by the secret token in its URL.
    "immersion:calendar-feed",
    # The installable app's files: the browser fetches them without the user's session.
    "service-worker",
    "manifest",
    # The API's description holds nothing private, and client generators fetch it unsigned.
    "api-schema",
    # The public pages' language switch, and the phone app's translated strings.
    "set_language",
    "javascript-catalog",
}
# The API answers 401 itself, with the scheme to use, rather than redirecting a script.
API_PREFIX = "/api/v1/"
# Public pages that answer without anything secret in their address.
OPEN_PAGES = {"login", "password_reset", "password_reset_done", "password_reset_complete", "health"}
SIGN_IN_PATHS = {"/accounts/login/", "/admin/login/"}

DUMMY_BY_CONVERTER = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "path": "x/y",
    "uuid": str(uuid.UUID(int=1)),
}
# Values tried for regex groups, in order; the first that resolves back to the pattern wins.
REGEX_GROUP_GUESSES = ("1", "x", "MQ", "set-password")


def _route_candidates(pattern: RoutePattern) -> list[str]:
    def fill(match):
        converter = match.group(1) or "str"
        return DUMMY_BY_CONVERTER.get(converter, "1")

    return [re.sub(r"<(?:(\w+):)?\w+>", fill, str(pattern._route))]


def _regex_candidates(pattern: RegexPattern) -> list[str]:
    regex = pattern.regex.pattern.lstrip("^").rstrip("$").replace("\\Z", "")
    groups = re.findall(r"\(\?P<(\w+)>([^)]*)\)", regex)
    candidates = [regex]
    for name, body in groups:
        choices = [alt for alt in body.split("|") if re.fullmatch(r"[\w-]+", alt)]
        choices += REGEX_GROUP_GUESSES
        candidates = [
            c.replace(f"(?P<{name}>{body})", choice, 1) for c in candidates for choice in choices
        ]
    return [c.replace("\\", "") for c in candidates]


def _candidates(pattern) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return _route_candidates(pattern)
    return _regex_candidates(pattern)


def walk(patterns=None, prefixes=("/",), namespace=""):
    """Yield (path, url name, view) for every endpoint, with dummy values in the converters."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        paths = [prefix + c for prefix in prefixes for c in _candidates(entry.pattern)]
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, paths, inner)
        else:
            assert isinstance(entry, URLPattern)
            name = f"{namespace}{entry.name}" if entry.name else None
            yield paths, name, entry.callback


def endpoints():
    found = []
    for paths, name, callback in walk():
        if name in PUBLIC_URL_NAMES:
            continue
        path = next((p for p in paths if _resolves_to(p, callback)), None)
        if path and path.startswith(API_PREFIX):
            continue
        found.append(pytest.param(path, name, callback, id=name or (path or paths[0])))
    return found


def _resolves_to(path: str, callback) -> bool:
    try:
        return resolve(path).func == callback
    except Exception:  # a guess that does not resolve, or one another pattern catches
        return False


def test_the_walk_reaches_the_pages_every_app_must_have():
    names = {name for _, name, _ in walk()}

    assert {"home", "health", "login", "logout", "password_change", "admin:index"} <= names


@pytest.mark.parametrize(("path", "name", "callback"), endpoints())
def test_an_anonymous_visitor_is_sent_to_sign_in(client, path, name, callback):
    assert path is not None, f"no path built for {name or callback} resolves back to it"

    for method in (client.get, client.post):
        response = method(path)

        assert response.status_code == 302, f"{method.__name__.upper()} {path}"
        assert urlsplit(response["Location"]).path in SIGN_IN_PATHS


def api_endpoints():
    return [
        p
        for paths, _, cb in walk()
        for p in paths[:1]
        if p.startswith(API_PREFIX)
        if _resolves_to(p, cb)
    ]


def test_the_walk_finds_the_api():
    assert "/api/v1/actions/" in api_endpoints()


@pytest.mark.parametrize("path", api_endpoints())
def test_an_anonymous_api_call_is_refused_with_401(client, path):
    for method in (client.get, client.post):
        response = method(path)

        assert response.status_code == 401, f"{method.__name__.upper()} {path}"


@pytest.mark.parametrize("name", sorted(OPEN_PAGES))
def test_an_open_page_answers_an_anonymous_visitor(client, name):
    path = next(p for paths, n, cb in walk() if n == name for p in paths if _resolves_to(p, cb))

    response = client.get(path)

    assert response.status_code == 200
