"""Webhooks deliver each event, signed, to a real receiver on loopback: once per commit,
nothing for a change that rolled back, retried with backoff after a failure."""

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from insights import tasks, triage, webhooks
from insights.models import Action, Notification, Webhook, WebhookDelivery
from journal.models import Observation
from tests import factories
from tests.insights.helpers import done, in_days, in_progress
from tests.insights.receiver import Receiver

pytestmark = pytest.mark.django_db
ALL_EVENTS = list(webhooks.EVENTS)


@pytest.fixture
def receiver():
    with Receiver() as server:
        yield server


@pytest.fixture
def hook(region, receiver, cx_lead):
    return Webhook.objects.create(
        team=region, name="Ops", url=receiver.url, events=ALL_EVENTS, created_by=cx_lead
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a change queues for after its commit, as a real commit would."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    return run


def new_action(cx_lead, owner, store_a, **fields) -> Action:
    return Action.create(
        by=cx_lead, title="Fix the lift", owner=owner, team=store_a, due_on=in_days(5), **fields
    )


def events(receiver) -> list[str]:
    return [request.headers["immersion-event"] for request in receiver.received]


def test_an_action_created_in_a_store_reaches_the_regions_webhook_signed(
    hook, receiver, committed, cx_lead, owner, store_a
):
    action = committed(lambda: new_action(cx_lead, owner, store_a))

    [request] = receiver.received
    assert request.signed_with(hook.secret)
    assert not request.signed_with("whsec_someone_else")
    body = request.json
    assert (body["event"], body["team"]["name"]) == ("action.created", "Store A")
    assert body["data"]["action"]["id"] == action.pk
    assert body["data"]["action"]["url"].endswith(f"/insights/actions/{action.pk}/")
    assert WebhookDelivery.objects.get().state == WebhookDelivery.State.SENT


def test_an_old_signature_is_refused_by_the_check_a_receiver_makes(
    hook, receiver, committed, cx_lead, owner, store_a
):
    committed(lambda: new_action(cx_lead, owner, store_a))

    [request] = receiver.received
    assert not request.signed_with(hook.secret, now=timezone.now().timestamp() + 301)


def test_nothing_is_sent_for_a_change_that_rolled_back(
    hook, receiver, committed, cx_lead, owner, store_a
):
    def change_then_fail():
        with transaction.atomic():
            new_action(cx_lead, owner, store_a)
            raise RuntimeError("the request failed after the change")

    with pytest.raises(RuntimeError):
        committed(change_then_fail)

    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


def test_each_status_change_is_its_own_event(hook, receiver, committed, cx_lead, owner, store_a):
    action = committed(lambda: new_action(cx_lead, owner, store_a))

    committed(lambda: done(action, owner))
    committed(lambda: action.verify(by=cx_lead))
    committed(lambda: action.reopen(by=cx_lead, reason="The lift broke again"))

    assert events(receiver) == [
        "action.created", "action.started", "action.done", "action.verified", "action.reopened",
    ]  # fmt: skip


def test_an_observation_recorded_then_triaged_is_sent_twice(
    hook, receiver, committed, manager, store_a, cx_lead
):
    session = factories.SessionFactory(team=store_a, lead=manager)
    observation = committed(lambda: factories.ObservationFactory(session=session, author=manager))

    committed(lambda: triage.decide_no_action(observation, by=cx_lead, reason="Seen to already"))

    assert events(receiver) == ["observation.recorded", "observation.triaged"]
    assert receiver.received[1].json["data"]["observation"]["triage"] == "no_action"


def test_an_overdue_notice_tells_the_channel_once(
    hook, receiver, committed, cx_lead, owner, store_a
):
    action = committed(lambda: new_action(cx_lead, owner, store_a))
    Action.objects.filter(pk=action.pk).update(due_on=in_days(-2))

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        committed(tasks.send_overdue_reminders)
        traveller.shift(dt.timedelta(days=1))
        committed(tasks.send_overdue_reminders)

    assert Notification.objects.filter(kind=Notification.Kind.OVERDUE).count() == 2
    assert events(receiver).count("action.overdue") == 1


def test_a_webhook_of_a_sister_team_hears_nothing(
    receiver, committed, cx_lead, owner, store_a, store_b
):
    Webhook.objects.create(team=store_b, name="B", url=receiver.url, events=ALL_EVENTS)

    committed(lambda: new_action(cx_lead, owner, store_a))

    assert receiver.received == []


def test_only_the_events_asked_for_are_sent(receiver, committed, region, cx_lead, owner, store_a):
    Webhook.objects.create(team=region, name="Done", url=receiver.url, events=["action.done"])

    action = committed(lambda: new_action(cx_lead, owner, store_a))
    committed(lambda: in_progress(action, owner))

    assert receiver.received == []


def test_a_paused_webhook_hears_nothing(hook, receiver, committed, cx_lead, owner, store_a):
    Webhook.objects.filter(pk=hook.pk).update(active=False)

    committed(lambda: new_action(cx_lead, owner, store_a))

    assert receiver.received == []


def test_a_refused_delivery_is_tried_again_after_a_minute_and_then_arrives(
    region, committed, cx_lead, owner, store_a
):
    with Receiver(statuses=[500, 200]) as flaky:
        Webhook.objects.create(team=region, name="Ops", url=flaky.url, events=ALL_EVENTS)
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            committed(lambda: new_action(cx_lead, owner, store_a))
            delivery = WebhookDelivery.objects.get()
            assert (delivery.state, delivery.response_status) == ("pending", 500)
            assert delivery.due_at == timezone.now() + dt.timedelta(minutes=1)

            assert tasks.send_due_webhooks() == 0
            traveller.shift(dt.timedelta(minutes=1))
            assert tasks.send_due_webhooks() == 1

    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.response_status) == ("sent", 2, 200)
    assert len(flaky.received) == 2
    assert flaky.received[0].body == flaky.received[1].body


