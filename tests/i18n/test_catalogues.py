"""The French translation files: complete, compiled, and holding every string the code marks."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale" / "fr" / "LC_MESSAGES"
DOMAINS = ["django", "djangojs"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}|<[^>]+>")


def catalogue(domain: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / f"{domain}.po"))


def translations(entry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_string_has_a_french_translation(domain):
    missing = [
        entry.msgid
        for entry in catalogue(domain)
        if "fuzzy" in entry.flags or not all(translations(entry))
    ]

    assert missing == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_each_translation_keeps_the_placeholders_and_markup_of_its_string(domain):
    broken = []
    for entry in catalogue(domain):
        wanted = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for text in translations(entry):
            if sorted(PLACEHOLDER.findall(text)) != wanted:
                broken.append((entry.msgid, text))

    assert broken == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_file_is_the_translation_file(domain):
    # The context is part of the key: "Same" as a verdict and "Same" as a feeling differ.
    compiled = {
        (entry.msgctxt, entry.msgid, entry.msgid_plural): translations(entry)
        for entry in polib.mofile(str(LOCALE / f"{domain}.mo"))
        if entry.msgid
    }
    written = {
        (entry.msgctxt, entry.msgid, entry.msgid_plural): translations(entry)
        for entry in catalogue(domain)
        if not entry.obsolete
    }

    assert compiled == written, "run `make messages` and commit the .mo files"


def test_the_translation_files_hold_every_string_the_code_marks(tmp_path):
    """`make messages` on a copy of the code changes no string: none is left out."""
    if shutil.which("xgettext") is None:
        skip_or_fail("GNU gettext (xgettext) is not installed")
    copy = tmp_path / "project"
    for name in ["immersion", "journal", "insights", "templates", "static", "locale"]:
        shutil.copytree(
            ROOT / name, copy / name, ignore=shutil.ignore_patterns("vendor", "__pycache__")
        )
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    for domain in DOMAINS:
        subprocess.run(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "manage.py", "makemessages", "--locale=fr", f"--domain={domain}"],
            cwd=copy,
            check=True,
            capture_output=True,
            env={"PATH": "/usr/bin:/bin", "DEBUG": "true"},
        )

    for domain in DOMAINS:
        fresh = polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / f"{domain}.po"))
        marked = {entry.msgid for entry in fresh if not entry.obsolete}
        kept = {entry.msgid for entry in catalogue(domain) if not entry.obsolete}
        assert marked == kept, "run `make messages`, translate, and commit"
