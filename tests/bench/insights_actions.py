"""Actions at scale: the pages' query counts and times, and the CSV exports' peak memory.

Runs inside a transaction on the configured database that is rolled back at the end,
so nothing is left behind. For each size it bulk-inserts that many actions (each
addressing one observation, with two history rows) in one region, then measures the
action list, "my actions", the triage queue, the verification queue (a fifth of the
actions are done), the service-level policies and both streamed exports.
"""

import datetime as dt
import time
import tracemalloc

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from immersion.models import ImmersionSession, Role, SessionType, Team, User
from insights.models import Action, ActionEvent
from journal.models import Observation


class Rollback(Exception):
    pass


def add_arguments(parser) -> None:
    parser.add_argument(
        "--action-counts",
        type=int,
        nargs="+",
        default=[1_000, 10_000],
        help="actions per run of the actions benchmark",
    )


def run(args) -> None:
    print(f"{'actions':>8} {'page':<34} {'queries':>8} {'ms':>8} {'peak KiB':>9}")
    for size in args.action_counts:
        try:
            with transaction.atomic():
                for name, queries, seconds, peak in _measure(size):
                    peak_text = f"{peak / 1024:>9.0f}" if peak else f"{'':>9}"
                    counted = "" if queries is None else queries
                    print(f"{size:>8} {name:<34} {counted:>8} {seconds * 1000:>8.1f} {peak_text}")
                raise Rollback
        except Rollback:
            pass


def _measure(size: int):
    stamp = time.monotonic_ns()
    region = Team.objects.create(name=f"Bench region {stamp}", kind=Team.Kind.REGION)
    store = Team.objects.create(name="Bench store", parent=region)
    lead = User.objects.create(username=f"bench-lead-{stamp}", email="lead@example.com")
    lead.groups.add(Group.objects.get_or_create(name=Role.CX_LEAD.label)[0])
    lead.teams.add(region)
    owner = User.objects.create(username=f"bench-owner-{stamp}", email="owner@example.com")
    owner.teams.add(store)
    walk = SessionType.objects.create(
        name=f"Bench walk {stamp}", purpose="Bench.", default_duration=dt.timedelta(hours=1)
    )
    start = timezone.now() - dt.timedelta(days=30)
    session = ImmersionSession.objects.create(
        session_type=walk, team=store, lead=lead, planned_start=start,
        planned_end=start + dt.timedelta(hours=1),
    )  # fmt: skip
    observations = Observation.objects.bulk_create(
        Observation(session=session, author=lead, touchpoint="store", emotion="frustrated",
                    what_happened=f"Bench observation {n}" * 3)
        for n in range(size * 2)
    )  # fmt: skip
    today = timezone.localdate()
    done_at = timezone.now() - dt.timedelta(days=2)
    actions = Action.objects.bulk_create(
        Action(title=f"Bench action {n}", owner=owner, team=store, created_by=lead,
               due_on=today + dt.timedelta(days=n % 40 - 20), description="x" * 200,
               **({"status": Action.Status.DONE, "done_at": done_at,
                   "evidence_note": "Bench evidence."} if n % 5 == 0 else {}))
        for n in range(size)
    )  # fmt: skip
    links = Action.observations.through
    links.objects.bulk_create(
        links(action_id=a.pk, observation_id=o.pk)
        for a, o in zip(actions, observations[:size], strict=True)
    )
    now = timezone.now()
    ActionEvent.objects.bulk_create(
        ActionEvent(action=a, actor=lead, at=now, kind=kind, new_value=a.title)
        for a in actions
        for kind in (ActionEvent.Kind.CREATED, ActionEvent.Kind.COMMENT)
    )

    client = Client()
    client.force_login(lead)
    owner_client = Client()
    owner_client.force_login(owner)
    pages = [
        ("action list", client, reverse("insights:action-list")),
        ("action list, filtered", client, reverse("insights:action-list") + "?overdue=on"),
        ("triage queue", client, reverse("insights:triage-queue")),
        ("action page", client, reverse("insights:action-detail", args=[actions[0].pk])),
        ("my actions", owner_client, reverse("insights:my-actions")),
        ("verification queue", client, reverse("insights:verify-queue")),
        ("service-level policies", client, reverse("insights:policy-list")),
    ]
    for name, who, url in pages:
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = who.get(url)
            seconds = time.perf_counter() - began
        assert response.status_code == 200, (name, response.status_code)
        yield name, len(queries), seconds, 0
    for name, url_name in (
        ("actions CSV", "insights:export-actions"),
        ("observations CSV", "insights:export-observations"),
    ):
        # Queries are not counted here: the test client resets the log when the streamed
        # response closes. The export's queries are one per chunk of rows, by design.
        began = time.perf_counter()
        response = client.get(reverse(url_name))
        rows = sum(1 for _ in response.streaming_content)
        seconds = time.perf_counter() - began
        # A second pass for memory: tracing slows Python down, so it is not timed.
        response = client.get(reverse(url_name))
        tracemalloc.start()
        for _ in response.streaming_content:
            pass
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        yield f"{name} ({rows - 1:,} rows)", None, seconds, peak
