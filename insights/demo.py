"""Demo data for triage and actions: most demo observations end in an action with a history.

Actions go through the same guarded methods as in real use, so their events and
states are what the product itself would write; the timestamps are then moved back
to spread each life over the past weeks. Actions are recognised by their title, and
only untriaged observations are picked, so running the seed again adds nothing.
"""

import datetime as dt

from django.utils import timezone

from immersion.models import Team, User
from insights import triage
from insights.models import Action, ActionEvent
from journal.models import Observation

Status = Action.Status
Priority = Action.Priority

# title, team, owner, priority, due (days from today), created (days ago), where it ends,
# and for published ones what customers told us and what changed.
SCRIPTS = [
    {
        "title": "Keep a fitting-room attendant on the floor at weekends",
        "description": "Rooms were locked with nobody in sight; customers gave up and left.",
        "team": "Leeds Briggate", "owner": "sam", "priority": Priority.HIGH,
        "due": -20, "created": 40, "end": Status.VERIFIED,
        "you_said": "The fitting rooms were locked and nobody came to open them.",
        "we_did": "An attendant now looks after the fitting rooms every weekend hour.",
    },
    {
        "title": "Lower the card reader at till 3 for wheelchair users",
        "description": "From a wheelchair the keypad could not be seen or reached.",
        "team": "Leeds Briggate", "owner": "dan", "priority": Priority.URGENT,
        "due": -12, "created": 30, "end": Status.VERIFIED,
        "you_said": "I could not reach the card reader from my wheelchair.",
        "we_did": "Every till now has a card reader on a swivel arm at seated height.",
    },
    {
        "title": "Stop asking callers for their account number twice",
        "description": "The IVR asks for it, then the agent asks again.",
        "team": "Sheffield contact centre", "owner": "priya", "priority": Priority.HIGH,
        "due": -6, "created": 28, "end": Status.VERIFIED,
        "you_said": "Why do I have to give my account number twice?",
        "we_did": "Agents now see the number you keyed in, so we never ask again.",
    },
    {
        "title": "Rewrite the hold message at the contact centre",
        "description": "The message promises a callback that never comes.",
        "team": "Sheffield contact centre", "owner": "priya", "priority": Priority.NORMAL,
        "due": 3, "created": 18, "end": Status.DONE,
    },
    {
        "title": "Step-free route signs from the car park",
        "description": "The only signed route has three steps; the ramp is unmarked.",
        "team": "York Coppergate", "owner": "tom", "priority": Priority.HIGH,
        "due": -5, "created": 21, "end": Status.IN_PROGRESS,
    },
    {
        "title": "Call back customers who wait more than ten minutes",
        "description": "Offer a callback slot instead of leaving people on hold.",
        "team": "Sheffield contact centre", "owner": "priya", "priority": Priority.HIGH,
        "due": 6, "created": 9, "end": Status.IN_PROGRESS,
    },
    {
        "title": "Quiet hour on Tuesday mornings",
        "description": "Music off and lights down for customers who find the store overwhelming.",
        "team": "Leeds Briggate", "owner": "maria", "priority": Priority.NORMAL,
        "due": -8, "created": 33, "end": "reopened",
    },
    {
        "title": "Replace the outer boxes that arrive with crushed corners",
        "description": "Two of three unboxed parcels had crushed corners and a torn inner bag.",
        "team": "Customer operations", "owner": "sam", "priority": Priority.NORMAL,
        "due": -2, "created": 12, "end": Status.OPEN,
    },
    {
        "title": "Price labels readable at arm's length",
        "description": "Shelf labels use 8-point type; customers hold phones up to zoom in.",
        "team": "York Coppergate", "owner": "tom", "priority": Priority.LOW,
        "due": 14, "created": 4, "end": Status.OPEN,
    },
    {
        "title": "Print the returns steps inside the box lid",
        "description": "The returns leaflet is easily thrown away with the packaging.",
        "team": "Customer operations", "owner": "maria", "priority": Priority.NORMAL,
        "due": 10, "created": 15, "end": Status.DROPPED,
    },
]  # fmt: skip

PROGRESS_NOTES = [
    "Spoke to the store team; trial starts on Monday.",
    "Supplier has the new part on order, delivery next week.",
    "First week done, customers noticed straight away.",
]


