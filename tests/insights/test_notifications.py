import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.utils import timezone

from insights import tasks
from insights.models import Action, Notification
from tests import factories
from tests.insights.helpers import in_days

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


@pytest.fixture
def make_action(owner, store_a, cx_lead, django_capture_on_commit_callbacks):
    def make(due_in_days: int, **fields) -> Action:
        with django_capture_on_commit_callbacks(execute=True):
            return Action.create(
                by=cx_lead,
                title=fields.pop("title", f"Due in {due_in_days}"),
                owner=fields.pop("owner", owner),
                team=store_a,
                due_on=in_days(due_in_days),
                **fields,
            )

    return make


def test_assignment_mails_the_owner_once_the_action_is_committed(
    owner, store_a, cx_lead, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        action = Action.create(
            by=cx_lead, title="Fix the lift", owner=owner, team=store_a, due_on=in_days(4)
        )
        assert mailoutbox == []

    for callback in callbacks:
        callback()

    assert [m.to for m in mailoutbox] == [[owner.email]]
    assert "New action for you: Fix the lift" in mailoutbox[0].subject
    assert f"/insights/actions/{action.pk}/" in mailoutbox[0].body
    assert Notification.objects.get().state == Notification.State.SENT


def test_assignment_is_sent_even_to_owners_who_turned_reminders_off(owner, make_action, mailoutbox):
    owner.reminder_emails = False
    owner.save()

    make_action(4)

    assert len(mailoutbox) == 1


def test_reassignment_mails_the_new_owner(
    make_action, owner, cx_lead, store_a, mailoutbox, django_capture_on_commit_callbacks
):
    action = make_action(4)
    new_owner = factories.UserFactory(teams=[store_a])

    with django_capture_on_commit_callbacks(execute=True):
        action.edit(by=cx_lead, owner=new_owner)

    assert [m.to for m in mailoutbox] == [[owner.email], [new_owner.email]]


def test_nothing_is_sent_when_the_change_is_rolled_back(
    owner, store_a, cx_lead, mailoutbox, django_capture_on_commit_callbacks
):
    from django.db import transaction

    def fail_after_creating():
        with transaction.atomic():
            Action.create(by=cx_lead, title="Gone", owner=owner, team=store_a, due_on=in_days(4))
            raise RuntimeError("the request failed after creating it")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        fail_after_creating()

    assert callbacks == []
    assert mailoutbox == []


def test_due_soon_reminder_is_sent_once_per_due_date(make_action, mailoutbox):
    action = make_action(2)
    mailoutbox.clear()

    first = tasks.send_due_soon_reminders()
    second = tasks.send_due_soon_reminders()

    assert (first, second) == (1, 0)
    assert [m.subject for m in mailoutbox] == [f"Due {action.due_on:%d %b}: {action.title}"]


def test_due_soon_ignores_actions_due_later_or_finished(make_action, owner, mailoutbox):
    make_action(10)
    dropped = make_action(1)
    dropped.drop(by=dropped.created_by, reason="Not needed.")
    mailoutbox.clear()

    assert tasks.send_due_soon_reminders() == 0
    assert mailoutbox == []


def test_overdue_reminder_goes_once_a_day(make_action, mailoutbox):
    make_action(-1)
    mailoutbox.clear()

    tasks.send_overdue_reminders()
    tasks.send_overdue_reminders()
    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):
        tasks.send_overdue_reminders()

    assert len(mailoutbox) == 2
    assert all(m.subject.startswith("Overdue since") for m in mailoutbox)


def test_owners_who_turned_reminders_off_get_no_reminders(make_action, owner, mailoutbox):
    owner.reminder_emails = False
    owner.save()
    make_action(-1)
    make_action(1)
    mailoutbox.clear()

    tasks.send_overdue_reminders()
    tasks.send_due_soon_reminders()

    assert mailoutbox == []


def test_escalation_reaches_the_creating_cx_lead_after_the_configured_days(
    make_action, cx_lead, settings, mailoutbox
):
    settings.ACTION_ESCALATION_DAYS = 3
    action = make_action(1)
    mailoutbox.clear()
    start = timezone.now()

    with time_machine.travel(start + dt.timedelta(days=3)):  # two days overdue
        assert tasks.escalate_overdue_actions() == 0
    with time_machine.travel(start + dt.timedelta(days=4)):  # three days overdue
        assert tasks.escalate_overdue_actions() == 1
    with time_machine.travel(start + dt.timedelta(days=9)):
        assert tasks.escalate_overdue_actions() == 0

    assert [m.to for m in mailoutbox] == [[cx_lead.email]]
    assert mailoutbox[0].subject == f"Overdue 3 days, please chase: {action.title}"


