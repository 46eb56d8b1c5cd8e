"""Django REST framework's and drf-spectacular's settings, kept beside the API they
describe; settings.py reads the environment and passes what they need."""


def rest_framework(token_rate: str) -> dict:
    # Personal access tokens for scripts, the session (with CSRF) for the browser. JSON
    # only: the browsable renderer's pages carry inline script the CSP refuses.
    return {
        "DEFAULT_AUTHENTICATION_CLASSES": [
            "immersion.api_auth.TokenAuthentication",
            "rest_framework.authentication.SessionAuthentication",
        ],
        "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        "DEFAULT_PARSER_CLASSES": [
            "rest_framework.parsers.JSONParser",
            "rest_framework.parsers.MultiPartParser",
        ],
        "DEFAULT_PAGINATION_CLASS": "immersion.api_base.Cursor",
        "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
        "DEFAULT_THROTTLE_CLASSES": ["immersion.api_auth.PerTokenThrottle"],
        "DEFAULT_THROTTLE_RATES": {"token": token_rate},
        "DEFAULT_SCHEMA_CLASS": "immersion.api_schema.Schema",
        "EXCEPTION_HANDLER": "immersion.api_base.exception_handler",
        "UNAUTHENTICATED_USER": None,
    }


def schema(site_name: str) -> dict:
    return {
        "TITLE": f"{site_name} API",
        "DESCRIPTION": "Teams, sessions, observations and actions, as the pages show them.",
        "VERSION": "1",
        "SERVE_INCLUDE_SCHEMA": False,
        "SCHEMA_PATH_PREFIX": r"/api/v1",
        # 3.1 describes outgoing webhooks beside the endpoints.
        "OAS_VERSION": "3.1.0",
        "WEBHOOKS": [
            f"insights.webhook_schema.{shape}_WEBHOOK"
            for shape in ("ACTION", "OBSERVATION", "SESSION", "WAITING", "PING")
        ],
        "SWAGGER_UI_DIST": "SIDECAR",
        "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
        "REDOC_DIST": "SIDECAR",
        # Several models have a `kind` or a `status`: each keeps its own name in the schema.
        "ENUM_NAME_OVERRIDES": {
            "TeamKindEnum": "immersion.models.Team.Kind",
            "ObservationKindEnum": "journal.models.Observation.Kind",
            "ActionEventKindEnum": "insights.models.ActionEvent.Kind",
            "SessionStatusEnum": "immersion.models.ImmersionSession.Status",
            "ActionStatusEnum": "insights.models.Action.Status",
        },
    }
