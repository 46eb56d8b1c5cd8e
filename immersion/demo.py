"""Demo data for the scheduling side: teams and people, the catalogue of session types and
personas, a programme for the quarter and its sessions in every status."""

import secrets
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from immersion.demo_catalogue import PERSONAS, SESSION_TYPES
from immersion.models import (
    ApiToken,
    ImmersionSession,
    Persona,
    Programme,
    Role,
    SessionEvent,
    SessionType,
    Team,
    User,
)

# username, first name, last name, role, team names
DEMO_PEOPLE = [
    ("maria", "Maria", "Okafor", Role.MANAGER, ["Leeds Briggate"]),
    ("tom", "Tom", "Hughes", Role.MANAGER, ["York Coppergate"]),
    ("priya", "Priya", "Shah", Role.MANAGER, ["Sheffield contact centre"]),
    ("dan", "Dan", "Kowalski", Role.MANAGER, ["Leeds Briggate"]),
    ("grace", "Grace", "Adeyemi", Role.CX_LEAD, ["North region"]),
    ("ed", "Ed", "Fraser", Role.EXECUTIVE, ["North region"]),
    ("sam", "Sam", "Lee", None, ["Leeds Briggate"]),
    # From an outside firm: belongs to no team, and checks the published figures.
    ("audrey", "Audrey", "Marsh", Role.AUDITOR, []),
]

DEMO_TEAMS = [
    ("North region", Team.Kind.REGION, None),
    ("Leeds Briggate", Team.Kind.STORE, "North region"),
    ("York Coppergate", Team.Kind.STORE, "North region"),
    ("Sheffield contact centre", Team.Kind.CONTACT_CENTRE, "North region"),
    ("Customer operations", Team.Kind.DEPARTMENT, "North region"),
]


def seed(out, rng) -> None:
    seed_people(out)
    seed_catalogue()
    seed_programme_and_sessions(out, rng)
    seed_accessibility_programme()
    seed_api_token(out)


def seed_people(out) -> None:
    teams: dict[str, Team] = {}
    for name, kind, parent_name in DEMO_TEAMS:
        teams[name], _ = Team.objects.get_or_create(
            name=name, parent=teams.get(parent_name), defaults={"kind": kind}
        )

    groups = {role: Group.objects.get(name=role.label) for role in Role}
    created = []
    for username, first, last, role, team_names in DEMO_PEOPLE:
        if User.objects.filter(username=username).exists():
            continue
        password = secrets.token_urlsafe(9)
        user = User.objects.create_user(
            username=username,
            password=password,
            first_name=first,
            last_name=last,
            email=f"{username}@example.com",
        )
        user.teams.set([teams[name] for name in team_names])
        if role is not None:
            user.groups.add(groups[role])
        created.append((username, role.label if role else "action owner", password))

    if not User.objects.filter(username="admin").exists():
        password = secrets.token_urlsafe(9)
        User.objects.create_superuser("admin", "admin@example.com", password)
        created.append(("admin", "staff (admin site)", password))

    if created:
        out.write('Demo logins, shown only now (the README\'s "Demo logins" says who is who):')
        for username, role, password in created:
            out.write(f"  {username:<8} {role:<20} {password}")
        example = created[0][0]
        out.write(f"To set a password again later ({example}'s here), run from this folder:")
        out.write(password_reset_command(example))


def seed_api_token(out) -> None:
    """A token for the CX lead, printed once, so the API can be tried straight away."""
    lead = User.objects.filter(username="grace").first()
    if lead is None or lead.api_tokens.exists():
        return
    _, text = ApiToken.issue(lead, "Weekly board report", timezone.now() + timedelta(days=30))
    out.write('An API token for grace, shown only now (the README\'s "API" says more):')
    out.write(f'curl -H "Authorization: Bearer {text}" {settings.SITE_URL}/api/v1/actions/')


def password_reset_command(username: str) -> str:
    """The command that sets a demo user's password, exactly as it can be typed."""
    return f"DEBUG=true .venv/bin/python manage.py changepassword {username}"


def seed_catalogue() -> None:
    for name, purpose, duration, touchpoints, prompts in SESSION_TYPES:
        SessionType.objects.get_or_create(
            name=name,
            defaults={
                "purpose": purpose,
                "default_duration": duration,
                "suggested_touchpoints": [str(t) for t in touchpoints],
                "prompts": prompts,
            },
        )
    for name, description in PERSONAS:
        Persona.objects.get_or_create(name=name, defaults={"description": description})


PROGRAMME_NAME = "Walk in their shoes: this quarter"

