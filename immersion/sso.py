"""Single sign-on with the organisation's OpenID Connect provider, by mozilla-django-oidc.

The provider is named by its issuer alone: its endpoints come from its discovery document,
read on the first sign-in and kept for an hour, so a provider that moves an endpoint needs
no new setting. Who may do what comes from the provider's claims (README, "Single sign-on"),
applied at every sign-in, so a role or team removed there is removed here at the next one.
"""

import logging
import re

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from mozilla_django_oidc import auth as oidc_auth
from mozilla_django_oidc import views as oidc_views
from mozilla_django_oidc.utils import import_from_settings

from immersion.models import Role, Team, User

log = logging.getLogger(__name__)

DISCOVERY_SECONDS = 3600
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
ROLES = {role.value: role for role in Role}


class ProviderUnavailable(Exception):
    pass


def discovery() -> dict:
    """The provider's discovery document, checked to be the issuer's own."""
    issuer = settings.SSO_ISSUER
    key = f"sso-discovery:{issuer}"
    document = cache.get(key)
    if document is None:
        try:
            answer = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10)
            answer.raise_for_status()
            document = answer.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProviderUnavailable(str(exc)) from exc
        if document.get("issuer", "").rstrip("/") != issuer:
            raise ProviderUnavailable(
                f"the discovery document names issuer {document.get('issuer')!r}"
            )
        cache.set(key, document, DISCOVERY_SECONDS)
    return document


def sso_setting(attr, *args):
    if attr in ENDPOINTS:
        return discovery()[ENDPOINTS[attr]]
    return import_from_settings(attr, *args)


def unique_username(email: str) -> str:
    base = re.sub(r"[^\w.@+-]", "", email.split("@")[0])[:140] or "user"
    name, number = base, 1
    while User.objects.filter(username__iexact=name).exists():
        number += 1
        name = f"{base}{number}"
    return name


def as_list(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return []


def roles_from(claims: dict) -> set[Role]:
    given = as_list(claims.get(settings.SSO_ROLE_CLAIM))
    return {
        ROLES[settings.SSO_ROLE_MAP[value]] for value in given if value in settings.SSO_ROLE_MAP
    }


def teams_from(claims: dict) -> list[Team]:
    """Teams named by the claim; a name no team or several teams have gives none."""
    teams = []
    for name in as_list(claims.get(settings.SSO_TEAM_CLAIM)):
        matches = list(Team.objects.filter(name=name)[:2])
        if len(matches) == 1:
            teams.append(matches[0])
        else:
            log.warning("SSO team claim %r matches %d teams; ignored", name, len(matches))
    return teams


@transaction.atomic
def apply_claims(user: User, claims: dict) -> User:
    """The user's name, role groups and teams become what the provider's claims say."""
    user.first_name = claims.get("given_name", user.first_name)[:150]
    user.last_name = claims.get("family_name", user.last_name)[:150]
    user.save(update_fields=["first_name", "last_name"])
    role_groups = Group.objects.filter(name__in=[role.label for role in Role])
    user.groups.remove(*role_groups)
    user.groups.add(*Group.objects.filter(name__in=[role.label for role in roles_from(claims)]))
    user.teams.set(teams_from(claims))
    return user


class Backend(oidc_auth.OIDCAuthenticationBackend):
    """Users are matched by verified e-mail, without regard to case, or made on first sign-in.

    Django makes every backend for every sign-in, passwords included, so the provider's
    endpoints are read only when a callback is being answered, never in ``__init__``.
    """

    get_settings = staticmethod(sso_setting)

    def __init__(self, *args, **kwargs):
        self.UserModel = User

    def __getattr__(self, name):
        if name.startswith("OIDC_"):
            return self.get_settings(name, None)
        raise AttributeError(name)

    def verify_claims(self, claims):
        return bool(claims.get("email")) and claims.get("email_verified", True) is not False

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(email__iexact=claims["email"], is_active=True)

    def create_user(self, claims):
        user = self.UserModel.objects.create_user(
            username=unique_username(claims["email"]), email=claims["email"]
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        return apply_claims(user, claims)

    def update_user(self, user, claims):
        return apply_claims(user, claims)

    def authenticate(self, request, **kwargs):
        # Only the provider's callback signs in through here; a password never does.
        if not settings.SSO_ENABLED or request is None or "code" not in request.GET:
            return None
        return super().authenticate(request, **kwargs)


def unavailable(request) -> HttpResponseRedirect:
    messages.error(request, _("The sign-in service does not answer. Try again in a moment."))
    return HttpResponseRedirect(reverse("login"))


class Authenticate(oidc_views.OIDCAuthenticationRequestView):
    get_settings = staticmethod(sso_setting)

    def __init__(self, *args, **kwargs):
        # The endpoint is read when a sign-in starts, not when the view is made.
        super(oidc_views.OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        if not settings.SSO_ENABLED:
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = discovery()["authorization_endpoint"]
        except ProviderUnavailable as exc:
            log.warning("SSO provider unavailable: %s", exc)
            return unavailable(request)
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        return super().get(request)


class Callback(oidc_views.OIDCAuthenticationCallbackView):
    get_settings = staticmethod(sso_setting)

    def get(self, request):
        if not settings.SSO_ENABLED:
            raise Http404
        try:
            return super().get(request)
        except ProviderUnavailable as exc:
            log.warning("SSO provider unavailable: %s", exc)
            return unavailable(request)
        except requests.RequestException as exc:
            log.warning("SSO token exchange failed: %s", exc)
            return unavailable(request)

    def login_failure(self):
        messages.error(self.request, _("Single sign-on did not sign you in. Try again."))
        return HttpResponseRedirect(reverse("login"))


def provider_sign_out_url(request, id_token: str | None) -> str | None:
    """Where the browser goes to end its session at the provider too, when it offers that."""
    if not settings.SSO_ENABLED or not id_token:
        return None
    try:
        endpoint = discovery().get("end_session_endpoint")
    except ProviderUnavailable:
        return None
    if not endpoint:
        return None
    back = request.build_absolute_uri(reverse("login"))
    return f"{endpoint}?{urlencode({'id_token_hint': id_token, 'post_logout_redirect_uri': back})}"
