import os

from celery import Celery
from celery.signals import worker_process_init

from immersion.heartbeat import Heartbeat

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "immersion.settings")

app = Celery("immersion")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.steps["consumer"].add(Heartbeat)
app.autodiscover_tasks()


@worker_process_init.connect
def keep_heap_for_photos(**kwargs) -> None:
    # Each prefork process renders photo after photo: see keep_heap_between_renditions.
    from journal.renditions import keep_heap_between_renditions

    keep_heap_between_renditions()
