import pytest

from tests import factories


def start(session):
    session.start(by=session.lead)
    return session


def complete(session):
    session.complete(
        by=session.lead,
        surprised_by="How long the queue was.",
        customer_feeling="Ignored.",
        would_change="Open a second till.",
    )
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


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is meant to be slow; these tests sign users in with force_login instead.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
