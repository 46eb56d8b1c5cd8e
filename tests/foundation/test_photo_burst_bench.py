"""The photo burst bench: its options, what it says without the real stack, a tiny run."""

import argparse

import pytest

from tests.bench import photo_burst
from tests.conftest import skip_or_fail


def parsed(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    photo_burst.add_arguments(parser)
    return parser.parse_args(argv)


def test_a_burst_is_200_photos_for_two_processes_unless_told_otherwise():
    default, tiny = parsed(), parsed("--burst-photos", "3", "--burst-photo-concurrency", "1")

    assert (default.burst_photos, default.burst_photo_concurrency) == (200, 2)
    assert (tiny.burst_photos, tiny.burst_photo_concurrency) == (3, 1)


def test_without_redis_the_bench_says_what_it_needs_and_starts_nothing(monkeypatch, capsys):
    monkeypatch.setenv("CELERY_BROKER_URL", "")

    photo_burst.run(parsed())

    said = capsys.readouterr().out
    assert said.startswith("skipped: ")
    assert "CELERY_BROKER_URL=redis://" in said


@pytest.mark.services
def test_a_tiny_burst_makes_every_rendition_and_sends_the_e_mail(django_db_blocker, capsys):
    # The bench makes and drops its own database, beside the one pytest made.
    with django_db_blocker.unblock():
        missing = photo_burst.missing_services()
        if missing:
            skip_or_fail(missing)
        photo_burst.run(parsed("--burst-photos", "3", "--burst-photo-concurrency", "1"))

    said = capsys.readouterr().out
    assert "renditions: all 3 ready" in said, said
    assert "assignment e-mail: sent" in said, said
