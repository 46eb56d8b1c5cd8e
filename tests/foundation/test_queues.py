"""Which queue each task goes to: photos, notices (the default) or scheduled."""

from django.conf import settings

from immersion.celery import app


def queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_renditions_go_to_the_photos_queue():
    assert queue_of("journal.tasks.make_renditions") == "photos"


def test_e_mails_go_to_the_notices_queue():
    assert queue_of("insights.tasks.send_notification") == "notices"


def test_every_task_beat_starts_goes_to_the_scheduled_queue():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert {queue_of(name) for name in scheduled} == {"scheduled"}


def test_a_worker_started_without_queues_takes_all_three():
    assert set(app.amqp.queues) == {"photos", "notices", "scheduled"}
