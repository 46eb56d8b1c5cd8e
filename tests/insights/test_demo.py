import datetime as dt
import io
import random

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from immersion import demo as immersion_demo
from immersion.models import ImmersionSession, Programme
from insights import demo, demo_public_photos
from insights.models import Action, ActionEvent, PublicPhoto
from journal.models import Observation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_observations(settings):
    """One sighting of each problem the demo answers, some seen again, and one delight."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    immersion_demo.seed(io.StringIO(), random.Random(1))
    leeds = ImmersionSession.objects.filter(team__name="Leeds Briggate").first()
    answered = [f"Seen today: {phrase}." for phrase, *_ in demo.RESPONSES]
    texts = ["A colleague opened the wide fitting room without being asked."] * 2
    texts += answered[:4] * 4 + answered
    start = timezone.now() - dt.timedelta(days=60)
    made = []
    for number, text in enumerate(texts):
        kind = "delight" if "without being asked" in text else "pain_point"
        observation = factories.ObservationFactory(session=leeds, what_happened=text, kind=kind)
        seen = start + dt.timedelta(days=number)
        Observation.objects.filter(pk=observation.pk).update(created_at=seen)
        made.append(observation)
    return made


def test_demo_triages_most_observations_into_actions_in_every_status(demo_observations):
    demo.seed(io.StringIO(), random.Random(2))

    # Customer reports, also seeded, come in on their own and are left aside here.
    staff = Observation.objects.filter(source=Observation.Source.STAFF)
    states = list(staff.values_list("triage_state", flat=True))
    # The newest fifth of those seen since the quarter's programme started stays untriaged.
    starts_on = Programme.objects.get(name=immersion_demo.PROGRAMME_NAME).starts_on
    in_quarter = staff.filter(created_at__date__gte=starts_on).count()
    assert states.count("untriaged") == in_quarter // 5
    assert states.count("actioned") > len(states) / 2
    assert {"no_action", "duplicate"} <= set(states)
    assert set(Action.objects.values_list("status", flat=True)) == set(Action.Status.values)
    assert Action.objects.overdue().exists()
    assert Action.objects.filter(is_published=True, status="verified").exists()


def test_demo_histories_are_in_the_past_and_in_order(demo_observations):
    demo.seed(io.StringIO(), random.Random(2))

    now = timezone.now()
    for action in Action.objects.all():
        times = list(action.events.order_by("pk").values_list("at", flat=True))
        assert times == sorted(times)
        assert times[-1] <= now
        assert action.created_at >= max(o.created_at for o in action.observations.all())
    reopened = Action.objects.get(title="Accept e-mailed receipts for exchanges")
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


def test_demo_gives_each_team_a_default_action_owner(demo_observations):
    from insights.models import TeamTriageSettings

    demo.seed(io.StringIO(), random.Random(2))

    defaults = {
        str(s.team): s.default_owner.username
        for s in TeamTriageSettings.objects.select_related("team", "default_owner")
    }
    assert defaults == {team: names[0] for team, names in demo.OWNERS_BY_TEAM.items()}


def test_demo_publishes_a_before_and_an_after_photo_of_a_fix(demo_observations):
    demo.seed(io.StringIO(), random.Random(2))

    shown = PublicPhoto.objects.shown()
    assert sorted(shown.values_list("side", flat=True)) == ["after", "before"]
    before = shown.get(side=PublicPhoto.Side.BEFORE)
    # The drawn shopper's face is covered by the demo CX lead's box.
    assert before.drawn_boxes == [list(demo_public_photos.HEAD)]
    assert all(default_storage.exists(photo.file.name) for photo in shown)
