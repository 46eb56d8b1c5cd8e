import os

from celery import Celery

from immersion.heartbeat import Heartbeat

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "immersion.settings")

app = Celery("immersion")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.steps["consumer"].add(Heartbeat)
app.autodiscover_tasks()
