import datetime as dt

from celery import shared_task
from django.utils import timezone

from insights import digest


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def queue_weekly_digests() -> int:
    """Beat, every Monday: one digest task per executive and CX lead for last week."""
    week = digest.last_week(timezone.localdate()).isoformat()
    recipient_ids = list(digest.recipients().values_list("pk", flat=True))
    for user_id in recipient_ids:
        send_weekly_digest.delay(user_id, week)
    return len(recipient_ids)


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=3,
    default_retry_delay=300,
    soft_time_limit=120,
    time_limit=180,
)
def send_weekly_digest(self, user_id: int, week: str) -> bool:
    try:
        return digest.deliver(user_id, dt.date.fromisoformat(week))
    except OSError as exc:
        # The mail server did not answer; the claim was given back, so try again later.
        raise self.retry(exc=exc) from exc
