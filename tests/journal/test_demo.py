import io
import random

import pytest

from immersion import demo as immersion_demo
from journal import demo
from journal.models import Observation, Photo

pytestmark = pytest.mark.django_db


def test_the_demo_journal_is_made_once_with_photos_through_the_pipeline(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(demo, "EARLIER_SESSIONS_EACH", 1)
    immersion_demo.seed(io.StringIO(), random.Random(1))
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(io.StringIO(), random.Random(1))
    observations, photos = Observation.objects.count(), Photo.objects.count()

    demo.seed(io.StringIO(), random.Random(2))

    assert observations > 50
    assert photos > 0
    assert (Observation.objects.count(), Photo.objects.count()) == (observations, photos)
    assert set(Photo.objects.values_list("state", flat=True)) == {Photo.State.READY}
    assert Observation.objects.values("touchpoint").distinct().count() > 5
