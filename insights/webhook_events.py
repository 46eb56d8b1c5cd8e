"""What the site tells webhooks, read off the records every change already writes.

Every change to an action writes an ``ActionEvent`` in its own transaction, a session's
change a ``SessionEvent``, an overdue notice a ``Notification``, and an observation is a
row of its own; listening to
those saves puts each delivery in the same transaction as the change it reports, and
keeps the journal free of any knowledge of webhooks.
"""

from django.db.models.signals import post_save

from immersion.models import ImmersionSession, SessionEvent
from insights import webhooks
from insights.models import Action, ActionEvent, Notification
from journal.models import Observation

FINISHED = {Action.Status.DONE, Action.Status.VERIFIED, Action.Status.DROPPED}
STATUS_EVENTS = {
    Action.Status.IN_PROGRESS: "action.started",
    Action.Status.DONE: "action.done",
    Action.Status.VERIFIED: "action.verified",
    Action.Status.DROPPED: "action.dropped",
}
KIND_EVENTS = {
    ActionEvent.Kind.CREATED: "action.created",
    ActionEvent.Kind.ASSIGNED: "action.assigned",
    ActionEvent.Kind.ESCALATED: "action.escalated",
}


def event_of(record: ActionEvent) -> str | None:
    if record.kind != ActionEvent.Kind.STATUS:
        return KIND_EVENTS.get(record.kind)
    if record.old_value in FINISHED and record.new_value not in FINISHED:
        return "action.reopened"
    return STATUS_EVENTS.get(record.new_value)


def action_changed(sender, instance: ActionEvent, created: bool, **kwargs) -> None:
    event = event_of(instance) if created else None
    if event is None:
        return
    action = instance.action
    change = {
        "from": instance.old_value or None,
        "to": instance.new_value or None,
        "note": instance.note or None,
        "by": str(instance.actor) if instance.actor_id else None,
    }
    webhooks.queue(event, action.team, webhooks.action_data(action, change))


def overdue_noticed(sender, instance: Notification, created: bool, **kwargs) -> None:
    # One overdue notice goes to the owner per day; the channel hears of it once.
    if not created or instance.kind != Notification.Kind.OVERDUE:
        return
    action = instance.action
    if Notification.objects.filter(action=action, kind=instance.kind).count() > 1:
        return
    webhooks.queue("action.overdue", action.team, webhooks.action_data(action))


def observation_saved(sender, instance: Observation, created: bool, update_fields, **kwargs):
    if created:
        event = "observation.recorded"
    elif update_fields and "triage_state" in update_fields:
        event = "observation.triaged"
    else:
        return
    team = instance.session.team
    webhooks.queue(event, team, webhooks.observation_data(instance))


def session_missed(sender, instance: SessionEvent, created: bool, **kwargs) -> None:
    if not created or instance.to_status != ImmersionSession.Status.MISSED:
        return
    session = instance.session
    webhooks.queue("session.missed", session.team, webhooks.session_data(session))


def connect() -> None:
    post_save.connect(action_changed, sender=ActionEvent, dispatch_uid="webhooks-action")
    post_save.connect(overdue_noticed, sender=Notification, dispatch_uid="webhooks-overdue")
    post_save.connect(observation_saved, sender=Observation, dispatch_uid="webhooks-observation")
    post_save.connect(session_missed, sender=SessionEvent, dispatch_uid="webhooks-session")
