"""Demo data for triage and actions: most demo observations end in an action with a history.

Observations of the same thing at the same team are one problem: the first becomes an
action (or, for something customers liked, "no action: keep doing it"), the next two are
linked to it, and later ones are marked duplicates of the first. The newest fifth of the
quarter's observations is left untriaged so the queue has work in it. Actions raised
before the quarter are closed by now; only the quarter's own are still under way.
Actions change through the same guarded methods as in real use; their timestamps are
then moved back over the weeks since the problem was first seen. Each team's first owner
is its default action owner. Nothing is made if the CX lead already created actions, so
a second run adds nothing.

High and urgent priorities get service-level policies of their own; the late actions whose
history had gone quiet before their steps came due show those escalations in their
history, as the daily scan would have sent them. The done actions wait in Grace's
verification queue.
"""

import datetime as dt

from django.utils import timezone

from immersion.demo import PROGRAMME_NAME
from immersion.models import Programme, Team, User
from insights import (
    demo_audits,
    demo_promises,
    demo_revisits,
    demo_themes,
    demo_webhooks,
    summaries,
    triage,
)
from insights.demo_public_photos import seed as seed_public_photos
from insights.escalation import CxLeadTree
from insights.models import (
    Action,
    ActionEvent,
    EscalationStep,
    Notification,
    ServicePolicy,
    TeamTriageSettings,
)
from journal.models import Observation

Status = Action.Status
Priority = Action.Priority
REOPENED = "reopened"

# A phrase of what was seen -> the action taken, how far it got, and for some the words of
# the public "you said, we did" page.
RESPONSES = [
    ("10 cm step", "Fit a ramp at the side entrance", Priority.URGENT, Status.VERIFIED,
     "I would have had to wait outside the side door for someone to help me in.",
     "The side entrance now has a permanent ramp and a call bell at seated height."),
    ("fitting rooms sign", "Re-hang the fitting-room signs after the refit", Priority.HIGH,
     Status.VERIFIED, "The fitting rooms sign sent me into the stockroom.",
     "Every sign was checked after the refit; the fitting rooms are signed from both doors."),
    ("Only one till open", "Open a second till whenever the queue passes five people",
     Priority.HIGH, Status.IN_PROGRESS),
    ("kettle", "Print the capacity on the kettle itself, not only on the box", Priority.LOW,
     Status.OPEN),
    ("clamshell", "Replace clamshell packs with ones that open by hand", Priority.NORMAL,
     Status.IN_PROGRESS),
    ("offer ended", "Take expired offer labels down first thing on Mondays", Priority.HIGH,
     Status.DONE),
    ("click and collect for six minutes", "Mend the collection bell and answer within two "
     "minutes", Priority.NORMAL, Status.VERIFIED),
    ("e-mail on his phone", "Accept e-mailed receipts for exchanges", Priority.HIGH, REOPENED),
    ("music and the announcements", "Pause the music during announcements near the tills",
     Priority.NORMAL, Status.DONE),
    ("QR code", "Point the shelf QR codes at the product page", Priority.NORMAL,
     Status.DROPPED),
    ("stored upstairs", "Keep click-and-collect parcels at the desk", Priority.NORMAL,
     Status.IN_PROGRESS),
    ("70 cm wide", "Keep a 120 cm aisle past seasonal displays", Priority.URGENT,
     Status.VERIFIED, "The aisle was too narrow for my wheelchair and there was no way round.",
     "Seasonal displays are planned with a 120 cm aisle, checked every morning."),
    ("Do you have a bag", "Add pictures to the self-checkout bag question", Priority.LOW,
     Status.OPEN),
    ("seven options", "Put \u201cspeak to someone\u201d first in the phone menu", Priority.HIGH,
     Status.IN_PROGRESS),
    ("adjustment", "Explain the \u201cadjustment\u201d line on the bill", Priority.NORMAL,
     Status.VERIFIED, "I thought the adjustment on my bill meant I had been overcharged.",
     "Bills now say in plain words what each adjustment is for."),
    ("transferred three times", "Pass the account number on with every transfer",
     Priority.HIGH, Status.DONE),
    ("5 working days", "Let customers add a photo when they report a fault by e-mail",
     Priority.NORMAL, Status.OPEN),
    ("Cancelling a subscription", "Let customers cancel a subscription online",
     Priority.URGENT, Status.IN_PROGRESS),
    ("next bill amount", "Tell every caller their next bill amount before the call ends",
     Priority.LOW, Status.VERIFIED),
    ("chat bot loops", "Hand the chat to a person after one \u201cthat didn't help\u201d",
     Priority.HIGH, Status.DONE),
    ("4-hour slots", "Offer two-hour engineer slots and evening visits", Priority.NORMAL,
     Status.DROPPED),
    ("old leaflet", "Take the old price leaflet off the website", Priority.HIGH,
     Status.VERIFIED),
]  # fmt: skip

