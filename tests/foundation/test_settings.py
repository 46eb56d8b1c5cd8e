"""Settings come from the environment, fail loudly on bad values, and are production-safe.

Start-up is tested in a subprocess with a clean environment, as a server would start.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, get_hasher

from tests import factories

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parent.parent.parent
PRODUCTION = {"SECRET_KEY": "", "ALLOWED_HOSTS": "tracker.example.com"}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean_env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(REPO), **env}
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production(**env: str) -> dict[str, str]:
    return {**PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(50), **env}


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", ALLOWED_HOSTS="tracker.example.com")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", SECRET_KEY=secrets.token_urlsafe(50))

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_CONN_MAX_AGE", "abc"),
        ("SECURE_HSTS_SECONDS", "abc"),
        ("SECURE_SSL_REDIRECT", "sometimes"),
        ("MISSED_SESSION_GRACE_HOURS", "-1"),
        ("DATABASE_URL", "nonsense"),
        ("DATABASE_URL", "postgres://user@db.example.com:port/immersion"),
        ("CACHE_URL", "bogus://cache"),
        ("EMAIL_URL", "pigeon://loft"),
        ("TIME_ZONE", "Mars/Olympus_Mons"),
        ("LOG_LEVEL", "LOUD"),
        ("SITE_URL", "tracker.example.com"),
        ("ALLOWED_HOSTS", "*"),
        ("ALLOWED_HOSTS", "https://tracker.example.com"),
        ("CSRF_TRUSTED_ORIGINS", "tracker.example.com"),
    ],
)
def test_a_malformed_value_stops_start_up_naming_the_variable(name, value):
    result = manage("check", **production(**{name: value}))

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured")
    assert name in last_line


def test_production_passes_the_deploy_check_without_a_single_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production())

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.stderr == ""


def test_production_behind_a_tls_proxy_passes_the_deploy_check():
    env = production(SECURE_SSL_REDIRECT="false", TRUST_X_FORWARDED_PROTO="true")

    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_embedded_defaults_start_with_debug_on():
    result = manage("check", DEBUG="true")

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_passwords_are_hashed_with_argon2():
    from immersion import settings as product_settings

    user = factories.UserFactory()

    argon2 = "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert product_settings.PASSWORD_HASHERS[0] == argon2
    assert isinstance(get_hasher("default"), Argon2PasswordHasher)
    assert user.password.startswith("argon2$")


@pytest.mark.parametrize(
    ("path", "who"),
    [
        ("/accounts/login/", None),
        ("/accounts/password_reset/", None),
        ("/insights/you-said-we-did/", None),
        ("/health/", None),
        ("/no-such-page/", "manager"),
        ("/", "manager"),
        ("/admin/", "staff"),
    ],
)
def test_every_response_carries_a_strict_content_security_policy(
    client_as, manager, staff, path, who
):
    response = client_as({"manager": manager, "staff": staff, None: None}[who]).get(path)

    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert not re.search(r"https?://|\*", policy), policy
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"


def template_and_static_files():
    roots = [REPO / "templates", REPO / "static", *REPO.glob("*/templates")]
    for root in roots:
        for path in root.rglob("*"):
            if path.suffix in {".html", ".txt", ".css", ".js"} and "vendor" not in path.parts:
                yield path


def test_pages_load_nothing_from_another_origin():
    remote = re.compile(
        r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//"""  # an attribute's value
        r"""|url\(\s*["']?(?:https?:)?//"""  # a CSS url()
    )

    offenders = [
        str(path.relative_to(REPO))
        for path in template_and_static_files()
        if remote.search(path.read_text(errors="replace"))
    ]

    assert offenders == []


def test_pages_carry_no_inline_script_or_style():
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S|<style\b|\sstyle=|\son[a-z]+=")

    offenders = [
        str(path.relative_to(REPO))
        for path in template_and_static_files()
        if path.suffix == ".html" and inline.search(path.read_text(errors="replace"))
    ]

    assert offenders == []


SETTINGS_ENV_READ = re.compile(
    r"""(?:env_\w+|os\.environ\.get|os\.getenv)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
)
README_ROW = re.compile(r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|", re.MULTILINE)


def test_the_readme_documents_every_environment_variable_settings_reads():
    read = {
        name
        for module in ("settings.py", "sso_settings.py")
        for name in SETTINGS_ENV_READ.findall((REPO / "immersion" / module).read_text())
    }
    documented = set(README_ROW.findall((REPO / "README.md").read_text()))

    assert read, "no environment reads found in settings.py"
    assert sorted(read - documented) == [], "read by settings.py but missing from README"
    assert sorted(documented - read) == [], "in the README table but not read by settings.py"


def effective(code: str, **env: str) -> dict:
    """Run `code` (which sets `result`) in a fresh process with this environment; return result."""
    script = f"import json\n{code}\nprint(json.dumps(result, default=str))"
    completed = manage("shell", "--no-imports", "-c", script, **env)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


SETTINGS_PROBE = """
from django.conf import settings
from immersion.celery import app
result = {
    "eager": app.conf.task_always_eager,
    "cache": settings.CACHES["default"]["BACKEND"],
    "email": settings.EMAIL_BACKEND,
    "time_zone": settings.TIME_ZONE,
    "celery_time_zone": app.conf.timezone,
    "database": settings.DATABASES["default"]["ENGINE"],
}
"""


def test_the_embedded_defaults_run_without_any_service():
    result = effective(SETTINGS_PROBE, DEBUG="true")

    assert result == {
        "eager": True,
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "email": "django.core.mail.backends.console.EmailBackend",
        "time_zone": "UTC",
        "celery_time_zone": "UTC",
        "database": "django.db.backends.sqlite3",
    }


def test_configured_services_replace_the_embedded_ones():
    result = effective(
        SETTINGS_PROBE,
        **production(
            CELERY_BROKER_URL="redis://redis.example.com:6379/0",
            CACHE_URL="rediscache://redis.example.com:6379/1",
            EMAIL_URL="smtp+tls://user:secret@smtp.example.com:587",
            DATABASE_URL="postgres://immersion@db.example.com:5432/immersion",
            TIME_ZONE="Europe/London",
        ),
    )

    assert result == {
        "eager": False,
        "cache": "django_redis.cache.RedisCache",
        "email": "django.core.mail.backends.smtp.EmailBackend",
        "time_zone": "Europe/London",
        "celery_time_zone": "Europe/London",
        "database": "django.db.backends.postgresql",
    }


REQUEST_PROBE = """
from django.test import Client
client = Client()
health = client.get("/health/")
home = client.get("/")
secure = client.get("/health/", secure=True)
result = {
    "health": health.status_code,
    "home": [home.status_code, home.get("Location")],
    "hsts": secure.get("Strict-Transport-Security"),
    "session_cookie_secure": __import__("django.conf").conf.settings.SESSION_COOKIE_SECURE,
}
"""


def test_production_redirects_to_https_except_the_health_probe():
    result = effective(REQUEST_PROBE, **production(ALLOWED_HOSTS="testserver"))

    assert result["health"] == 200
    assert result["home"] == [301, "https://testserver/"]
    assert result["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert result["session_cookie_secure"] is True


def test_behind_a_tls_proxy_the_app_leaves_redirects_to_the_proxy():
    env = production(ALLOWED_HOSTS="testserver", SECURE_SSL_REDIRECT="false")

    result = effective(REQUEST_PROBE, **env)

    assert result["home"][0] == 302
    assert result["home"][1].startswith("/accounts/login/")
