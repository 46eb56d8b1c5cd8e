"""Dashboard figures on real PostgreSQL, and the digest sent once by real, concurrent workers."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from insights import digest, tasks
from insights.models import DigestDelivery
from tests.dashboards.conftest import PERIOD, crafted, now  # noqa: F401 - shared fixtures
from tests.services.conftest import race, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

WEEK = dt.date(2026, 6, 8)


def test_headline_medians_use_percentile_cont_on_postgresql(client_as, cast, crafted):  # noqa: F811
    response = client_as(cast["executive"]).get(reverse("insights:dashboard"), PERIOD)
    head = response.context["headline"]
    # The same hand-worked figures as on SQLite (tests/dashboards/test_figures.py).
    assert head["median_days_to_action"] == pytest.approx(2.0)
    assert head["median_days_to_verified"] == pytest.approx(7.0)
    assert head["completion"] == pytest.approx(0.75)
    assert head["oldest_untriaged_days"] == 28


def test_public_page_figures_on_postgresql(client_as, crafted):  # noqa: F811
    response = client_as(None).get(reverse("insights:public"))
    assert response.status_code == 200
    assert response.context["promises_total"] == 1
    may = next(m for m in response.context["months"] if m["month"] == dt.date(2026, 5, 1))
    # Pain points o1 and o3 were seen in May more than 30 days ago (o2's time is not up);
    # o1 was put right on 15 May, o3's action is still in progress.
    assert (may["issues"], may["acted"]) == (2, 1)


def test_concurrent_deliveries_send_one_digest(cast, mailoutbox):
    results = race(*[lambda: digest.deliver(cast["executive"].pk, WEEK)] * 4)
    assert sorted(results) == [False, False, False, True]
    assert len(mailoutbox) == 1
    assert DigestDelivery.objects.get().sent_at is not None


def test_workers_running_the_digest_repeatedly_send_each_once(cast, celery_worker_factory):
    celery_worker_factory(concurrency=2)
    celery_worker_factory(concurrency=2)

    for _ in range(4):
        tasks.queue_weekly_digests.delay()

    wait_for(
        lambda: DigestDelivery.objects.filter(sent_at__isnull=False).count() == 2,
        60,
        "the workers never sent both digests",
    )
    assert set(DigestDelivery.objects.values_list("recipient__username", flat=True)) == {
        "executive",
        "cx_lead",
    }
    assert mail.outbox == []  # sent by the workers, not in this process
