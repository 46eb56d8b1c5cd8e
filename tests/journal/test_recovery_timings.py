"""The production defaults keep the recovery promises the README makes."""

from immersion import tasks as immersion_tasks
from immersion.celery import app as celery_app
from insights import tasks as insights_tasks
from journal import tasks as journal_tasks

THREE_MINUTES = 180


def sweep_seconds(settings) -> float:
    return settings.CELERY_BEAT_SCHEDULE["journal-sweep-stuck-photos"]["schedule"].total_seconds()


def test_a_killed_workers_photos_are_ready_within_three_minutes_by_default(settings):
    # A photo it was rendering is swept once its claim runs out; one it held but had not
    # started is swept once it has been pending long enough. Then one render, at most.
    rendering = settings.PHOTO_RENDITION_LEASE_SECONDS + sweep_seconds(settings)
    not_started = settings.PHOTO_STUCK_AFTER_MINUTES * 60 + sweep_seconds(settings)

    worst = max(rendering, not_started) + journal_tasks.RENDITION_TIME_LIMIT

    assert worst <= THREE_MINUTES


def test_the_photo_sweep_runs_every_minute(settings):
    assert sweep_seconds(settings) == 60


def test_a_claim_outlasts_the_renditions_hard_time_limit(settings):
    # Only a dead worker's claim may run out: a live one is stopped first.
    assert settings.PHOTO_RENDITION_LEASE_SECONDS > journal_tasks.RENDITION_TIME_LIMIT


def test_no_message_in_a_workers_hand_outlasts_the_visibility_timeout(settings):
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    modules = {immersion_tasks.__name__, journal_tasks.__name__, insights_tasks.__name__}
    ours = [task for name, task in celery_app.tasks.items() if name.rsplit(".", 1)[0] in modules]
    longest_run = max(task.time_limit or settings.CELERY_TASK_TIME_LIMIT for task in ours)
    longest_countdown = max(
        journal_tasks.MAX_BACKOFF_SECONDS,
        settings.PHOTO_RENDITION_LEASE_SECONDS,
        insights_tasks.MAX_RETRY_COUNTDOWN,
        insights_tasks.send_weekly_digest.default_retry_delay,
    )

    assert len(ours) >= 10
    assert longest_run < visibility
    assert longest_countdown < visibility
