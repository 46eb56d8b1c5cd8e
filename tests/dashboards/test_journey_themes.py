"""The journey per stage: its most filed themes and what re-visits of its fixes found, each
figure equal to the list it links to."""

import datetime as dt

import pytest
from django.urls import reverse

from insights.models import ReVisit
from journal.models import Emotion, JourneyStage
from tests import factories
from tests.dashboards.conftest import PERIOD, at, completed_session, observation
from tests.dashboards.test_journey import listed, stage

pytestmark = pytest.mark.django_db
URL = reverse("insights:journey")


@pytest.fixture
def themed(crafted):
    signage = factories.ThemeFactory(name="Signage")
    queues = factories.ThemeFactory(name="Waiting time")
    o1, o2, o3, _o4 = crafted["observations"]
    for filed in (o1, o2):
        filed.themes.add(signage)
    o3.themes.add(queues)
    return {"signage": signage, "queues": queues}


def revisit(crafted, store_a, manager, before, after, improved):
    """An answered re-visit of a fix verified in the period."""
    session = completed_session(store_a, manager, at(5, 28), crafted["walk"])
    answer = observation(session, at(5, 28), emotion=after, intensity=3)
    action = factories.ActionFactory(team=store_a)
    return ReVisit.objects.create(
        action=action,
        team=store_a,
        touchpoint=before.touchpoint,
        before=before,
        before_emotion=before.emotion,
        before_intensity=before.intensity,
        verified_at=at(5, 20),
        due_on=dt.date(2026, 6, 10),
        answer=answer,
        answered_at=at(5, 28),
        improved=improved,
    )


def test_each_stage_names_its_most_filed_themes_with_links_that_long(client_as, cast, themed):
    client = client_as(cast["executive"])
    context = client.get(URL, PERIOD).context

    themes = stage(context, JourneyStage.CHOOSE).themes
    assert [(t["name"], t["count"]) for t in themes] == [("Signage", 2), ("Waiting time", 1)]
    for theme in themes:
        assert listed(client, theme["url"]) == theme["count"]


def test_a_stage_shows_what_the_revisits_of_its_fixes_found(client_as, cast, crafted, store_a):
    o1, o2, *_ = crafted["observations"]
    revisit(crafted, store_a, cast["manager"], o1, Emotion.HAPPY, improved=True)
    revisit(crafted, store_a, cast["manager"], o2, Emotion.ANGRY, improved=False)
    client = client_as(cast["executive"])

    checked = stage(client.get(URL, PERIOD).context, JourneyStage.CHOOSE).checked

    assert (checked.answered, checked.improved) == (2, 1)
    assert checked.before.mean == pytest.approx(-3.0)  # frustrated 4 and frustrated 2
    assert checked.after.mean == pytest.approx(0.0)  # happy 3 and angry 3
    assert client.get(checked.url).context["page"].paginator.count == 2


def test_a_stage_with_no_revisits_says_nothing_of_them(client_as, cast, crafted):
    context = client_as(cast["executive"]).get(URL, PERIOD).context

    assert stage(context, JourneyStage.CHOOSE).checked is None


def test_the_revisit_list_refuses_an_unknown_stage(client_as, cast):
    response = client_as(cast["cx_lead"]).get(reverse("insights:revisit-list"), {"stage": "x"})

    assert response.status_code == 400
    assert "Choose one of the stages in the list." in response.text
