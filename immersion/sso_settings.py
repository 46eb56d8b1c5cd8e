"""Single sign-on's settings, read from the environment (immersion/sso.py does the work).

Kept apart from it because settings.py reads them before any model can be imported.
"""

from django.core.exceptions import ImproperlyConfigured

from immersion.env import env_bool, env_list, env_str

# The values of immersion.models.Role, which cannot be imported while settings load.
ROLE_VALUES = ("manager", "cx_lead", "executive", "auditor")


def settings_from_environment() -> dict:
    """The SSO settings for settings.py; empty when SSO_ISSUER is unset (SSO off)."""
    issuer = env_str("SSO_ISSUER").rstrip("/")
    password_signin = env_bool("PASSWORD_SIGNIN", True)
    if not issuer:
        if not password_signin:
            raise ImproperlyConfigured(
                "PASSWORD_SIGNIN=false needs SSO_ISSUER: nobody could sign in."
            )
        return {"SSO_ENABLED": False, "PASSWORD_SIGNIN": True}
    missing = [name for name in ("SSO_CLIENT_ID", "SSO_CLIENT_SECRET") if not env_str(name)]
    if missing:
        raise ImproperlyConfigured(f"SSO_ISSUER is set, so {' and '.join(missing)} must be too.")
    role_map = {}
    for pair in env_list("SSO_ROLE_MAP", []):
        value, _sep, role = pair.rpartition("=")
        if not value or role not in ROLE_VALUES:
            raise ImproperlyConfigured(
                f"SSO_ROLE_MAP entries are claim-value=role with role one of "
                f"{', '.join(ROLE_VALUES)}; {pair!r} is not."
            )
        role_map[value] = role
    return {
        "SSO_ENABLED": True,
        "PASSWORD_SIGNIN": password_signin,
        "SSO_ISSUER": issuer,
        "SSO_PROVIDER_NAME": env_str("SSO_PROVIDER_NAME", "your organisation"),
        "SSO_ROLE_CLAIM": env_str("SSO_ROLE_CLAIM", "roles"),
        "SSO_ROLE_MAP": role_map,
        "SSO_TEAM_CLAIM": env_str("SSO_TEAM_CLAIM", "teams"),
        "OIDC_RP_CLIENT_ID": env_str("SSO_CLIENT_ID"),
        "OIDC_RP_CLIENT_SECRET": env_str("SSO_CLIENT_SECRET"),
        "OIDC_RP_SCOPES": env_str("SSO_SCOPES", "openid email profile"),
        "OIDC_RP_SIGN_ALGO": env_str("SSO_SIGN_ALGORITHM", "RS256"),
        "OIDC_TIMEOUT": 10,
        # Kept in the session for the provider's sign-out (id_token_hint).
        "OIDC_STORE_ID_TOKEN": True,
        "OIDC_CALLBACK_CLASS": "immersion.sso.Callback",
        "OIDC_AUTHENTICATE_CLASS": "immersion.sso.Authenticate",
    }
