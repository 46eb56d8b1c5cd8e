"""Programme participation at growing sizes: queries stay fixed, time grows gently.

Builds the data inside a transaction that is rolled back, so it leaves the database as it
found it. `make bench BENCH_ARGS="--only immersion_participation --people 50 500"`.
"""

import time
from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from immersion.models import ImmersionSession, Programme, Role, SessionType, Team, User
from immersion.participation import participation


class Rollback(Exception):
    pass


def add_arguments(parser) -> None:
    parser.add_argument(
        "--people",
        type=int,
        nargs="+",
        default=[50, 500],
        help="participants per run of the participation benchmark",
    )
    parser.add_argument(
        "--sessions-each", type=int, default=12, help="sessions per participant (participation)"
    )


def run(args) -> None:
    print(f"{'people':>8} {'sessions':>9} {'queries':>8} {'ms':>8}")
    for people in args.people:
        try:
            with transaction.atomic():
                queries, seconds = _measure(people, args.sessions_each)
                raise Rollback
        except Rollback:
            pass
        print(f"{people:>8} {people * args.sessions_each:>9} {queries:>8} {seconds * 1000:>8.1f}")


def _measure(people: int, sessions_each: int) -> tuple[int, float]:
    today = timezone.localdate()
    region = Team.objects.create(name=f"Bench region {time.monotonic_ns()}", kind="region")
    owner = User.objects.create(username=f"bench-owner-{time.monotonic_ns()}")
    session_type = SessionType.objects.create(
        name=f"Bench walk {time.monotonic_ns()}",
        purpose="Bench.",
        default_duration=timedelta(hours=1),
    )
    programme = Programme.objects.create(
        name="Bench",
        starts_on=today - timedelta(days=45),
        ends_on=today + timedelta(days=45),
        owner=owner,
    )
    programme.participant_teams.add(region)
    managers_group, _ = Group.objects.get_or_create(name=Role.MANAGER.label)
    stores = [
        Team.objects.create(name=f"Store {n}", parent=region) for n in range(max(1, people // 10))
    ]
    users = User.objects.bulk_create(
        User(username=f"bench-{time.monotonic_ns()}-{n}") for n in range(people)
    )
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=u.pk, group_id=managers_group.pk) for u in users
    )
    User.teams.through.objects.bulk_create(
        User.teams.through(user_id=u.pk, team_id=stores[n % len(stores)].pk)
        for n, u in enumerate(users)
    )
    start = timezone.now() - timedelta(days=40)
    statuses = ["planned", "cancelled", "missed"]
    ImmersionSession.objects.bulk_create(
        ImmersionSession(
            session_type=session_type,
            team=stores[n % len(stores)],
            lead=user,
            planned_start=start + timedelta(days=6 * k, hours=n % 8),
            planned_end=start + timedelta(days=6 * k, hours=n % 8 + 1),
            status=statuses[(n + k) % len(statuses)],
            cancel_reason="Bench.",
        )
        for n, user in enumerate(users)
        for k in range(sessions_each)
    )
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        rows, _teams = participation(programme, [session_type.pk])
        seconds = time.perf_counter() - began
    assert len(rows) == people
    return len(queries), seconds
