import datetime as dt

import pytest
from django.utils import timezone

from immersion.models import ImmersionSession
from tests import factories


def start(session, at=None):
    session.status = ImmersionSession.Status.IN_PROGRESS
    session.started_at = at or timezone.now()
    session.save(update_fields=["status", "started_at"])
    return session


def complete(session, at=None):
    at = at or timezone.now()
    session.status = ImmersionSession.Status.COMPLETED
    session.started_at = session.started_at or at - dt.timedelta(hours=1)
    session.ended_at = at
    session.save(update_fields=["status", "started_at", "ended_at"])
    return session


@pytest.fixture
def persona(db):
    return factories.PersonaFactory(name="Wheelchair user")


@pytest.fixture
def session_a(manager, store_a, persona):
    """Store A's floor walk, in progress, led by the manager."""
    return start(factories.SessionFactory(team=store_a, lead=manager, persona=persona))


@pytest.fixture
def session_b(other_manager, store_b):
    return start(factories.SessionFactory(team=store_b, lead=other_manager))


@pytest.fixture
def observation_a(session_a, manager):
    return factories.ObservationFactory(session=session_a, author=manager)
