"""The site's Bootstrap build (`make css`): it reads every file that can put a class on a
page, and the classes that only appear at run time are still in the committed CSS."""

import glob
import json
import re
from pathlib import Path

from django.apps import apps
from django.template import engines
from django.template.utils import get_app_template_dirs

REPO = Path(__file__).resolve().parents[2]
PURGE = json.loads((REPO / "static" / "scss" / "purge.json").read_text())
BUILT = (REPO / "static" / "css" / "bootstrap-site.min.css").read_text(encoding="utf-8-sig")

# Template folders whose pages never load the site's Bootstrap, and why.
NOT_OURS = {
    "django.contrib.admin": "the admin has its own stylesheets",
    "django.contrib.auth": "e-mail texts only; the site's own registration pages override",
    "django_filters": "REST framework filter forms, shown in the browsable API",
    "rest_framework": "the browsable API ships its own Bootstrap",
    "drf_spectacular": "the API docs page loads Swagger UI's stylesheet",
}


def purged_files() -> set[Path]:
    found = set()
    for pattern in PURGE["content"]:
        found.update(Path(REPO, name) for name in glob.glob(pattern, root_dir=REPO, recursive=True))
    return found


def first_party_apps():
    return [app for app in apps.get_app_configs() if Path(app.path).parent == REPO]


def test_every_template_script_and_module_of_ours_is_read():
    read = purged_files()
    ours = [
        *(REPO / "templates").rglob("*.html"),
        *(REPO / "static").rglob("*.js"),
        *(path for app in first_party_apps() for path in Path(app.path).rglob("*.py")),
        *(path for app in first_party_apps() for path in Path(app.path).rglob("*.html")),
    ]

    missing = sorted(str(path.relative_to(REPO)) for path in ours if path not in read)

    assert not missing, "add them to static/scss/purge.json, then run make css"


def test_every_template_folder_django_renders_from_is_read_or_never_uses_our_css():
    engine = engines["django"].engine
    project = {Path(folder).resolve() for folder in engine.dirs}
    by_app = {Path(app.path) / "templates": app.name for app in apps.get_app_configs()}

    unread = []
    for folder in map(Path, get_app_template_dirs("templates")):
        name = by_app[folder]
        if folder.resolve() in project or name in NOT_OURS or name in PURGE["template_packages"]:
            continue
        if folder.parent.parent == REPO:
            continue  # a first-party app's, checked above
        unread.append(name)

    assert project == {REPO / "templates"}
    assert not unread, "list their templates in static/scss/purge.json or in NOT_OURS"


def selectors() -> set[str]:
    return {
        selector.strip()
        for rule in re.findall(r"([^{}]+)\{", BUILT)
        for selector in rule.split(",")
    }


def test_the_classes_put_on_at_run_time_are_kept():
    kept = selectors()

    # menus.js: an open menu and its button, placed by the stylesheet alone.
    assert ".dropdown-menu.show" in kept
    assert ".btn.show" in kept
    assert ".dropdown-menu[data-bs-popper]" in kept
    assert ".dropdown-menu-end[data-bs-popper]" in kept
    assert ".dropup .dropdown-menu[data-bs-popper]" in kept
    # A message fading out when closed.
    assert ".fade:not(.show)" in kept
    # base.html builds the alert's class from the message's level.
    for level in ("info", "success", "warning", "danger"):
        assert f".alert-{level}" in kept
    # crispy's bootstrap5 templates mark a field the server refused.
    assert ".form-control.is-invalid" in kept
    assert ".is-invalid~.invalid-feedback" in kept


def test_the_build_keeps_bootstraps_licence_and_drops_what_no_page_uses():
    assert "Licensed under MIT" in BUILT
    kept = selectors()
    assert not any(
        "carousel" in selector or "offcanvas" in selector or "tooltip" in selector
        for selector in kept
    )
