"""The webhooks' payloads as the schema describes them: every event, checked on real deliveries."""

import datetime as dt

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft202012Validator

from insights import tasks, triage, webhooks
from insights.models import Action, Webhook, WebhookDelivery
from tests import factories
from tests.insights.helpers import done, in_days

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def described():
    """Each event's payload schema, from the schema the API serves."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = {}
    for hook in schema["webhooks"].values():
        body = hook["post"]["requestBody"]["content"]["application/json"]["schema"]
        for event in body["properties"]["event"]["enum"]:
            found[event] = body
    return found


@pytest.fixture
def deliveries(region, store_a, cx_lead, owner, manager):
    """One delivery of every event, made by the code that makes them on the site."""
    hook = Webhook.objects.create(
        team=region,
        name="Everything",
        url="http://127.0.0.1:9/",
        events=list(webhooks.EVENTS),
        created_by=cx_lead,
    )
    action = Action.create(
        by=cx_lead, title="Fix the lift", owner=owner, team=store_a, due_on=in_days(5)
    )
    action.edit(by=cx_lead, owner=manager)
    done(action, manager)
    action.verify(by=cx_lead)
    action.reopen(by=cx_lead, reason="The lift broke again")
    action.drop(by=cx_lead, reason="The lift is replaced instead")
    late = Action.create(by=cx_lead, title="Signs", owner=owner, team=store_a, due_on=in_days(5))
    Action.objects.filter(pk=late.pk).update(due_on=in_days(-2))
    tasks.send_overdue_reminders()
    late.record_escalation(to=cx_lead, note="Two days overdue")

    session = factories.SessionFactory(team=store_a, lead=manager)
    observation = factories.ObservationFactory(session=session, author=manager)
    triage.decide_no_action(observation, by=cx_lead, reason="Seen to already")
    factories.ObservationFactory(session=session, author=manager)
    missed = factories.SessionFactory(
        team=store_a, lead=manager, planned_start=timezone.now() - dt.timedelta(days=2)
    )
    missed.mark_missed()
    webhooks.summarise_waiting(timezone.localdate())
    webhooks.queue_ping(hook, cx_lead)
    return list(WebhookDelivery.objects.select_related("webhook"))


def test_every_event_has_its_payload_described(described):
    assert set(described) == set(webhooks.EVENTS) | {webhooks.PING}


def test_every_event_the_site_sends_matches_its_description(described, deliveries):
    sent = {delivery.event for delivery in deliveries}
    assert sent == set(webhooks.EVENTS) | {webhooks.PING}

    for delivery in deliveries:
        body = webhooks.render(Webhook.Format.JSON, delivery)
        errors = list(Draft202012Validator(described[delivery.event]).iter_errors(body))
        assert not errors, (delivery.event, [error.message for error in errors])