# Places per team, so sessions read like real visits.
PLACES = {
    "Leeds Briggate": ["Main entrance and ground floor", "Fitting rooms", "Click and collect desk"],
    "York Coppergate": ["Shop floor", "Tills and returns counter", "Car park to front door"],
    "Sheffield contact centre": ["Complaints team", "Live chat desk", "Billing calls"],
}

REFLECTIONS = [
    (
        "How long customers waited at the returns counter with nobody acknowledging them.",
        "Ignored, and as if returning something was a favour we were doing them.",
        "A greeting within a minute, and a seat for anyone waiting more than five.",
    ),
    (
        "The step at the side door: I could not get in without help.",
        "Unwelcome before they have even reached the shop floor.",
        "A ramp at the side door and a bell that someone actually answers.",
    ),
    (
        "Half the calls were about the same confusing line on the bill.",
        "Confused, then suspicious that we were overcharging on purpose.",
        "Rewrite that line of the bill in plain words and tell advisers why.",
    ),
    (
        "The box was three times the size of the product and needed a knife to open.",
        "Annoyed at the waste, and let down before the product was even out.",
        "Right-size the box and add a tear strip; print recycling advice on the flap.",
    ),
]

CANCEL_REASONS = [
    "Store closed for an unplanned stock count.",
    "Clashed with the regional meeting; will rebook next week.",
]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def seed_programme_and_sessions(out, rng) -> None:
    """A quarter around today: past sessions completed, missed or cancelled; future ones planned.

    Maria has a session today and one under way is left for Tom, so every page has something
    to show. Skipped entirely once the programme exists, so a second run adds nothing.
    """
    if Programme.objects.filter(name=PROGRAMME_NAME).exists():
        return
    today = timezone.localdate()
    grace = timedelta(days=2)
    starts_on = today - timedelta(days=45)
    programme = Programme.objects.create(
        name=PROGRAMME_NAME,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=90),
        owner=User.objects.get(username="grace"),
        target_sessions=4,
    )
    region = Team.objects.get(name="North region", parent=None)
    programme.participant_teams.add(region)
    types = {t.name: t for t in SessionType.objects.all()}
    personas = list(Persona.objects.all())
    managers = {u.username: u for u in User.objects.filter(username__in=PLACES_BY_MANAGER)}
    made = 0
    for username, team_name in PLACES_BY_MANAGER.items():
        manager = managers[username]
        team = Team.objects.get(name=team_name, parent=region)
        for index, offset in enumerate(range(-42, 45, 14)):
            day = today + timedelta(days=offset + rng.randint(1, 4))
            hour = rng.choice([9, 10, 11, 14, 15])
            session_type = types[rng.choice(TYPES_BY_TEAM[team_name])]
            start = _at(day, hour)
            session = ImmersionSession(
                session_type=session_type,
                persona=rng.choice([None, *personas]),
                programme=programme,
                team=team,
                place=rng.choice(PLACES[team_name]),
                planned_start=start,
                planned_end=start + session_type.default_duration,
                lead=manager,
                brief=rng.choice(BRIEFS),
                created_by=programme.owner,
            )
            if start < timezone.now() - grace:
                _give_past_outcome(session, PAST_OUTCOMES[username], index, rng)
            session.save()
            _record_history(session, programme.owner)
            made += 1
    made += _today_sessions(programme, types, managers, region)
    out.write(f"Planned {made} demo sessions in {programme.name}.")


PLACES_BY_MANAGER = {
    "maria": "Leeds Briggate",
    "dan": "Leeds Briggate",
    "tom": "York Coppergate",
    "priya": "Sheffield contact centre",
}

TYPES_BY_TEAM = {
    "Leeds Briggate": ["Floor walk", "Wheelchair day", "Mystery shop", "Back to the floor"],
    "York Coppergate": ["Floor walk", "Product and packaging unboxing", "Customer home visit"],
    "Sheffield contact centre": [
        "Listening post",
        "Digital journey walk-through",
        "Back to the floor",
    ],
}

BRIEFS = [
    "Watch what happens when a customer cannot find what they came for.",
    "Look for the moments where customers have to ask for help twice.",
    "Notice every sign, leaflet and screen: which ones does anyone read?",
    "Follow one customer's journey end to end, and time each wait.",
]


# What became of each manager's past sessions, in order. Half-way through the quarter
# the target of four asks for two: most have done their two, Maria has fallen behind.
PAST_OUTCOMES = {
    "maria": ["cancelled", "missed", "cancelled"],
    "dan": ["completed", "completed", "missed"],
    "tom": ["completed", "cancelled", "completed"],
    "priya": ["completed", "missed", "completed"],
}