OWNERS_BY_TEAM = {
    "Leeds Briggate": ["dan", "maria", "sam"],
    "York Coppergate": ["tom"],
    "Sheffield contact centre": ["priya"],
}
PROGRESS_NOTES = [
    "Spoke to the team at the morning huddle; trial starts on Monday.",
    "Supplier has the part on order, delivery next week.",
    "First week done and customers noticed straight away.",
    "Waiting for facilities to sign off the change.",
]
EVIDENCE = [
    "Done and checked on the floor on two different days.",
    "In place since last week; photos of the change are on the team board.",
    "Changed, and the team briefed at both shift handovers.",
]
RECURS_AFTER = dt.timedelta(weeks=6)
# priority -> days to due, reminder days, escalation steps (who, days after the due date)
POLICIES = {
    Priority.URGENT: (3, 1, [(EscalationStep.Recipient.OWNER, 0),
                             (EscalationStep.Recipient.TEAM_CX_LEAD, 1),
                             (EscalationStep.Recipient.UPPER_CX_LEAD, 5)]),
    Priority.HIGH: (7, 2, [(EscalationStep.Recipient.OWNER, 0),
                           (EscalationStep.Recipient.TEAM_CX_LEAD, 2),
                           (EscalationStep.Recipient.UPPER_CX_LEAD, 7)]),
}  # fmt: skip
# When the daily escalation scan runs (the beat schedule's 07:30).
SCAN_TIME = dt.time(7, 30)
KEEP_DOING = "Good practice: shared at the team huddle so it keeps happening."
NO_ACTION = "A one-off on the day; nothing to change."


def seed(out, rng) -> None:
    _seed(out, rng)
    # The demo backdates its rows with bulk updates, which mark nothing stale: the
    # dashboard's summary is computed whole once everything is in place.
    summaries.rebuild()


