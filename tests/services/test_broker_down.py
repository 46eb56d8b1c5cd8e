"""The broker dies while people capture, complete actions and assign them: nothing is lost.

Each test runs its own throw-away ``redis-server`` as the broker of this process and of
its worker, kills it, makes its changes through the pages, then starts the broker again
on the same port (empty, as a Redis without persistence comes back) and lets the
minutely sweeps queue what never reached it. Figures are printed (``pytest -s``).
"""

import datetime as dt
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from insights import tasks as insights_tasks
from insights.models import Action, Notification, ObservationDay, SessionDay, StaleSummaryDay
from journal import tasks as journal_tasks
from journal.models import Observation, Photo
from tests import factories
from tests.immersion.test_session_views import REFLECTION
from tests.insights.helpers import EVIDENCE, in_progress, jpeg_upload
from tests.journal import corpus
from tests.journal.test_capture import capture_url, fields
from tests.services.brokers import ThrowAwayRedis, publishing_to
from tests.services.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)
CAPTURES = 5


@pytest.fixture
def broker(tmp_path):
    server = ThrowAwayRedis(tmp_path / "redis.log").start()
    with publishing_to(server.url):
        yield server
    server.kill()


@pytest.fixture
def outbox(tmp_path) -> Path:
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder


@pytest.fixture
def worker(celery_worker_factory, broker, outbox):
    return celery_worker_factory(
        CELERY_BROKER_URL=broker.url,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        # django-environ drops one slash of the path: four make it absolute.
        EMAIL_URL=f"filemail:///{outbox.as_posix()}",
    )


@pytest.fixture
def session(store_a, manager):
    walk = factories.SessionFactory(team=store_a, lead=manager)
    walk.start(by=manager)
    return walk


def a_minute_ago(queryset, field: str) -> None:
    """Age rows past the sweep's threshold, as beat's next run would find them."""
    queryset.update(**{field: timezone.now() - dt.timedelta(minutes=1, seconds=1)})


def all_ready(photos) -> bool:
    return not photos.exclude(state=Photo.State.READY).exists()


def test_captures_while_the_broker_is_down_are_kept_and_their_photos_made_when_it_is_back(
    worker, broker, client_as, manager, session
):
    client = client_as(manager)
    broker.kill()

    answers, slowest = [], 0.0
    for number in range(CAPTURES):
        upload = corpus.upload(f"aisle-{number}.jpg", corpus.camera_jpeg())
        started = time.perf_counter()
        answers.append(client.post(capture_url(session), fields(photos=[upload])).status_code)
        slowest = max(slowest, time.perf_counter() - started)
    replay = fields(client_uuid=str(Observation.objects.first().client_uuid))
    replay["photos"] = [corpus.upload("aisle-0.jpg", corpus.camera_jpeg())]
    answers.append(client.post(capture_url(session), replay).status_code)

    assert answers == [302] * (CAPTURES + 1)
    assert Observation.objects.count() == CAPTURES
    photos = Photo.objects.all()
    assert photos.count() == CAPTURES
    assert {p.state for p in photos} == {Photo.State.PENDING}
    assert all(p.original.storage.exists(p.original.name) for p in photos)

    broker.start()
    back = time.perf_counter()
    a_minute_ago(photos, "state_changed_at")
    journal_tasks.sweep_stuck_photos.delay()
    wait_for(lambda: all_ready(photos), 60, "the photos were never made after the broker came back")
    recovered = time.perf_counter() - back

    assert sorted(p.attempts for p in photos) == [1] * CAPTURES
    print(
        f"\nbroker down: {CAPTURES} captures and a replay, 0 answered 500, slowest "
        f"{slowest:.2f} s; 0 observations or photos lost, 0 duplicated; every photo ready "
        f"{recovered:.1f} s after the broker was back and the sweep ran"
    )


def test_evidence_photos_sent_while_the_broker_is_down_are_made_when_it_is_back(
    worker, broker, client_as, owner, store_a, cx_lead
):
    action = factories.ActionFactory(owner=owner, team=store_a, created_by=cx_lead)
    in_progress(action, owner)
    broker.kill()

    response = client_as(owner).post(
        reverse("insights:action-complete", args=[action.pk]),
        {
            "version": action.version,
            "note": EVIDENCE,
            "photos": [jpeg_upload("before.jpg"), jpeg_upload("after.jpg")],
        },
    )

    assert response.status_code == 302
    assert Action.objects.get(pk=action.pk).status == Action.Status.DONE
    photos = Action.objects.get(pk=action.pk).evidence_photos.all()
    assert photos.count() == 2
    assert all(p.original.storage.exists(p.original.name) for p in photos)

    broker.start()
    a_minute_ago(photos, "state_changed_at")
    journal_tasks.sweep_stuck_photos.delay()
    wait_for(lambda: all_ready(photos), 60, "the evidence photos were never made")


