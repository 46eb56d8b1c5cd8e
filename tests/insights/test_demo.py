import io
import random

import pytest
from django.utils import timezone

from immersion import demo as immersion_demo
from immersion.models import ImmersionSession
from insights import demo
from insights.models import Action, ActionEvent
from journal.models import Observation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_observations(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    immersion_demo.seed(io.StringIO(), random.Random(1))
    sessions = list(ImmersionSession.objects.filter(status="completed").order_by("pk"))
    observations = []
    for n in range(25):
        session = sessions[n % len(sessions)]
        observation = factories.ObservationFactory(session=session)
        # Seen during the session, as the journal's capture would have stamped it.
        Observation.objects.filter(pk=observation.pk).update(created_at=session.started_at)
        observations.append(observation)
    return observations


def test_demo_triages_most_observations_into_actions_in_every_status(demo_observations):
    demo.seed(io.StringIO(), random.Random(2))

    states = Observation.objects.values_list("triage_state", flat=True)
    assert list(states).count(Observation.TriageState.UNTRIAGED) == 5
    assert set(Action.objects.values_list("status", flat=True)) == set(Action.Status.values)
    assert Action.objects.overdue().count() >= 2
    assert Action.objects.filter(is_published=True, status="verified").count() == 3
    assert Observation.objects.filter(triage_state="no_action").exists()
    assert Observation.objects.filter(triage_state="duplicate").exists()


def test_demo_histories_are_in_the_past_and_in_order(demo_observations):
    demo.seed(io.StringIO(), random.Random(2))

    now = timezone.now()
    for action in Action.objects.all():
        times = list(action.events.order_by("pk").values_list("at", flat=True))
        assert times == sorted(times)
        assert all(at <= now for at in times)
    reopened = Action.objects.get(title="Quiet hour on Tuesday mornings")
    statuses = reopened.events.filter(kind=ActionEvent.Kind.STATUS).values_list(
        "new_value", flat=True
    )
    assert list(statuses) == ["in_progress", "done", "verified", "in_progress"]


def test_demo_runs_twice_without_adding_anything(demo_observations):
    demo.seed(io.StringIO(), random.Random(2))
    counts = (Action.objects.count(), ActionEvent.objects.count())

    demo.seed(io.StringIO(), random.Random(2))

    assert (Action.objects.count(), ActionEvent.objects.count()) == counts


def test_demo_without_observations_makes_nothing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    immersion_demo.seed(io.StringIO(), random.Random(1))

    demo.seed(io.StringIO(), random.Random(2))

    assert not Action.objects.exists()