def _seed(out, rng) -> None:
    # The executive takes the monthly board pack, so its opt-in shows ticked.
    User.objects.filter(username="ed").update(board_pack_emails=True)
    lead = User.objects.filter(username="grace").first()
    if lead is None or Action.objects.filter(created_by=lead).exists():
        # A demo triaged before themes existed gets them on its next run.
        demo_themes.seed(out)
        return
    _seed_policies(lead)
    observations = list(
        triage.observations_in_scope(lead)
        .filter(triage_state=Observation.TriageState.UNTRIAGED)
        .select_related("session__team")
        .order_by("created_at", "pk")
    )
    quarter_start = (
        Programme.objects.filter(name=PROGRAMME_NAME).values_list("starts_on", flat=True).first()
    )
    # The newest fifth of the quarter stays in the queue: a CX lead triages from the oldest.
    in_quarter = sum(
        1
        for o in observations
        if quarter_start is None or timezone.localdate(o.created_at) >= quarter_start
    )
    observations = observations[: len(observations) - in_quarter // 5]
    people = {u.username: u for u in User.objects.filter(username__in=_owner_names())}
    _set_default_owners(lead, people)
    made = 0
    for group in _same_problem_groups(observations):
        made += _triage_group(group, lead, people, rng, quarter_start)
    if made:
        out.write(f"Triaged {len(observations)} demo observations into {made} actions.")
    _tell_the_newest(lead)
    escalated = _escalate_quiet_late_actions()
    if escalated:
        out.write(f"Recorded {escalated} escalations on late demo actions.")
    demo_themes.seed(out)
    demo_webhooks.seed(lead)
    demo_revisits.seed(out)
    demo_promises.seed(lead, rng)
    seed_public_photos(out, lead)
    demo_audits.seed(out, rng)


def _seed_policies(lead) -> None:
    for priority, (days_to_due, reminder_days, steps) in POLICIES.items():
        policy, created = ServicePolicy.objects.get_or_create(
            priority=priority,
            defaults={
                "days_to_due": days_to_due,
                "reminder_days": reminder_days,
                "updated_by": lead,
            },
        )
        if created:
            for recipient, days in steps:
                policy.steps.create(recipient=recipient, days_after_due=days)


def _escalate_quiet_late_actions() -> int:
    """The escalations the daily scan sent to late actions nobody had touched since.

    Each is recorded as sent, so the real scan does not send it again.
    """
    now = timezone.now()
    today = timezone.localdate()
    policies = ServicePolicy.all_by_priority()
    leads = CxLeadTree.load()
    people = {}
    count = 0
    for action in Action.objects.overdue(today).select_related("team").order_by("pk"):
        last_change = action.events.order_by("-at").values_list("at", flat=True).first()
        for step in policies[action.priority].ordered_steps():
            day = action.due_on + dt.timedelta(days=step.days_after_due)
            sent_at = timezone.make_aware(dt.datetime.combine(day, SCAN_TIME))
            if sent_at > now or (last_change and sent_at <= last_change):
                continue
            for recipient_id in leads.recipients(action, step.recipient):
                recipient = people.get(recipient_id) or User.objects.get(pk=recipient_id)
                people[recipient_id] = recipient
                Notification.objects.create(
                    action=action,
                    kind=Notification.Kind.ESCALATION,
                    recipient=recipient,
                    period=step.period(action.due_on),
                    state=Notification.State.SENT,
                    claimed_at=sent_at,
                    sent_at=sent_at,
                )
                event = action.record_escalation(to=recipient, note=f"Policy step: {step}.")
                ActionEvent.objects.filter(pk=event.pk).update(at=sent_at)
                count += 1
    return count


def _set_default_owners(lead, people) -> None:
    """Each team's first owner takes its new actions unless the CX lead chooses someone else."""
    for team in Team.objects.filter(name__in=OWNERS_BY_TEAM):
        owner = people.get(OWNERS_BY_TEAM[team.name][0])
        if owner is not None:
            TeamTriageSettings.objects.get_or_create(
                team=team, defaults={"default_owner": owner, "updated_by": lead}
            )


def _owner_names() -> set[str]:
    return {name for names in OWNERS_BY_TEAM.values() for name in names} | {"sam"}


def _same_problem_groups(observations) -> list[list]:
    """Sightings of one thing at one team within six weeks of the first are one problem;
    seen again after that, it has come back and is a problem of its own."""
    current: dict[tuple, list] = {}
    groups: list[list] = []
    for observation in observations:  # oldest first
        key = (observation.session.team_id, observation.what_happened)
        group = current.get(key)
        if group is None or observation.created_at - group[0].created_at > RECURS_AFTER:
            group = current[key] = []
            groups.append(group)
        group.append(observation)
    return groups


def _response_to(observation):
    for phrase, *response in RESPONSES:
        if phrase.lower() in observation.what_happened.lower():
            return response
    return None


def _settled(end, created, quarter_start):
    """What became of an action raised before this quarter: by now it is closed.

    Only the quarter's own actions are still open, so none is months overdue.
    """
    if quarter_start is None or timezone.localdate(created) >= quarter_start:
        return end
    return end if end == Status.DROPPED else Status.VERIFIED


def _triage_group(group, lead, people, rng, quarter_start=None) -> int:
    first, rest = group[0], group[1:]
    response = _response_to(first)
    # Sightings within a fortnight of the first are one report, triaged a day or three
    # after the last of them (never in the future); later ones are marked duplicates as
    # they come in.
    linked = [o for o in rest[:2] if o.created_at - first.created_at <= dt.timedelta(days=14)]
    last_seen = max(o.created_at for o in [first, *linked])
    decided = min(last_seen + dt.timedelta(days=rng.randint(1, 3)), timezone.now())
    if first.kind == Observation.Kind.DELIGHT or response is None:
        reason = KEEP_DOING if first.kind == Observation.Kind.DELIGHT else NO_ACTION
        triage.decide_no_action(first, by=lead, reason=reason)
        for observation in rest:
            triage.mark_duplicate(observation, first, by=lead, note="Seen again.")
        _decided_at(group, decided)
        return 0
    title, priority, end, *public = response
    end = _settled(end, decided, quarter_start)
    team = first.session.team
    names = OWNERS_BY_TEAM.get(team.name, ["sam"])
    owner = people.get(rng.choice(names)) or people["sam"]
    created = decided
    action = triage.create_action(
        first,
        by=lead,
        title=title,
        description=first.what_happened,
        owner=owner,
        team=team,
        # Due when the service policy for its priority says, as the triage form proposes.
        due_on=ServicePolicy.all_by_priority()[priority].due_on(timezone.localdate(created)),
        priority=priority,
    )
    for observation in linked:
        triage.link_to_action(observation, action, by=lead)
    for observation in rest[len(linked) :]:
        triage.mark_duplicate(observation, first, by=lead, note="Same problem, seen again.")
    _play(action, end, public, owner, lead, rng)
    _spread_over_the_past(action, created, rng)
    _decided_at(group, created)
    return 1


def _tell_the_newest(lead) -> None:
    """A fix made at several places is told to the public once: where it was checked last,
    so the public page leads with this season's changes, not the first of the year's."""
    for told in list(Action.objects.filter(is_published=True)):
        newest = (
            Action.objects.filter(
                title=told.title, status=Status.VERIFIED, verified_at__gt=told.verified_at
            )
            .order_by("-verified_at")
            .first()
        )
        if newest is not None:
            told.edit(by=lead, is_published=False)
            newest.edit(by=lead, you_said=told.you_said, we_did=told.we_did, is_published=True)


def _decided_at(group, when) -> None:
    # A later sighting cannot be triaged before it was seen.
    for observation in group:
        Observation.objects.filter(pk=observation.pk).update(
            triaged_at=max(when, observation.created_at)
        )


def _play(action, end, public, owner, lead, rng) -> None:
    _play_status(action, end, public, owner, lead, rng)
    # Most late actions got a new date agreed; the rest stay overdue for the CX lead to chase.
    if end in (Status.OPEN, Status.IN_PROGRESS, REOPENED) and rng.random() < 0.6:
        new_date = timezone.localdate() + dt.timedelta(days=rng.randint(2, 20))
        action.edit(by=lead, due_on=new_date, note="New date agreed with the owner.")


def _play_status(action, end, public, owner, lead, rng) -> None:
    if end == Status.OPEN:
        return
    if end == Status.DROPPED:
        action.drop(by=lead, reason="Covered by a wider change planned for next quarter.")
        return
    action.start(by=owner)
    action.comment(by=owner, text=rng.choice(PROGRESS_NOTES))
    if end == Status.IN_PROGRESS:
        return
    action.complete(by=owner, note=rng.choice(EVIDENCE))
    if end == Status.DONE:
        return
    action.verify(by=lead, note="Checked on a visit; it holds.")
    if end == REOPENED:
        action.reopen(by=lead, reason="On my last visit it had slipped back; please look again.")
    elif public and not Action.objects.filter(is_published=True, you_said=public[0]).exists():
        # The same fix made at a second store is told to the public once.
        you_said, we_did = public
        action.edit(by=lead, you_said=you_said, we_did=we_did, is_published=True)


def _spread_over_the_past(action, created, rng) -> None:
    """Move the action's life back: created when triaged, each change some days later.

    A finished action was done by its due date three times in four, and a few days late
    otherwise; nothing is moved past now.
    """
    now = timezone.now()
    events = list(action.events.order_by("at", "pk"))
    done_index = next(
        (
            n
            for n, e in enumerate(events)
            if e.kind == ActionEvent.Kind.STATUS and e.new_value == Status.DONE
        ),
        None,
    )
    if done_index is None:
        # Three or four days between changes for one still under way.
        span = dt.timedelta(days=rng.choice([3, 3, 4, 8]) * len(events))
        step = span / (len(events) + 1)
    else:
        due = timezone.make_aware(dt.datetime.combine(action.due_on, dt.time(17)))
        allowed = max(due - created, dt.timedelta(hours=4))
        if rng.random() < 0.75:
            done_after = allowed * rng.uniform(0.5, 0.95)
        else:
            done_after = allowed + dt.timedelta(days=rng.randint(2, 9))
        step = done_after / (done_index + 0.5)
    last = now - dt.timedelta(minutes=5)
    started = False  # the history is walked in order: only its first start counts
    for number, event in enumerate(events):
        # The history starts with the action's creation, at the very moment it was raised.
        if number == 0:
            at = created
        elif number == done_index:
            at = created + step * (number + 0.5)
        else:
            at = created + step * (number + 0.2 + 0.6 * rng.random())
        at = min(at, last)
        ActionEvent.objects.filter(pk=event.pk).update(at=at)
        starts = event.kind == ActionEvent.Kind.STATUS and event.new_value == Status.IN_PROGRESS
        if starts and not started:
            Action.objects.filter(pk=action.pk).update(started_at=at)
            started = True
        if event.kind == ActionEvent.Kind.STATUS and event.new_value == Status.DONE:
            Action.objects.filter(pk=action.pk, done_at__isnull=False).update(done_at=at)
        if event.kind == ActionEvent.Kind.STATUS and event.new_value == Status.VERIFIED:
            Action.objects.filter(pk=action.pk, verified_at__isnull=False).update(verified_at=at)
    Action.objects.filter(pk=action.pk).update(created_at=created)
