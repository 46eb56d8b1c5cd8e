"""Escalation steps on real PostgreSQL and Redis, scanned by two workers at once."""

import pytest

from insights import tasks
from insights.models import Action, ActionEvent, EscalationStep, Notification, ServicePolicy
from tests import factories
from tests.insights.helpers import in_days
from tests.services.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)
Recipient = EscalationStep.Recipient


def test_two_workers_scanning_repeatedly_send_each_escalation_step_once(
    owner, store_a, region, cx_lead, celery_worker_factory, tmp_path
):
    country = factories.RegionFactory(name="Country")
    region.parent = country
    region.save()
    upper_lead = factories.CxLeadFactory(teams=[country])
    policy = ServicePolicy.objects.create(
        priority=Action.Priority.HIGH, days_to_due=5, reminder_days=0
    )
    policy.steps.create(days_after_due=0, recipient=Recipient.OWNER)
    policy.steps.create(days_after_due=2, recipient=Recipient.TEAM_CX_LEAD)
    policy.steps.create(days_after_due=7, recipient=Recipient.UPPER_CX_LEAD)
    action = factories.ActionFactory(
        owner=owner, team=store_a, priority=Action.Priority.HIGH, due_on=in_days(-8)
    )
    outbox = tmp_path / "mail"
    outbox.mkdir()
    for _ in range(2):
        # django-environ drops one slash of the path: four make it absolute.
        celery_worker_factory(concurrency=2, EMAIL_URL=f"filemail:///{outbox.as_posix()}")

    for _ in range(4):
        tasks.escalate_overdue_actions.delay()

    sent = Notification.objects.filter(kind=Notification.Kind.ESCALATION, state="sent")
    wait_for(lambda: sent.count() == 3, 60, "the workers never sent the three steps")
    events = ActionEvent.objects.filter(action=action, kind=ActionEvent.Kind.ESCALATED)
    wait_for(lambda: events.count() == 3, 30, "the steps were not all recorded")
    assert sorted(sent.values_list("recipient_id", flat=True)) == sorted(
        [owner.pk, cx_lead.pk, upper_lead.pk]
    )
    recipients = [
        line
        for path in outbox.glob("*.log")
        for line in path.read_text().splitlines()
        if line.startswith("To: ")
    ]
    assert sorted(recipients) == sorted(f"To: {u.email}" for u in (owner, cx_lead, upper_lead))
