"""Service-level policies: reminders and each escalation step, moved through time."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from insights import tasks
from insights.forms import NewActionForm, default_due_on
from insights.models import Action, ActionEvent, EscalationStep, Notification, ServicePolicy
from tests import factories
from tests.insights.helpers import in_days

pytestmark = pytest.mark.django_db
Kind = Notification.Kind
Recipient = EscalationStep.Recipient
START = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def country(region):
    """A top-level team above the cast's region, with a CX lead of its own."""
    top = factories.RegionFactory(name="Country")
    region.parent = top
    region.save()
    return top


@pytest.fixture
def upper_lead(country):
    return factories.CxLeadFactory(username="upper_lead", teams=[country])


@pytest.fixture
def high_policy():
    """Step 1 the owner at the due date, step 2 their CX lead 2 days on, step 3 the one above 7."""
    policy = ServicePolicy.objects.create(
        priority=Action.Priority.HIGH, days_to_due=5, reminder_days=1
    )
    policy.steps.create(days_after_due=0, recipient=Recipient.OWNER)
    policy.steps.create(days_after_due=2, recipient=Recipient.TEAM_CX_LEAD)
    policy.steps.create(days_after_due=7, recipient=Recipient.UPPER_CX_LEAD)
    return policy


@pytest.fixture
def late_action(owner, store_a, cx_lead, upper_lead, high_policy):
    with time_machine.travel(START, tick=False):
        return factories.ActionFactory(
            owner=owner,
            team=store_a,
            created_by=cx_lead,
            priority=Action.Priority.HIGH,
            due_on=timezone.localdate() + dt.timedelta(days=5),
        )


def escalate_on(day: int) -> tuple[int, list]:
    """Run the escalation scan `day` days after the late action's due date."""
    with time_machine.travel(START + dt.timedelta(days=5 + day), tick=False):
        count = tasks.escalate_overdue_actions()
    return count, [m.to[0] for m in mail.outbox]


def test_step_one_reaches_the_owner_on_the_due_date(late_action, owner, mailoutbox):
    assert escalate_on(-1) == (0, [])
    count, sent_to = escalate_on(0)

    assert count == 1
    assert sent_to == [owner.email]
    assert mailoutbox[0].subject == f"Due today, not done yet: {late_action.title}"


def test_step_two_reaches_the_owners_cx_lead_two_days_after(
    late_action, owner, cx_lead, mailoutbox
):
    escalate_on(0)
    assert escalate_on(1) == (0, [owner.email])

    count, sent_to = escalate_on(2)

    assert count == 1
    assert sent_to == [owner.email, cx_lead.email]
    assert mailoutbox[1].subject == f"Overdue 2 days, please chase: {late_action.title}"


def test_step_three_reaches_the_cx_lead_of_the_team_above_seven_days_after(
    late_action, owner, cx_lead, upper_lead, mailoutbox
):
    escalate_on(0)
    escalate_on(2)
    assert escalate_on(6)[0] == 0

    count, sent_to = escalate_on(7)

    assert count == 1
    assert sent_to == [owner.email, cx_lead.email, upper_lead.email]


def test_each_step_is_sent_once_however_often_the_scan_runs(late_action, mailoutbox):
    for day in range(12):
        escalate_on(day)
        escalate_on(day)

    assert len(mailoutbox) == 3
    assert Notification.objects.filter(kind=Kind.ESCALATION).count() == 3


def test_a_scan_that_starts_late_sends_every_step_already_due(late_action, mailoutbox):
    assert escalate_on(9)[0] == 3


def test_each_step_sent_is_recorded_on_the_actions_history(
    late_action, owner, cx_lead, upper_lead, mailoutbox
):
    escalate_on(9)

    events = late_action.events.filter(kind=ActionEvent.Kind.ESCALATED).order_by("pk")
    assert [e.new_value for e in events] == [str(owner), str(cx_lead), str(upper_lead)]
    assert all(e.actor is None for e in events)
    assert "the CX lead of the team above, 7 days after the due date" in events[2].note


def test_an_escalation_makes_no_open_form_stale(late_action, owner):
    version = Action.objects.get(pk=late_action.pk).version

    escalate_on(2)
    with time_machine.travel(START + dt.timedelta(days=8), tick=False):
        late_action.start(by=owner, version=version)

    assert Action.objects.get(pk=late_action.pk).status == Action.Status.IN_PROGRESS


def test_a_finished_action_is_not_escalated(late_action, owner, mailoutbox):
    with time_machine.travel(START, tick=False):
        late_action.drop(by=late_action.created_by, reason="Not needed.")

    assert escalate_on(9) == (0, [])