def sent_subjects(outbox: Path) -> list[str]:
    return [
        line
        for path in outbox.glob("*.log")
        for line in path.read_text().splitlines()
        if line.startswith("Subject: ")
    ]


def test_an_assignment_while_the_broker_is_down_is_mailed_once_when_it_is_back(
    worker, broker, outbox, client_as, cx_lead, owner, store_a
):
    action = factories.ActionFactory(
        title="Fix the lift", owner=cx_lead, team=store_a, created_by=cx_lead
    )
    edit = reverse("insights:action-edit", args=[action.pk])
    form = client_as(cx_lead).get(edit).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    broker.kill()

    response = client_as(cx_lead).post(edit, {**data, "owner": owner.pk, "note": str(uuid.uuid4())})

    assert response.status_code == 302
    assert Action.objects.get(pk=action.pk).owner == owner
    pending = Notification.objects.filter(recipient=owner, state=Notification.State.PENDING)
    assert pending.count() == 1

    broker.start()
    back = time.perf_counter()
    a_minute_ago(Notification.objects.all(), "claimed_at")
    for _ in range(2):  # two sweeps racing, as two beats by mistake would
        insights_tasks.send_pending_notifications.delay()
    # The worker writes the e-mail before it records the notification as sent.
    wait_for(
        lambda: Notification.objects.filter(state=Notification.State.SENT).exists(),
        60,
        "the assignment e-mail was never recorded as sent",
    )
    recovered = time.perf_counter() - back

    assert sent_subjects(outbox) == ["Subject: New action for you: Fix the lift"]
    assert Notification.objects.get(recipient=owner).state == Notification.State.SENT
    print(f"\nbroker down: the assignment e-mail went out {recovered:.1f} s after it was back")


def test_a_webhook_event_while_the_broker_is_down_is_delivered_once_when_it_is_back(
    worker, broker, client_as, cx_lead, owner, store_a, region
):
    from insights.models import Webhook, WebhookDelivery
    from tests.insights.receiver import Receiver

    with Receiver() as receiver:
        hook = Webhook.objects.create(
            team=region, name="Ops", url=receiver.url, events=["action.assigned"]
        )
        action = factories.ActionFactory(owner=cx_lead, team=store_a, created_by=cx_lead)
        edit = reverse("insights:action-edit", args=[action.pk])
        form = client_as(cx_lead).get(edit).context["form"]
        data = {name: value for name, value in form.initial.items() if value is not None}
        broker.kill()

        response = client_as(cx_lead).post(edit, {**data, "owner": owner.pk})

        assert response.status_code == 302
        delivery = WebhookDelivery.objects.get()
        assert delivery.state == WebhookDelivery.State.PENDING
        broker.start()
        for _ in range(2):  # two sweeps racing, as two beats by mistake would
            insights_tasks.send_due_webhooks.delay()
        wait_for(
            lambda: WebhookDelivery.objects.filter(state=WebhookDelivery.State.SENT).exists(),
            60,
            f"the webhook was never delivered:\n{worker.log_tail()}",
        )

    assert len(receiver.received) == 1
    assert receiver.received[0].signed_with(hook.secret)
    assert receiver.received[0].json["event"] == "action.assigned"


def test_the_dashboard_summary_of_captures_made_while_the_broker_is_down_is_made_by_the_sweep(
    worker, broker, client_as, manager, session
):
    client = client_as(manager)
    client.post(capture_url(session), fields())
    wait_for(
        lambda: ObservationDay.objects.exists() and not StaleSummaryDay.objects.exists(),
        30,
        "the worker never summarised the capture",
    )
    broker.kill()

    assert client.post(capture_url(session), fields()).status_code == 302
    assert StaleSummaryDay.objects.count() == 1

    broker.start()
    insights_tasks.refresh_summaries.delay()
    wait_for(
        lambda: not StaleSummaryDay.objects.exists(),
        30,
        "the sweep never summarised the capture made while the broker was down",
    )
    assert ObservationDay.objects.get(theme__isnull=True).count == 2


def test_a_session_completed_while_the_broker_is_down_is_counted_by_the_sweep(
    worker, broker, client_as, manager, session
):
    broker.kill()

    response = client_as(manager).post(
        reverse("immersion:session-complete", args=[session.pk]), REFLECTION
    )

    assert response.status_code == 302
    assert StaleSummaryDay.objects.count() == 1
    assert not SessionDay.objects.exists()
    broker.start()
    insights_tasks.refresh_summaries.delay()
    wait_for(
        lambda: not StaleSummaryDay.objects.exists(),
        30,
        "the sweep never counted the session completed while the broker was down",
    )
    assert SessionDay.objects.get().count == 1
