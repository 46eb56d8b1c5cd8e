"""Fixtures for the insights tests: an observation and an action in store A of the cast."""

import pytest

from insights.models import Action
from tests import factories
from tests.insights.helpers import in_days


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
