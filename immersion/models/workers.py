"""Background workers' heartbeats, read by the health endpoint."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """When a Celery worker last said it was alive (see immersion/heartbeat.py)."""

    hostname = models.CharField(max_length=255, primary_key=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.hostname} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
