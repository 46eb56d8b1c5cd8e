"""Settings for Immersion tracker.

Every deployment value comes from the environment. The defaults run the embedded
stack (SQLite, eager Celery, local-memory cache, console e-mail) when DEBUG is on;
with DEBUG off the site refuses to start without a secret key and allowed hosts.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from immersion import api_settings, beat, sso_settings
from immersion.env import (
    env_bool,
    env_choice,
    env_image_file,
    env_int,
    env_list,
    env_origins,
    env_site_url,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-key-for-local-debug-only-never-deploy-this-value"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
if "*" in ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's hosts, not '*'.")
for host in ALLOWED_HOSTS:
    if "/" in host:
        raise ImproperlyConfigured(
            f"ALLOWED_HOSTS takes host names (tracker.example.com), not addresses: {host!r}."
        )
CSRF_TRUSTED_ORIGINS = env_origins("CSRF_TRUSTED_ORIGINS")

SITE_NAME = env_str("SITE_NAME", "Immersion tracker")
ORGANISATION_NAME = env_str("ORGANISATION_NAME", "Our company")
# The organisation's logo on its public pages and posters: a file under static/.
ORGANISATION_LOGO = env_image_file("ORGANISATION_LOGO", BASE_DIR / "static")
# The public "tell us we failed" form: posts per address and reports per team in each
# window, and how long a person takes at least (a quicker post is a script) and at most.
# The address limit counts every post, mistakes included, and customers in a store may
# share its guest wifi: it leaves room for both.
CUSTOMER_REPORT_WINDOW_SECONDS = env_int("CUSTOMER_REPORT_WINDOW_SECONDS", 3600, minimum=1)
CUSTOMER_REPORT_ADDRESS_LIMIT = env_int("CUSTOMER_REPORT_ADDRESS_LIMIT", 20, minimum=1)
CUSTOMER_REPORT_TEAM_LIMIT = env_int("CUSTOMER_REPORT_TEAM_LIMIT", 60, minimum=1)
CUSTOMER_REPORT_MIN_SECONDS = env_int("CUSTOMER_REPORT_MIN_SECONDS", 4)
CUSTOMER_REPORT_FORM_MAX_AGE_SECONDS = env_int(
    "CUSTOMER_REPORT_FORM_MAX_AGE_SECONDS", 4 * 3600, minimum=60
)
# The address people reach the site at, for links in e-mails and calendar feeds.
SITE_URL = env_site_url("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "immersion",
    "journal",
    "insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost after security, so it compresses what every other middleware returns.
    "immersion.compression.TextGZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "immersion.languages.UserLanguageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "insights.audit_log.AuditorAccessMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "immersion.urls"
WSGI_APPLICATION = "immersion.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "immersion.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env_url(
        "DATABASE_URL",
        f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        environ.Env.db_url_config,
        "ENGINE",
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 0)
# A kept connection is checked before use, so a database restart costs no failed request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = DATABASES["default"]["CONN_MAX_AGE"] > 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the embedded run's worker threads and the site
    # write to one file without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# An optional read replica for the dashboard, the exports and the public page
# (immersion/replica.py); tests that run with one read the primary through it.
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **DATABASES["default"],
        **env_url("DATABASE_REPLICA_URL", "", environ.Env.db_url_config, "ENGINE"),
        "TEST": {"MIRROR": "default"},
    }
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        # A replica that does not answer is given up quickly: the primary serves instead.
        DATABASES["replica"]["OPTIONS"] = {
            **DATABASES["replica"].get("OPTIONS", {}),
            "connect_timeout": 2,
        }
DATABASE_ROUTERS = ["immersion.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": env_url("CACHE_URL", "locmemcache://", environ.Env.cache_url_config, "BACKEND")
}
# django-environ names django-redis for redis:// and rediscache:// once it is installed,
# and Django's own Redis backend otherwise; both mean the same server here.
CACHE_IS_REDIS = CACHES["default"]["BACKEND"] in {
    "django_redis.cache.RedisCache",
    "django.core.cache.backends.redis.RedisCache",
}
if CACHE_IS_REDIS:
    # django-redis, because a cache that is down must slow pages, never break them: its
    # errors are logged and read as misses. The short timeouts make a dead or hung
    # Redis cost a fraction of a second per request; ?socket_timeout=... in
    # CACHE_URL overrides them.
    CACHES["default"]["BACKEND"] = "django_redis.cache.RedisCache"
    CACHES["default"]["OPTIONS"] = {
        "IGNORE_EXCEPTIONS": True,
        "SOCKET_CONNECT_TIMEOUT": 0.1,
        "SOCKET_TIMEOUT": 0.1,
        **CACHES["default"].get("OPTIONS", {}),
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Sessions live in the database. A copy in the cache saves a query per request, but
# only in a cache every process shares and whose failures are misses: Redis, or the
# single process of a development server. In a per-process cache behind several
# gunicorn workers, a signed-out session would live on in the other workers.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHE_IS_REDIS or DEBUG
    else "django.contrib.sessions.backends.db"
)
# A working day by default, so a phone left signed in on the shop floor does not stay
# so for weeks; the age counts from sign-in.
SESSION_COOKIE_AGE = env_int("SESSION_AGE_HOURS", 12, minimum=1) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", False)
# How often each Celery worker writes its heartbeat for /health/ to report.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 30, minimum=1)

AUTH_USER_MODEL = "immersion.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in throttling (django-axes). Failures are counted for a username at an address and,
# with a higher limit, for the address alone: a shop's shared wifi is not locked by one
# person's typos, yet one place cannot work through many accounts. The counts live in the
# database, so every worker process sees them.
INSTALLED_APPS.append("axes")
# Last, so the locked-out page still passes through the security and CSP middleware.
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AUTHENTICATION_BACKENDS = [
    # First: a locked-out sign-in is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # The organisation's OpenID Connect provider, when SSO_ISSUER names one (README).
    "immersion.sso.Backend",
]
globals().update(sso_settings.settings_from_environment())
AXES_ENABLED = env_bool("SIGNIN_THROTTLING", True)
# Quiet start-up: the deploy check and management commands print nothing extra.
AXES_VERBOSE = False
AXES_HANDLER = "immersion.signin_throttling.PairThenAddressHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = env_int("SIGNIN_FAILURE_LIMIT", 5, minimum=1)
SIGNIN_ADDRESS_FAILURE_LIMIT = env_int("SIGNIN_ADDRESS_FAILURE_LIMIT", 30, minimum=1)
if SIGNIN_ADDRESS_FAILURE_LIMIT < AXES_FAILURE_LIMIT:
    raise ImproperlyConfigured(
        "SIGNIN_ADDRESS_FAILURE_LIMIT counts everyone at one address, so it must be at "
        f"least SIGNIN_FAILURE_LIMIT ({AXES_FAILURE_LIMIT}), not {SIGNIN_ADDRESS_FAILURE_LIMIT}."
    )
SIGNIN_COOLOFF_MINUTES = env_int("SIGNIN_COOLOFF_MINUTES", 15, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=SIGNIN_COOLOFF_MINUTES)
# Tries while locked out do not push the end of the lock back, so the page's wait is true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "immersion.signin_throttling.lockout_response"
# Behind reverse proxies the address is the one the outermost of them saw, read from the
# right of X-Forwarded-For (entries further left are the client's own, so never trusted).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    # ipware counts the proxies listed in the header, not the last one, which only
    # REMOTE_ADDR shows; not strict, so a client-sent X-Forwarded-For is simply outvoted.
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
try:
    import zoneinfo

    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(f"TIME_ZONE {TIME_ZONE!r} is not a known time zone.") from None
USE_I18N = True
LANGUAGES = [("en-gb", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Photos are private: MEDIA_URL is never routed, files leave only through views
# that check the viewer may see them.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = None
MEDIA_STORAGE_BACKEND = env_str(
    "MEDIA_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
)
STORAGES = {
    "default": {"BACKEND": MEDIA_STORAGE_BACKEND},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
if MEDIA_STORAGE_BACKEND == "django.core.files.storage.FileSystemStorage":
    STORAGES["default"]["OPTIONS"] = {"location": MEDIA_ROOT, "base_url": None}
# django-storages reads these when MEDIA_STORAGE_BACKEND is storages.backends.s3.S3Storage.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME") or None
AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME") or None
AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL") or None
AWS_DEFAULT_ACL = None
AWS_QUERYSTRING_AUTH = True
AWS_QUERYSTRING_EXPIRE = 300
# Signature version 4: the one every region and S3-compatible store accepts.
AWS_S3_SIGNATURE_VERSION = "s3v4"
# Where the photo views hand serving to the web server, e.g. "/protected-media/"
# for nginx's X-Accel-Redirect; empty means Django streams the file itself.
MEDIA_ACCEL_REDIRECT_PREFIX = env_str("MEDIA_ACCEL_REDIRECT_PREFIX")

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_CONFIG = env_url("EMAIL_URL", "consolemail://", environ.Env.email_url_config, "EMAIL_BACKEND")
globals().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Immersion tracker <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: without a broker every task runs in-process, which is what the embedded
# run wants; with CELERY_BROKER_URL set, real workers and beat do the work.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message taken by a worker that then died outright comes back after the visibility
# timeout. It must outlast every task's hard time limit (330 s at most) and every retry
# countdown (300 s at most: a message waits for its countdown unacknowledged), or a
# message still in hand would be handed out twice. Photos do not wait for it: the
# sweep finds them by their rows (see PHOTO_STUCK_AFTER_MINUTES).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 600,
    # A broker that is down or hung fails a publish within seconds instead of holding
    # the request: the work is queued again by a sweep (immersion/dispatch.py).
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TIMEZONE = TIME_ZONE
# The API's framework and schema (immersion/api_settings.py); its rate limit per token.
REST_FRAMEWORK = api_settings.rest_framework(token_rate=env_str("API_RATE", "600/hour"))
SPECTACULAR_SETTINGS = api_settings.schema(SITE_NAME)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# No inline script or style and no third-party origin: everything is vendored.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # Only a registrable domain served at its root can join the preload list, so
    # asking for it is harmless on the usual tracker.example.com host.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Behind a TLS-terminating proxy the app sees plain HTTP; trust its header.
    if env_bool("TRUST_X_FORWARDED_PROTO", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The redirect is usually done by the proxy; the deploy check still wants it.
    SILENCED_SYSTEM_CHECKS = [] if SECURE_SSL_REDIRECT else ["security.W008"]
    if SECURE_HSTS_SECONDS == 0:
        SILENCED_SYSTEM_CHECKS.append("security.W004")
    # Load balancers probe over plain HTTP inside the network; a redirect would read as down.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"}),
    },
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs each step of every board pack at INFO; its warnings still show.
        "weasyprint": {"level": "WARNING"},
    },
}

# Product rules a programme may tune.
MISSED_SESSION_GRACE = timedelta(hours=env_int("MISSED_SESSION_GRACE_HOURS", 2))

# The journal: observations and their photos.
OBSERVATION_EDIT_WINDOW_HOURS = env_int("OBSERVATION_EDIT_WINDOW_HOURS", 48)
PHOTO_MAX_BYTES = env_int("PHOTO_MAX_BYTES", 20 * 1024 * 1024, minimum=1)
PHOTO_MAX_PIXELS = env_int("PHOTO_MAX_PIXELS", 50_000_000, minimum=1)
PHOTO_MAX_PER_OBSERVATION = env_int("PHOTO_MAX_PER_OBSERVATION", 10, minimum=1)
PHOTO_RENDITION_MAX_ATTEMPTS = env_int("PHOTO_RENDITION_MAX_ATTEMPTS", 5, minimum=1)
# The first retry of a failed rendition waits this long, each later one twice as long.
PHOTO_RENDITION_BACKOFF_SECONDS = env_int("PHOTO_RENDITION_BACKOFF_SECONDS", 30, minimum=1)
# A rendition claim lasts longer than the task's 40 s hard time limit: a photo whose
# claim has run out was left by a dead worker and may be taken over.
PHOTO_RENDITION_LEASE_SECONDS = env_int("PHOTO_RENDITION_LEASE_SECONDS", 60, minimum=1)
# The sweep, every minute, re-queues photos pending this long (a message lost with a
# killed worker, or never sent while the broker was down) and photos processing past
# their lease (a killed worker's). After a worker is killed outright every photo it held
# is queued again within lease + one sweep (60 + 60 s) or, if it had not started yet,
# within this + one sweep (60 + 60 s); a render takes a second or two more: under the
# three minutes promised in the README.
PHOTO_STUCK_AFTER_MINUTES = env_int("PHOTO_STUCK_AFTER_MINUTES", 1, minimum=1)
PHOTO_SWEEP_INTERVAL = timedelta(minutes=1)

# Webhooks go to https addresses only, but in a debug run (a receiver on this machine).
WEBHOOKS_ALLOW_HTTP = env_bool("WEBHOOKS_ALLOW_HTTP", DEBUG)

# Follow-up actions: the default policy, for a priority no CX lead has saved one for.
ACTION_DUE_SOON_DAYS = env_int("ACTION_DUE_SOON_DAYS", 2, minimum=1)
ACTION_ESCALATION_DAYS = env_int("ACTION_ESCALATION_DAYS", 3, minimum=1)

# What beat starts, and when (immersion/beat.py).
CELERY_BEAT_SCHEDULE = beat.schedule(photo_sweep=PHOTO_SWEEP_INTERVAL)

# Three queues, so a burst of photos never holds up an e-mail: renditions on "photos",
# e-mails and notices on "notices" (the default), and everything beat starts (scans and
# sweeps) on "scheduled", however it was queued. A worker started without -Q takes all
# three; in production run one per queue (README, "Running it for real").
CELERY_TASK_QUEUES = [Queue(name) for name in ("photos", "notices", "scheduled")]
CELERY_TASK_DEFAULT_QUEUE = "notices"
CELERY_TASK_ROUTES = {
    "journal.tasks.make_renditions": {"queue": "photos"},
    **{entry["task"]: {"queue": "scheduled"} for entry in CELERY_BEAT_SCHEDULE.values()},
}