def _give_past_outcome(session: ImmersionSession, outcomes: list[str], index: int, rng) -> None:
    outcome = outcomes[index] if index < len(outcomes) else "completed"
    if outcome == "missed":
        session.status = ImmersionSession.Status.MISSED
    elif outcome == "cancelled":
        session.status = ImmersionSession.Status.CANCELLED
        session.cancel_reason = rng.choice(CANCEL_REASONS)
    else:
        session.status = ImmersionSession.Status.COMPLETED
        session.started_at = session.planned_start + timedelta(minutes=rng.randint(0, 10))
        session.ended_at = session.planned_end
        surprised, feeling, change = REFLECTIONS[index % len(REFLECTIONS)]
        session.surprised_by = surprised
        session.customer_feeling = feeling
        session.would_change = change


def _record_history(session: ImmersionSession, cx_lead: User) -> None:
    Status = ImmersionSession.Status
    scheduled_at = min(session.planned_start - timedelta(days=14), timezone.now())
    events = [("", Status.PLANNED, cx_lead, scheduled_at, "Scheduled.")]
    if session.status in (Status.IN_PROGRESS, Status.COMPLETED):
        events.append((Status.PLANNED, Status.IN_PROGRESS, session.lead, session.started_at, ""))
    if session.status == Status.COMPLETED:
        events.append((Status.IN_PROGRESS, Status.COMPLETED, session.lead, session.ended_at, ""))
    if session.status == Status.CANCELLED:
        events.append(
            (
                Status.PLANNED,
                Status.CANCELLED,
                cx_lead,
                session.planned_start - timedelta(days=1),
                session.cancel_reason,
            )
        )
    if session.status == Status.MISSED:
        events.append(
            (
                Status.PLANNED,
                Status.MISSED,
                None,
                session.planned_end + timedelta(hours=2),
                "Not started in time.",
            )
        )
    SessionEvent.objects.bulk_create(
        SessionEvent(session=session, from_status=f, to_status=t, actor=a, at=at, note=n)
        for f, t, a, at, n in events
    )


def _today_sessions(programme, types, managers, region) -> int:
    """Something for today: Maria's floor walk later on, and Tom's unboxing under way."""
    now = timezone.localtime()
    leeds = Team.objects.get(name="Leeds Briggate", parent=region)
    york = Team.objects.get(name="York Coppergate", parent=region)
    start = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    floor_walk = ImmersionSession.objects.create(
        session_type=types["Floor walk"],
        persona=Persona.objects.get(name="Parent with a buggy"),
        programme=programme,
        team=leeds,
        place="Main entrance and ground floor",
        planned_start=start,
        planned_end=start + timedelta(hours=1),
        lead=managers["maria"],
        brief="Come in through the side door with a buggy and try to reach the baby aisle.",
        created_by=programme.owner,
    )
    floor_walk.companions.add(managers["dan"])
    _record_history(floor_walk, programme.owner)
    started = now - timedelta(minutes=20)
    unboxing = ImmersionSession.objects.create(
        session_type=types["Product and packaging unboxing"],
        programme=programme,
        team=york,
        place="Back office, as if at home",
        planned_start=started,
        planned_end=started + timedelta(minutes=45),
        lead=managers["tom"],
        brief="Unbox the new kettle exactly as a customer would, with no tools.",
        status=ImmersionSession.Status.IN_PROGRESS,
        started_at=started,
        created_by=programme.owner,
    )
    _record_history(unboxing, programme.owner)
    return 2


ACCESSIBILITY_PROGRAMME = "Accessibility month"


def seed_accessibility_programme() -> None:
    """A focused programme: one wheelchair day or digital walk-through each, this month.

    It counts the sessions the quarter already holds, so its page shows who has done one.
    """
    if Programme.objects.filter(name=ACCESSIBILITY_PROGRAMME).exists():
        return
    today = timezone.localdate()
    programme = Programme.objects.create(
        name=ACCESSIBILITY_PROGRAMME,
        starts_on=today.replace(day=1),
        ends_on=(today.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1),
        owner=User.objects.get(username="grace"),
        target_sessions=1,
    )
    programme.target_types.set(
        SessionType.objects.filter(name__in=["Wheelchair day", "Digital journey walk-through"])
    )
    programme.participant_teams.set(
        Team.objects.filter(name__in=["Leeds Briggate", "Sheffield contact centre"])
    )
    programme.participants.set(User.objects.filter(username="tom"))
