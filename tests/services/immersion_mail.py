"""An e-mail backend for services-test workers: it can be held mid-send and counts deliveries.

A worker started with DJANGO_SETTINGS_MODULE=tests.services.immersion_mail_settings uses it.
While the cache key named by MAIL_HOLD_KEY is set, sending waits, so a test can kill the
worker at a moment when a reminder is certainly being sent. Each delivered message adds one
to the cache counter "<MAIL_LOG_KEY>:<recipient>", which the test process reads.
"""

import os
import time

from django.core.cache import cache
from django.core.mail.backends.base import BaseEmailBackend

HOLD_POLL_SECONDS = 0.05


def delivered(log_key: str, address: str) -> int:
    return cache.get(f"{log_key}:{address}", 0)


class HoldingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        hold_key = os.environ.get("MAIL_HOLD_KEY")
        while hold_key and cache.get(hold_key):
            time.sleep(HOLD_POLL_SECONDS)
        log_key = os.environ["MAIL_LOG_KEY"]
        for message in email_messages:
            for address in message.to:
                cache.add(f"{log_key}:{address}", 0, 600)
                cache.incr(f"{log_key}:{address}")
        return len(email_messages)
