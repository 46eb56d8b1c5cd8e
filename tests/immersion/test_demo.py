"""The scheduling part of the demo: a catalogue, programmes and a quarter in every status."""

import io
import random

import pytest

from immersion import demo
from immersion.models import ImmersionSession, Persona, Programme, SessionType

pytestmark = pytest.mark.django_db


def seed():
    demo.seed(io.StringIO(), random.Random(7))


def counts():
    return (
        SessionType.objects.count(),
        Persona.objects.count(),
        Programme.objects.count(),
        ImmersionSession.objects.count(),
    )


def test_demo_has_the_catalogue_with_prompts_and_touchpoints():
    seed()

    assert SessionType.objects.count() == 8
    for session_type in SessionType.objects.all():
        assert len(session_type.prompts) >= 5
        assert session_type.suggested_touchpoint_labels
    assert Persona.objects.count() == 6


def test_demo_quarter_has_sessions_in_every_status():
    seed()

    statuses = set(ImmersionSession.objects.values_list("status", flat=True))
    assert statuses == set(ImmersionSession.Status.values)


def test_every_demo_session_has_its_history():
    seed()

    assert not ImmersionSession.objects.filter(events__isnull=True).exists()


def test_seeding_twice_adds_nothing():
    seed()
    before = counts()

    seed()

    assert counts() == before
