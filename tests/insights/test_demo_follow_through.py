"""The demo's follow-through: policies, escalations on late actions, Grace's queue to verify."""

import io
import random

import pytest
from django.utils import timezone

from immersion.models import User
from insights import demo, tasks
from insights.models import ActionEvent, Notification, ServicePolicy
from insights.views.verification import waiting_for
from tests.insights.test_demo import demo_observations  # noqa: F401 - the shared demo fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(demo_observations):  # noqa: F811 - the fixture imported above
    demo.seed(io.StringIO(), random.Random(2))


def test_the_demo_keeps_policies_for_high_and_urgent(seeded):
    policies = ServicePolicy.objects.order_by("priority")

    assert [p.get_priority_display() for p in policies] == ["High", "Urgent"]
    assert all(len(p.ordered_steps()) == 3 for p in policies)


def test_late_demo_actions_show_escalations_in_their_past_history(seeded):
    events = ActionEvent.objects.filter(kind=ActionEvent.Kind.ESCALATED)

    assert events.exists()
    assert all(e.at <= timezone.now() for e in events)
    assert Notification.objects.filter(kind="escalation", state="sent").count() == events.count()
    for action_id in events.values_list("action_id", flat=True).distinct():
        times = list(
            ActionEvent.objects.filter(action_id=action_id)
            .order_by("pk")
            .values_list("at", flat=True)
        )
        assert times == sorted(times)


def test_the_scan_does_not_send_the_demos_escalations_again(seeded, mailoutbox):
    rows = Notification.objects.filter(kind="escalation")
    recorded = {n.pk: (n.sent_at, n.attempts) for n in rows}

    sent = tasks.escalate_overdue_actions()

    assert {n.pk: (n.sent_at, n.attempts) for n in rows.filter(pk__in=recorded)} == recorded
    assert rows.exclude(pk__in=recorded).count() == sent == len(mailoutbox)


def test_grace_has_done_actions_waiting_for_her_to_verify(seeded):
    grace = User.objects.get(username="grace")

    assert waiting_for(grace).count() >= 2


def test_a_second_demo_run_adds_no_escalation(seeded):
    before = ActionEvent.objects.filter(kind=ActionEvent.Kind.ESCALATED).count()

    demo.seed(io.StringIO(), random.Random(3))

    assert ActionEvent.objects.filter(kind=ActionEvent.Kind.ESCALATED).count() == before


def test_the_demo_has_a_paused_chat_webhook_and_sent_nothing(seeded):
    from insights.models import Webhook, WebhookDelivery

    hook = Webhook.objects.get()
    assert (hook.format, hook.active) == (Webhook.Format.SLACK, False)
    assert not WebhookDelivery.objects.exists()
