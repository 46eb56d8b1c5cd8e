"""Reading settings from the environment: a value that cannot be used stops start-up and
names the variable, instead of quietly becoming a default."""

import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


# django-environ's own bool() turns any unknown word into False; a typo such as
# DEBUG=ture must stop start-up instead, so the scalar readers are our own.
def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, default: str, parse, required_key: str):
    # Set but empty counts as unset: compose files and .env templates often leave it so.
    raw = env_str(name) or default
    try:
        config = parse(raw)
    except (ImproperlyConfigured, KeyError, ValueError) as exc:
        raise ImproperlyConfigured(f"{name} is not a usable URL ({raw!r}): {exc}") from None
    if not config.get(required_key):
        raise ImproperlyConfigured(f"{name} is not a usable URL ({raw!r}): unknown scheme.")
    return config


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = env_str(name, default).upper()
    if value not in choices:
        raise ImproperlyConfigured(
            f"{name} must be one of {', '.join(sorted(choices))}, not {value!r}."
        )
    return value


def env_image_file(name: str, folder: Path) -> str:
    """An image file's path under `folder` (as the static files finder takes it), or ""."""
    value = env_str(name)
    if value and not (
        re.fullmatch(r"[\w./-]+\.(svg|png|jpe?g|webp)", value)
        and ".." not in value
        and (folder / value).is_file()
    ):
        raise ImproperlyConfigured(
            f"{name} names an SVG, PNG, JPEG or WebP file under {folder.name}/, such as "
            f"img/logo.svg; {value!r} is not one."
        )
    return value


def env_origins(name: str) -> list[str]:
    origins = env_list(name, [])
    for origin in origins:
        if not re.fullmatch(r"https?://[^/\s]+", origin):
            raise ImproperlyConfigured(
                f"{name} takes origins such as https://tracker.example.com, not {origin!r}."
            )
    return origins


def env_site_url(name: str, default: str) -> str:
    url = env_str(name, default).rstrip("/")
    if not re.fullmatch(r"https?://[^/\s]+(/\S*)?", url):
        raise ImproperlyConfigured(f"{name} must be an http(s) address, not {url!r}.")
    return url
