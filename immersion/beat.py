"""What Celery beat starts, and when: the scans and sweeps of every app in one table, so
their times can be read side by side (reminders before the working day, digests after)."""

from datetime import timedelta

from celery.schedules import crontab


def _every(task: str, schedule) -> dict:
    return {"task": task, "schedule": schedule}


def schedule(photo_sweep: timedelta) -> dict[str, dict]:
    return {
        "immersion-session-reminders": _every(
            "immersion.tasks.send_session_reminders", crontab(minute="*/5")
        ),
        "immersion-missed-sweep": _every(
            "immersion.tasks.mark_missed_sessions", crontab(minute="*/15")
        ),
        "insights-weekly-digest": _every(
            "insights.tasks.queue_weekly_digests", crontab(minute=0, hour=7, day_of_week="mon")
        ),
        "insights-monthly-board-pack": _every(
            "insights.tasks.queue_monthly_board_packs",
            crontab(minute=30, hour=7, day_of_month=1),
        ),
        "journal-sweep-stuck-photos": _every("journal.tasks.sweep_stuck_photos", photo_sweep),
        "insights-due-soon-reminders": _every(
            "insights.tasks.send_due_soon_reminders", crontab(hour=7, minute=0)
        ),
        "insights-overdue-reminders": _every(
            "insights.tasks.send_overdue_reminders", crontab(hour=7, minute=15)
        ),
        "insights-escalations": _every(
            "insights.tasks.escalate_overdue_actions", crontab(hour=7, minute=30)
        ),
        "insights-send-pending-notifications": _every(
            "insights.tasks.send_pending_notifications", timedelta(minutes=1)
        ),
        "insights-summarise-waiting-observations": _every(
            "insights.tasks.summarise_waiting_observations", crontab(hour=8, minute=0)
        ),
        "insights-send-due-webhooks": _every(
            "insights.tasks.send_due_webhooks", timedelta(minutes=1)
        ),
        "insights-refresh-summaries": _every(
            "insights.tasks.refresh_summaries", timedelta(minutes=1)
        ),
        "insights-check-summaries": _every(
            "insights.tasks.check_summaries", crontab(hour=3, minute=20)
        ),
        "insights-retry-failed-notifications": _every(
            "insights.tasks.retry_failed_notifications", crontab(minute=45)
        ),
    }
