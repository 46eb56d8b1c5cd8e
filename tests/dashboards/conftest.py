"""A small data set whose dashboard figures are worked out by hand in the tests.

Today is Wednesday 17 June 2026; the period is the six weeks from Monday 4 May to
Sunday 14 June. Store A and store B sit in the region of the shared cast.
"""

import datetime as dt

import pytest
import time_machine

from immersion.models import ImmersionSession, Touchpoint
from insights import summaries
from insights.models import Action
from journal.models import Emotion, Observation
from tests import factories

UTC = dt.UTC
NOW = dt.datetime(2026, 6, 17, 12, 0, tzinfo=UTC)
PERIOD = {"period": "custom", "start": "2026-05-04", "end": "2026-06-14"}


def at(month, day, hour=10):
    return dt.datetime(2026, month, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def completed_session(team, lead, start, session_type, **kwargs):
    return factories.SessionFactory(
        team=team,
        lead=lead,
        session_type=session_type,
        planned_start=start,
        status=ImmersionSession.Status.COMPLETED,
        started_at=start,
        ended_at=start + dt.timedelta(hours=1),
        surprised_by="How long the queue was.",
        customer_feeling="Ignored.",
        would_change="Open a second till.",
        **kwargs,
    )


def observation(session, created_at, **kwargs):
    # Made at that moment, as a manager would have, so the summary files it on its day.
    with time_machine.travel(created_at, tick=False):
        return factories.ObservationFactory(session=session, **kwargs)


def action(team, owner, created_at, due_on, observations=(), **kwargs):
    kwargs.setdefault("created_by", owner)
    # Raised at that moment, so the summary files it on its day.
    with time_machine.travel(created_at, tick=False):
        made = factories.ActionFactory(team=team, owner=owner, due_on=due_on, **kwargs)
        made.observations.set(observations)
    return made


def finish(made, done_at, verified_at=None, verifier=None, **extra):
    fields = {"status": Action.Status.DONE, "done_at": done_at, "evidence_note": "Checked twice"}
    if verified_at:
        fields |= {"status": Action.Status.VERIFIED, "verified_at": verified_at}
        fields["verified_by"] = verifier
    Action.objects.filter(pk=made.pk).update(**(fields | extra))
    summaries.mark_action(made)  # a bulk update: the summary is told, as the models would


@pytest.fixture
def crafted(now, cast, store_a, store_b):
    """The data set; the figures each test expects are derived in its comments."""
    manager, other, cx_lead = cast["manager"], cast["other_manager"], cast["cx_lead"]
    walk = factories.SessionTypeFactory(name="Floor walk")
    listen = factories.SessionTypeFactory(name="Listening post")
    programme = factories.ProgrammeFactory(
        name="Summer walks",
        starts_on=dt.date(2026, 5, 4),
        ends_on=dt.date(2026, 6, 14),
        target_sessions=2,
        owner=cx_lead,
    )
    # Manager by name, other_manager through store B: two participants, target 2 each.
    programme.participants.set([manager])
    programme.participant_teams.set([store_b])

    s_a1 = completed_session(store_a, manager, at(5, 5), walk)
    s_a2 = completed_session(store_a, manager, at(5, 19), walk)
    s_b1 = completed_session(store_b, other, at(5, 10), listen)
    # Outside the period, and a session not completed: neither counts.
    completed_session(store_a, manager, at(4, 20), walk)
    factories.SessionFactory(team=store_a, lead=manager, session_type=walk, planned_start=at(5, 26))

    o1 = observation(s_a1, at(5, 5), emotion=Emotion.FRUSTRATED, intensity=4)
    o2 = observation(s_a2, at(5, 20, 12), emotion=Emotion.FRUSTRATED, intensity=2)
    o3 = observation(
        s_b1, at(5, 10), touchpoint=Touchpoint.PHONE, emotion=Emotion.ANGRY, intensity=5
    )
    o4 = observation(
        s_b1,
        at(6, 1),
        touchpoint=Touchpoint.PHONE,
        emotion=Emotion.HAPPY,
        intensity=3,
        kind=Observation.Kind.DELIGHT,
        triage_state=Observation.TriageState.NO_ACTION,
        triage_note="Nothing to change: it went well.",
    )
    observation(s_a1, at(4, 1))  # before the period
    triaged = Observation.objects.filter(pk__in=[o1.pk, o3.pk])
    triaged.update(triage_state=Observation.TriageState.ACTIONED, triaged_at=at(5, 12))
    summaries.mark_observations(triaged)

    owner = cast["owner"]
    a1 = action(store_a, owner, at(5, 6), dt.date(2026, 5, 20), [o1])  # o1 -> a1: 1 day
    finish(
        a1,
        at(5, 15),
        verified_at=at(5, 16),  # 10 days after it was raised
        verifier=cx_lead,
        is_published=True,
        you_said="The fitting rooms were locked.",
        we_did="A colleague now stays by the fitting rooms all day.",
    )
    a2 = action(store_a, owner, at(5, 21), dt.date(2026, 6, 10))  # open, overdue
    a3 = action(store_b, other, at(5, 13), dt.date(2026, 7, 1), [o3])  # o3 -> a3: 3 days
    Action.objects.filter(pk=a3.pk).update(status=Action.Status.IN_PROGRESS)
    a4 = action(store_b, other, at(5, 25), dt.date(2026, 6, 1))
    finish(a4, at(6, 2))
    a5 = action(store_b, other, at(6, 3), dt.date(2026, 6, 5))
    finish(a5, at(6, 6), verified_at=at(6, 7), verifier=cx_lead)  # 4 days
    action(store_a, owner, at(4, 1), dt.date(2026, 4, 10))  # before the period
    return {
        "walk": walk,
        "listen": listen,
        "programme": programme,
        "observations": [o1, o2, o3, o4],
        "actions": [a1, a2, a3, a4, a5],
    }


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Every test makes its cast of users; a strong hash for each would dominate the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
