"""The demo, seeded once for every test in this folder.

Seeding takes seconds, so the tests that read the demo share one seed (run twice, to prove
the second run adds nothing), inside a transaction rolled back when the folder is done.
Each test runs in its own savepoint within it, so a test that changes the demo changes it
for itself only.
"""

import io
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


@dataclass(frozen=True)
class SeededDemo:
    first_run: str
    second_run: str
    rows_after_first_run: dict[str, int]
    rows_after_second_run: dict[str, int]


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="package")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("demo-media")
    storages = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media, "base_url": None},
        },
    }
    # The function-scoped fixtures of tests/conftest.py have not run yet at this scope:
    # photos go to a temporary folder and the cache is local, as they are for every test.
    isolated = override_settings(
        MEDIA_ROOT=media,
        STORAGES=storages,
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    )
    with django_db_blocker.unblock(), isolated:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            first_run = seed()
            rows_after_first_run = row_counts()
            second_run = seed()
            yield SeededDemo(first_run, second_run, rows_after_first_run, row_counts())
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(seeded, db):
    return seeded
