"""Demo data for the scheduling side: a region with stores and a contact centre, and people."""

import secrets

from django.contrib.auth.models import Group

from immersion.models import Role, Team, User

# username, first name, last name, role, team names
DEMO_PEOPLE = [
    ("maria", "Maria", "Okafor", Role.MANAGER, ["Leeds Briggate"]),
    ("tom", "Tom", "Hughes", Role.MANAGER, ["York Coppergate"]),
    ("priya", "Priya", "Shah", Role.MANAGER, ["Sheffield contact centre"]),
    ("dan", "Dan", "Kowalski", Role.MANAGER, ["Leeds Briggate"]),
    ("grace", "Grace", "Adeyemi", Role.CX_LEAD, ["North region"]),
    ("ed", "Ed", "Fraser", Role.EXECUTIVE, ["North region"]),
    ("sam", "Sam", "Lee", None, ["Leeds Briggate"]),
]

DEMO_TEAMS = [
    ("North region", Team.Kind.REGION, None),
    ("Leeds Briggate", Team.Kind.STORE, "North region"),
    ("York Coppergate", Team.Kind.STORE, "North region"),
    ("Sheffield contact centre", Team.Kind.CONTACT_CENTRE, "North region"),
    ("Customer operations", Team.Kind.DEPARTMENT, "North region"),
]


def seed(out, rng) -> None:
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
        out.write("Demo logins (shown only now; run `manage.py changepassword NAME` to reset):")
        for username, role, password in created:
            out.write(f"  {username:<8} {role:<20} {password}")