def test_a_new_due_date_starts_the_steps_again(late_action, owner, cx_lead, mailoutbox):
    escalate_on(2)
    with time_machine.travel(START + dt.timedelta(days=7), tick=False):
        late_action.edit(by=cx_lead, due_on=timezone.localdate() + dt.timedelta(days=1))

    count, _ = escalate_on(3)

    assert count == 1
    assert mailoutbox[-1].to == [owner.email]


def test_the_team_above_step_finds_no_one_when_no_lead_is_higher(
    owner, store_a, cx_lead, high_policy, mailoutbox
):
    # The cast's region is top-level: its CX lead has nobody above.
    factories.ActionFactory(
        owner=owner, team=store_a, priority=Action.Priority.HIGH, due_on=in_days(-9)
    )

    assert tasks.escalate_overdue_actions() == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([owner.email, cx_lead.email])


def test_a_priority_without_a_policy_escalates_by_the_settings(
    owner, store_a, cx_lead, settings, mailoutbox
):
    settings.ACTION_ESCALATION_DAYS = 4
    factories.ActionFactory(owner=owner, team=store_a, due_on=in_days(-3))
    assert tasks.escalate_overdue_actions() == 0

    factories.ActionFactory(owner=owner, team=store_a, due_on=in_days(-4))
    assert tasks.escalate_overdue_actions() == 1
    assert mailoutbox[0].to == [cx_lead.email]


def test_the_reminder_comes_the_policys_days_before_the_due_date(late_action, owner, mailoutbox):
    # The high policy reminds one day before: day 5 after creation is the due date.
    with time_machine.travel(START + dt.timedelta(days=3), tick=False):
        assert tasks.send_due_soon_reminders() == 0
    with time_machine.travel(START + dt.timedelta(days=4), tick=False):
        assert tasks.send_due_soon_reminders() == 1
        assert tasks.send_due_soon_reminders() == 0

    assert [m.subject for m in mailoutbox] == [
        f"Due {late_action.due_on:%d %b}: {late_action.title}"
    ]


def test_a_policy_with_no_reminder_days_sends_no_reminder(late_action, high_policy, mailoutbox):
    high_policy.reminder_days = 0
    high_policy.save()

    with time_machine.travel(START + dt.timedelta(days=5), tick=False):
        assert tasks.send_due_soon_reminders() == 0


def test_a_priority_without_a_policy_is_reminded_by_the_settings(owner, store_a, settings):
    settings.ACTION_DUE_SOON_DAYS = 3
    factories.ActionFactory(owner=owner, team=store_a, due_on=in_days(3))
    factories.ActionFactory(owner=owner, team=store_a, due_on=in_days(4))

    assert tasks.send_due_soon_reminders() == 1


def test_the_due_date_defaults_from_the_priority_policy(cx_lead, high_policy):
    ServicePolicy.objects.create(priority=Action.Priority.NORMAL, days_to_due=10, reminder_days=2)

    assert default_due_on() == in_days(10)
    assert default_due_on(Action.Priority.HIGH) == in_days(5)


def test_the_due_date_defaults_by_the_code_default_without_a_policy(cx_lead):
    assert default_due_on() == in_days(14)
    assert NewActionForm(user=cx_lead).initial["due_on"] == in_days(14)


def test_the_action_page_says_to_whom_and_when_it_was_escalated(
    late_action, cx_lead, client_as, mailoutbox
):
    escalate_on(0)
    escalate_on(2)

    with time_machine.travel(START + dt.timedelta(days=7), tick=False):
        page = client_as(cx_lead).get(reverse("insights:action-detail", args=[late_action.pk]))

    html = page.content.decode()
    assert f"escalated to {cx_lead} on 8 Dec 2026" in html
    assert "escalated to " + str(late_action.owner) + " on 6 Dec 2026" in html


def test_a_step_queued_for_an_old_due_date_is_not_sent(late_action, owner, cx_lead, mailoutbox):
    old_period = EscalationStep(recipient=Recipient.OWNER, days_after_due=0).period(
        late_action.due_on
    )
    late_action.edit(by=cx_lead, due_on=in_days(20))

    result = tasks.send_notification.apply(
        args=(late_action.pk, Kind.ESCALATION, owner.pk, old_period)
    ).get()

    assert result == "no longer needed"
    assert mailoutbox == []


def test_a_cx_lead_step_on_the_due_date_asks_to_chase(owner, store_a, cx_lead, mailoutbox):
    policy = ServicePolicy.objects.create(
        priority=Action.Priority.LOW, days_to_due=9, reminder_days=0
    )
    policy.steps.create(days_after_due=0, recipient=Recipient.TEAM_CX_LEAD)
    action = factories.ActionFactory(
        owner=owner, team=store_a, priority=Action.Priority.LOW, due_on=in_days(0)
    )

    tasks.escalate_overdue_actions()

    assert [m.subject for m in mailoutbox] == [
        f"Due today, not done yet, please chase: {action.title}"
    ]
    assert f"Please check with {owner} what is holding it up." in mailoutbox[0].body
