"""The monthly board pack sent once by concurrent calls and by real, concurrent workers."""

import datetime as dt

import pytest
from django.core import mail

from insights import board_pack, tasks
from insights.models import BoardPackDelivery
from tests.services.conftest import race, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

MAY = dt.date(2026, 5, 1)


@pytest.fixture
def opted_in(cast):
    executive = cast["executive"]
    executive.board_pack_emails = True
    executive.save(update_fields=["board_pack_emails"])
    return executive


def test_concurrent_deliveries_send_one_board_pack(opted_in, mailoutbox):
    results = race(*[lambda: board_pack.deliver(opted_in.pk, MAY)] * 4)
    assert sorted(results) == [False, False, False, True]
    assert len(mailoutbox) == 1
    assert BoardPackDelivery.objects.get().sent_at is not None


def test_workers_running_the_monthly_queue_repeatedly_send_it_once(opted_in, celery_worker_factory):
    celery_worker_factory(concurrency=2)
    celery_worker_factory(concurrency=2)

    for _ in range(4):
        tasks.queue_monthly_board_packs.delay()

    wait_for(
        lambda: BoardPackDelivery.objects.filter(sent_at__isnull=False).exists(),
        120,
        "the workers never sent the board pack",
    )
    # Every queued task has run once the queue is empty; one row means one e-mail.
    assert list(BoardPackDelivery.objects.values_list("recipient__username", flat=True)) == [
        "executive"
    ]
    assert mail.outbox == []  # sent by the workers, not in this process
