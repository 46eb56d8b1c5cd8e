"""The weekly digest: once per recipient and week, with the right figures."""

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.core import mail

from insights import digest, tasks
from insights.models import DigestDelivery
from tests.dashboards.conftest import NOW

pytestmark = pytest.mark.django_db

WEEK = dt.date(2026, 6, 8)  # the last full week before Wednesday 17 June


def test_last_week_is_the_previous_monday_to_sunday():
    assert digest.last_week(dt.date(2026, 6, 17)) == WEEK
    assert digest.last_week(dt.date(2026, 6, 15)) == WEEK


def test_beat_runs_the_digest_every_monday_morning():
    entry = settings.CELERY_BEAT_SCHEDULE["insights-weekly-digest"]
    assert entry["task"] == "insights.tasks.queue_weekly_digests"
    assert entry["schedule"].day_of_week == {1}


def test_executives_and_cx_leads_get_one_each_even_when_run_twice(cast, crafted):
    tasks.queue_weekly_digests.delay()
    tasks.queue_weekly_digests.delay()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [cast["executive"].email, cast["cx_lead"].email]
    )
    assert DigestDelivery.objects.filter(week=WEEK, sent_at__isnull=False).count() == 2


def test_digest_has_text_and_html_with_last_week_against_the_week_before(now, cast, crafted):
    with time_machine.travel(dt.datetime(2026, 6, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        assert digest.deliver(cast["executive"].pk, dt.date(2026, 5, 25))
    email = mail.outbox[0]
    assert "week of 25 May 2026" in email.subject
    # Week of 25 May: a4 raised (done 2 June); week of 18 May: a2 raised.
    # Sessions: none that week, one (19 May) the week before.
    assert "Actions raised: 1 (week before: 1, no change)" in email.body
    assert "Sessions completed: 0 (week before: 1, down 1)" in email.body
    # On 2 June a4 (due 1 June) is done, a2 (due 10 June) not due yet.
    assert "Completion of actions due: 100% (week before: no data, not comparable)" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert "<table" in html
    assert "/insights/dashboard/" in html


def test_a_failed_send_gives_the_week_back_for_the_retry(now, cast, crafted):
    failing = mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("down")
    )
    with failing, pytest.raises(OSError, match="down"):
        digest.deliver(cast["executive"].pk, WEEK)
    assert not DigestDelivery.objects.exists()
    assert digest.deliver(cast["executive"].pk, WEEK)
    assert len(mail.outbox) == 1


def test_a_claimed_week_is_not_sent_again(now, cast):
    DigestDelivery.objects.create(recipient=cast["executive"], week=WEEK, claimed_at=NOW)
    assert not digest.deliver(cast["executive"].pk, WEEK)
    assert mail.outbox == []


def test_people_without_an_address_are_skipped(now, cast):
    cast["executive"].email = ""
    cast["executive"].save()
    assert not digest.deliver(cast["executive"].pk, WEEK)
    assert list(digest.recipients()) == [cast["cx_lead"]]
