"""Demo promises and reports from customers, in each state a customer can look one up in.

Two promises: the organisation's (in its second version, so the public page has an earlier
one to show) and one store's own. Reports are filed through the public form's own service,
then linked to demo actions of their team, each sent a few days before its action was made:
put right, being put right; others were looked at with no change needed, or just received.
Nothing is made when a promise exists already, so a second run adds nothing.
"""

import datetime as dt

from django.utils import timezone

from insights.customer_reports import file_report
from insights.models import Action, CustomerReport, Promise
from journal.models import Observation

ORGANISATION_PROMISE = {
    "title": "We answer you, and put it right",
    "can_count_on": "A person reads every report you send us and answers you.",
    "we_expect": "Tell us where and when it happened, and how we can reach you if you "
    "want an answer.",
    "if_we_fail": "If we miss our own deadline, the manager of the place calls you "
    "in person to say what went wrong and when it will be put right.",
    "answer_within_days": 3,
    "put_right_within_days": 30,
}
# The first version, kept readable on the public page after the second replaced it.
FIRST_VERSION = {**ORGANISATION_PROMISE, "answer_within_days": 5, "put_right_within_days": 45}
STORE_PROMISE = {
    "title": "Someone at the collection desk",
    "can_count_on": "The collection desk is staffed whenever the store is open.",
    "we_expect": "Bring your order number or the e-mail we sent you.",
    "if_we_fail": "Your order is carried to your car, and delivery next time is free.",
    "answer_within_days": 1,
    "put_right_within_days": 7,
}
REPORTS = [
    ("put_right", "The collection desk was empty for twenty minutes on Saturday."),
    ("put_right", "I was told the refund would take a week; it took five."),
    ("put_right", "The lift to the car park was out of order, with a pram."),
    ("being_put_right", "My delivery came without the parts listed on the box."),
    ("being_put_right", "Nobody answered the phone line for an hour."),
    ("no_action", "The store closed five minutes early."),
    ("received", "The card machine at the till refused contactless twice."),
    ("received", "The receipt did not show the discount I was promised."),
]


def seed(lead, rng) -> None:
    if Promise.objects.exists():
        return
    promise = Promise.objects.create()
    versions = [
        promise.revise(by=lead, **FIRST_VERSION),
        promise.revise(by=lead, **ORGANISATION_PROMISE),
    ]
    for version, days_ago in zip(versions, (240, 90), strict=True):
        version.created_at = timezone.now() - dt.timedelta(days=days_ago)
        version.save(update_fields=["created_at"])
    actions = list(
        Action.objects.filter(team__in=lead.scope_team_ids)
        .exclude(status=Action.Status.DROPPED)
        .select_related("team")
        .order_by("created_at", "pk")
    )
    if not actions:
        return
    store = actions[0].team
    Promise.objects.create(team=store).revise(by=lead, **STORE_PROMISE)
    finished = [a for a in actions if a.done_at]
    open_ = [a for a in actions if a.status in Action.UNFINISHED]
    for n, (state, words) in enumerate(REPORTS):
        pool = finished if state == "put_right" else open_
        action = pool[n % len(pool)] if pool and state != "received" else None
        team = action.team if action else store
        _report(state, words, team, action, versions, lead, rng)


def _report(state, words, team, action, versions, lead, rng) -> None:
    now = timezone.now()
    if action is not None:
        # Sent a few days before the action it led to was made.
        sent = action.created_at - dt.timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 9))
    else:
        sent = now - dt.timedelta(days=rng.randint(1, 6) if state == "received" else 12)
    # Measured against the version in force when the customer wrote.
    version = versions[1] if sent >= versions[1].created_at else versions[0]
    report = file_report(
        team=team,
        what_happened=words,
        touchpoint="store",
        happened_on=timezone.localdate(sent),
        contact="customer@example.com" if state != "received" else "",
        promise_version=version,
    )
    CustomerReport.objects.filter(pk=report.pk).update(created_at=sent)
    fields = {"created_at": sent}
    if state != "received":
        # Triaged when its action was made, or within a few days when no action was needed.
        triaged = action.created_at if action else sent + dt.timedelta(days=rng.randint(1, 4))
        fields |= {"triaged_at": triaged, "triaged_by": lead}
    if state == "no_action":
        fields |= {
            "triage_state": Observation.TriageState.NO_ACTION,
            "triage_note": "Closing time is on the door; the staff were right to close.",
        }
    elif action is not None:
        fields["triage_state"] = Observation.TriageState.ACTIONED
        action.observations.add(report.observation)
    Observation.objects.filter(pk=report.observation_id).update(**fields)