def test_a_receiver_that_keeps_failing_is_given_up_on_after_about_a_day(
    region, committed, cx_lead, owner, store_a
):
    with Receiver(statuses=[503]) as broken:
        Webhook.objects.create(team=region, name="Ops", url=broken.url, events=["action.created"])
        start = timezone.now()
        with time_machine.travel(start, tick=False) as traveller:
            committed(lambda: new_action(cx_lead, owner, store_a))
            delivery = WebhookDelivery.objects.get()
            while delivery.state == WebhookDelivery.State.PENDING:
                traveller.move_to(delivery.due_at)
                tasks.send_due_webhooks()
                delivery.refresh_from_db()
            gave_up_after = timezone.now() - start

    assert delivery.state == WebhookDelivery.State.FAILED
    assert delivery.attempts == len(webhooks.RETRY_MINUTES) + 1
    assert dt.timedelta(hours=20) < gave_up_after < dt.timedelta(hours=25)


def test_a_redirect_is_not_followed(region, committed, cx_lead, owner, store_a):
    with Receiver() as elsewhere, Receiver(statuses=[307], redirect_to="") as moved:
        moved.redirect_to = elsewhere.url
        Webhook.objects.create(team=region, name="Ops", url=moved.url, events=ALL_EVENTS)
        committed(lambda: new_action(cx_lead, owner, store_a))

    assert elsewhere.received == []
    assert WebhookDelivery.objects.get().response_status == 307


def test_an_unreachable_receiver_is_recorded_and_retried(
    region, committed, cx_lead, owner, store_a
):
    with Receiver() as gone:
        url = gone.url
    Webhook.objects.create(team=region, name="Ops", url=url, events=ALL_EVENTS)

    committed(lambda: new_action(cx_lead, owner, store_a))

    delivery = WebhookDelivery.objects.get()
    assert delivery.state == WebhookDelivery.State.PENDING
    assert delivery.response_status is None
    assert delivery.response_excerpt.startswith("Not delivered")


@pytest.mark.parametrize(
    ("format", "key"), [(Webhook.Format.SLACK, "text"), (Webhook.Format.TEAMS, "summary")]
)
def test_a_chat_channel_gets_one_line_with_a_link(
    format, key, receiver, committed, region, cx_lead, owner, store_a
):
    Webhook.objects.create(
        team=region, name="Chat", url=receiver.url, format=format, events=ALL_EVENTS
    )

    action = committed(lambda: new_action(cx_lead, owner, store_a))

    line = receiver.received[0].json[key]
    assert line.startswith(f"Action “Fix the lift” was created (Store A, owner {owner},")
    assert line.endswith(f"/insights/actions/{action.pk}/")


def test_a_delivery_claimed_by_one_sender_is_not_sent_by_another(
    hook, receiver, cx_lead, owner, store_a
):
    with transaction.atomic():
        new_action(cx_lead, owner, store_a)
    delivery = WebhookDelivery.objects.get()

    assert webhooks.claim(delivery.pk, timezone.now()) is not None
    assert webhooks.deliver(delivery.pk) == "not due"
    assert receiver.received == []


def test_an_observation_captured_offline_later_is_one_event(
    hook, receiver, committed, manager, store_a
):
    session = factories.SessionFactory(team=store_a, lead=manager)
    observation = committed(lambda: factories.ObservationFactory(session=session, author=manager))
    committed(lambda: Observation.objects.get(pk=observation.pk).save())

    assert events(receiver) == ["observation.recorded"]


def test_a_missed_session_is_sent_to_its_teams_channel(
    hook, receiver, committed, manager, store_a, settings
):
    from immersion import tasks as immersion_tasks

    late = timezone.now() - settings.MISSED_SESSION_GRACE - dt.timedelta(hours=2)
    session = factories.SessionFactory(
        team=store_a, lead=manager, planned_start=late - dt.timedelta(hours=1), planned_end=late
    )

    committed(immersion_tasks.mark_missed_sessions)

    [request] = receiver.received
    body = request.json
    assert body["event"] == "session.missed"
    assert body["data"]["session"]["id"] == session.pk
    assert body["data"]["session"]["lead"] == str(manager)


def test_a_channel_gets_one_morning_summary_of_what_waits_for_triage(
    receiver, committed, region, manager, store_a, store_b, other_manager
):
    Webhook.objects.create(
        team=store_a, name="A", url=receiver.url, format="slack", events=["observations.waiting"]
    )
    walk = factories.SessionFactory(team=store_a, lead=manager)
    for _ in range(3):
        factories.ObservationFactory(session=walk, author=manager)
    elsewhere = factories.SessionFactory(team=store_b, lead=other_manager)
    factories.ObservationFactory(session=elsewhere, author=other_manager)

    committed(tasks.summarise_waiting_observations)
    committed(tasks.summarise_waiting_observations)

    [request] = receiver.received
    line = request.json["text"]
    assert line.startswith("3 observations at Store A waiting for triage, the oldest from ")
    assert line.endswith(f"/insights/triage/?team={store_a.pk}")


def test_no_summary_is_sent_when_nothing_waits(hook, receiver, committed):
    Webhook.objects.filter(pk=hook.pk).update(events=["observations.waiting"])

    committed(tasks.summarise_waiting_observations)

    assert receiver.received == []