def test_escalation_goes_to_every_lead_over_the_team_when_the_creator_moved_on(
    make_action, cx_lead, region, mailoutbox
):
    action = make_action(-10)
    other_lead = factories.CxLeadFactory(teams=[region])
    cx_lead.groups.clear()
    mailoutbox.clear()

    tasks.escalate_overdue_actions()

    assert [m.to for m in mailoutbox] == [[other_lead.email]]
    assert action.title in mailoutbox[0].subject


def test_a_second_claim_of_the_same_notification_gets_nothing(action, owner):
    first = tasks.claim(action.pk, Kind.OVERDUE, owner.pk, "day:2026-11-27")
    second = tasks.claim(action.pk, Kind.OVERDUE, owner.pk, "day:2026-11-27")

    assert first is not None
    assert second is None
    assert Notification.objects.filter(kind=Kind.OVERDUE).count() == 1


def test_a_failed_send_is_marked_and_a_later_run_sends_it_once(make_action, mailoutbox):
    make_action(-1)
    mailoutbox.clear()

    with mock.patch("insights.tasks.send_mail", side_effect=OSError("SMTP down")):
        tasks.send_overdue_reminders()
    failed = Notification.objects.get(kind=Kind.OVERDUE)
    assert failed.state == Notification.State.FAILED
    assert "SMTP down" in failed.last_error

    assert tasks.retry_failed_notifications() == 1
    assert tasks.retry_failed_notifications() == 0

    sent = Notification.objects.get(kind=Kind.OVERDUE)
    assert sent.state == Notification.State.SENT
    assert sent.attempts > 1
    assert len(mailoutbox) == 1


def test_a_claim_abandoned_by_a_dead_worker_is_taken_over_later(action, owner):
    tasks.claim(action.pk, Kind.OVERDUE, owner.pk, "day:x")

    with time_machine.travel(timezone.now() + tasks.ABANDONED_AFTER + dt.timedelta(minutes=1)):
        taken = tasks.claim(action.pk, Kind.OVERDUE, owner.pk, "day:x")

    assert taken is not None
    assert taken.attempts == 2


def test_beat_runs_every_notification_task(settings):
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert {
        "insights.tasks.send_due_soon_reminders",
        "insights.tasks.send_overdue_reminders",
        "insights.tasks.escalate_overdue_actions",
        "insights.tasks.retry_failed_notifications",
    } <= scheduled


def test_a_reminder_for_an_action_finished_since_the_scan_is_not_sent(action, owner, mailoutbox):
    action.drop(by=action.created_by, reason="Not needed any more.")

    result = tasks.send_notification(action.pk, Kind.OVERDUE, owner.pk, "day:2026-11-27")

    assert result == "no longer needed"
    assert mailoutbox == []
    assert not Notification.objects.filter(kind=Kind.OVERDUE).exists()


def test_an_assignment_mail_is_not_sent_to_someone_no_longer_the_owner(
    action, owner, cx_lead, store_a, mailoutbox
):
    action.edit(by=cx_lead, owner=factories.UserFactory(teams=[store_a]))

    result = tasks.send_notification(action.pk, Kind.ASSIGNED, owner.pk, "event:1")

    assert result == "no longer needed"
    assert mailoutbox == []


def test_assigning_an_action_to_yourself_sends_no_mail(
    cx_lead, store_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Action.create(
            by=cx_lead, title="I will do it", owner=cx_lead, team=store_a, due_on=in_days(3)
        )

    assert mailoutbox == []


def test_an_owner_who_chose_french_is_mailed_in_french(make_action, owner, mailoutbox):
    type(owner).objects.filter(pk=owner.pk).update(language="fr")
    owner.refresh_from_db()

    make_action(4, title="Réparer l’ascenseur")

    message = mailoutbox[0]
    assert message.subject == "Nouvelle action pour vous : Réparer l’ascenseur"
    assert "Vous êtes désormais porteur de cette action de suivi." in message.body
    assert "Porteur : " in message.body
    assert "Équipe : " in message.body
