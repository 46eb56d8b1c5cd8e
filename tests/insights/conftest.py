"""Fixtures for the insights tests: an observation and an action in store A of the cast."""

import datetime as dt

import pytest
from django.utils import timezone

from insights.models import Action, ReVisit
from insights.models.revisits import is_negative
from tests import factories
from tests.insights.helpers import in_days, verified


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The cast is made afresh for every test; Argon2 would spend most of the run hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def session_a(store_a, manager):
    return factories.SessionFactory(team=store_a, lead=manager)


@pytest.fixture
def observation(session_a):
    return factories.ObservationFactory(session=session_a)


@pytest.fixture
def action(owner, store_a, cx_lead, observation):
    return Action.create(
        by=cx_lead,
        observations=[observation],
        title="Keep a fitting room attendant on the floor",
        owner=owner,
        team=store_a,
        due_on=in_days(7),
    )


@pytest.fixture
def make_revisit(owner, cx_lead, manager):
    """make_revisit(team, after=None, due_in=10) -> a re-visit, answered with `after` if given."""

    def make(team, after=None, due_in=10):
        source = factories.SessionFactory(team=team, lead=manager)
        observation = factories.ObservationFactory(session=source)
        action = factories.ActionFactory(
            team=team, owner=owner, created_by=cx_lead, observations=[observation]
        )
        verified(action, owner, cx_lead)
        revisit = ReVisit.objects.get(action=action)
        revisit.due_on = timezone.localdate() + dt.timedelta(days=due_in)
        revisit.save()
        if after is not None:
            # A bad feeling as strong as it gets: worse than the frustration (4) before.
            intensity = 5 if is_negative(after) else 2
            answer = factories.ObservationFactory(
                session=source, emotion=after, intensity=intensity, triage_state="untriaged"
            )
            revisit.record_answer(answer)
        return revisit

    return make
