"""How the API knows who is calling, and how often they may."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, throttling
from rest_framework.settings import api_settings

from immersion.models import ApiToken


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer imt_...` with a personal access token."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Give the token after 'Bearer', with no spaces.")
        token = ApiToken.find(header[1])
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("This token is unknown, revoked or expired.")
        token.touch()
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class PerTokenThrottle(throttling.SimpleRateThrottle):
    """One budget per token; a browser session shares its user's budget."""

    scope = "token"

    def get_rate(self):
        # DRF copies the rates onto the class at import; reading them per request lets a
        # changed REST_FRAMEWORK setting take effect without a restart.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class TokenScheme(OpenApiAuthenticationExtension):
    """Describes the token in the schema, so the docs page offers to send one."""

    target_class = TokenAuthentication
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "imt_<lookup>_<secret>"}