def seed(out, rng) -> None:
    lead = User.objects.filter(username="grace").first()
    titles = [script["title"] for script in SCRIPTS]
    if lead is None or Action.objects.filter(title__in=titles).exists():
        return
    observations = list(
        Observation.objects.filter(
            triage_state=Observation.TriageState.UNTRIAGED,
            session__team_id__in=lead.scope_team_ids,
        )
        .select_related("session__team")
        .order_by("created_at", "pk")
    )
    people = {u.username: u for u in User.objects.filter(username__in=_usernames())}
    teams = {t.name: t for t in Team.objects.filter(name__in={s["team"] for s in SCRIPTS})}
    # Leave a fifth of the observations for the triage queue, so it has work to show.
    budget = len(observations) - len(observations) // 5
    to_triage, observations = observations[:budget], observations[budget:]
    made = 0
    for script in SCRIPTS:
        if not to_triage:
            break
        if script["owner"] not in people or script["team"] not in teams:
            continue
        observation = _pick(to_triage, script["team"])
        _play(script, observation, lead, people, teams, rng)
        made += 1
        # A second observation of the same kind of problem goes to the same action.
        if to_triage and script["end"] in Action.UNFINISHED:
            action = Action.objects.get(title=script["title"])
            triage.link_to_action(_pick(to_triage, script["team"]), action, by=lead)
    _decide_the_rest(to_triage, lead)
    if made:
        out.write(f"Triaged demo observations into {made} actions.")


def _pick(observations: list, team_name: str):
    """The oldest observation from the action's team, or the oldest of all if none is."""
    for number, observation in enumerate(observations):
        if observation.session.team.name == team_name:
            return observations.pop(number)
    return observations.pop(0)


def _usernames() -> set[str]:
    return {s["owner"] for s in SCRIPTS}


def _decide_the_rest(observations, lead) -> None:
    reasons = [
        "A one-off: the store was short-staffed because of a fire drill.",
        "Already covered by the store refit planned for next quarter.",
    ]
    for number, observation in enumerate(observations):
        if number % 2 == 0 and observation.pk != observations[0].pk:
            triage.mark_duplicate(observation, observations[0], by=lead, note="Same root cause.")
        else:
            triage.decide_no_action(observation, by=lead, reason=reasons[number % len(reasons)])


def _play(script, observation, lead, people, teams, rng) -> None:
    owner = people[script["owner"]]
    today = timezone.localdate()
    action = triage.create_action(
        observation,
        by=lead,
        title=script["title"],
        description=script["description"],
        owner=owner,
        team=teams[script["team"]],
        due_on=today + dt.timedelta(days=script["due"]),
        priority=script["priority"],
    )
    end = script["end"]
    if end != Status.OPEN:
        if end == Status.DROPPED:
            action.drop(by=lead, reason="The supplier is changing the packaging for us anyway.")
        else:
            action.start(by=owner)
            action.comment(by=owner, text=rng.choice(PROGRESS_NOTES))
    if end in (Status.DONE, Status.VERIFIED, "reopened"):
        action.complete(by=owner, note=f"Done: {script['description'].split(';')[0].lower()}")
    if end in (Status.VERIFIED, "reopened"):
        action.verify(by=lead, note="Checked on a visit; it holds.")
    if end == "reopened":
        action.reopen(by=lead, reason="On my last visit the music was back on at 9 o'clock.")
    if script.get("you_said"):
        action.edit(
            by=lead, you_said=script["you_said"], we_did=script["we_did"], is_published=True
        )
    _spread_over_the_past(action, script["created"], rng)


def _spread_over_the_past(action, days_ago: int, rng) -> None:
    """Move the action's life back in time: created `days_ago`, each change a while later.

    Never before what it addresses was seen: an action cannot predate its observation.
    """
    now = timezone.now()
    seen = max(o.created_at for o in action.observations.all())
    start = max(now - dt.timedelta(days=days_ago, hours=rng.randint(1, 6)), seen)
    events = list(action.events.order_by("at", "pk"))
    step = (now - start) / (len(events) + 1)
    for number, event in enumerate(events):
        at = start + step * (number + 0.7 * rng.random())
        ActionEvent.objects.filter(pk=event.pk).update(at=at)
        if event.kind == ActionEvent.Kind.STATUS and event.new_value == Status.DONE:
            Action.objects.filter(pk=action.pk, done_at__isnull=False).update(done_at=at)
        if event.kind == ActionEvent.Kind.STATUS and event.new_value == Status.VERIFIED:
            Action.objects.filter(pk=action.pk, verified_at__isnull=False).update(verified_at=at)
    Action.objects.filter(pk=action.pk).update(created_at=start)
    observation_ids = action.observations.values_list("pk", flat=True)
    Observation.objects.filter(pk__in=observation_ids).update(triaged_at=start)
