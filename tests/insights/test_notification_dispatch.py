"""Assignment e-mails whose message never reached the broker are still sent, once.

The notification row is written pending with the change; the minutely sweep queues what
was never sent. Tests that post commit for real (``transaction=True``), so the publish
to a port where nothing listens happens where it does in production.
"""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from insights import tasks
from insights.models import Action, Notification
from tests import factories
from tests.insights.helpers import EVIDENCE, in_days, in_progress, jpeg_upload
from tests.services.brokers import closed_port_url, publishing_to

pytestmark = pytest.mark.django_db
State = Notification.State
A_MINUTE_LATER = dt.timedelta(minutes=1, seconds=1)


def create_action(cx_lead, owner, store_a) -> Action:
    return Action.create(
        by=cx_lead, title="Fix the lift", owner=owner, team=store_a, due_on=in_days(4)
    )


def test_the_assignment_is_recorded_pending_with_the_change(cx_lead, owner, store_a):
    action = create_action(cx_lead, owner, store_a)

    notification = Notification.objects.get()
    assert (notification.action, notification.recipient) == (action, owner)
    assert notification.state == State.PENDING
    assert notification.attempts == 0


@pytest.mark.django_db(transaction=True)
def test_an_assignment_made_while_the_broker_is_down_is_mailed_by_the_sweep(
    client_as, cx_lead, owner, store_a, mailoutbox
):
    action = factories.ActionFactory(owner=cx_lead, team=store_a, created_by=cx_lead)
    edit = reverse("insights:action-edit", args=[action.pk])
    form = client_as(cx_lead).get(edit).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}

    with publishing_to(closed_port_url()):
        response = client_as(cx_lead).post(edit, {**data, "owner": owner.pk})

    assert response.status_code == 302
    assert Action.objects.get(pk=action.pk).owner == owner
    assert Notification.objects.get().state == State.PENDING
    assert mailoutbox == []

    with time_machine.travel(A_MINUTE_LATER):
        assert tasks.send_pending_notifications() == 1
        assert tasks.send_pending_notifications() == 0

    assert [m.to for m in mailoutbox] == [[owner.email]]
    assert Notification.objects.get().state == State.SENT


def test_the_sweep_leaves_a_notification_just_recorded_alone(cx_lead, owner, store_a, mailoutbox):
    create_action(cx_lead, owner, store_a)

    assert tasks.send_pending_notifications() == 0
    assert mailoutbox == []


def test_a_pending_notification_is_sent_once_however_often_it_is_queued(
    cx_lead, owner, store_a, mailoutbox
):
    action = create_action(cx_lead, owner, store_a)
    key = Notification.objects.values_list("action", "kind", "recipient", "period").get()

    results = [tasks.send_notification(*key) for _ in range(2)]

    assert results == ["sent", "already sent"]
    assert len(mailoutbox) == 1
    assert Notification.objects.get(action=action).attempts == 1


def test_a_pending_assignment_no_longer_wanted_is_withdrawn(cx_lead, owner, store_a, mailoutbox):
    action = create_action(cx_lead, owner, store_a)
    key = Notification.objects.values_list("action", "kind", "recipient", "period").get()
    action.edit(by=cx_lead, owner=cx_lead)

    assert tasks.send_notification(*key) == "no longer needed"

    assert mailoutbox == []
    assert not Notification.objects.filter(recipient=owner).exists()
    with time_machine.travel(A_MINUTE_LATER):
        assert tasks.send_pending_notifications() == 0


def test_the_pending_sweep_runs_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["insights-send-pending-notifications"]

    assert entry["task"] == "insights.tasks.send_pending_notifications"
    assert entry["schedule"] == dt.timedelta(minutes=1)


@pytest.mark.django_db(transaction=True)
def test_completing_with_evidence_photos_while_the_broker_is_down_keeps_them(
    client_as, cx_lead, owner, store_a
):
    action = factories.ActionFactory(owner=owner, team=store_a, created_by=cx_lead)
    in_progress(action, owner)
    complete = reverse("insights:action-complete", args=[action.pk])

    with publishing_to(closed_port_url()):
        response = client_as(owner).post(
            complete, {"version": action.version, "note": EVIDENCE, "photos": [jpeg_upload()]}
        )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    photo = action.evidence_photos.get()
    assert photo.state == photo.State.PENDING
    assert photo.original.storage.exists(photo.original.name)
