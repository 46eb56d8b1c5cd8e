"""The journey view: feelings along the journey, each figure equal to the list it links to."""

import math

import pytest
from django.urls import reverse

from immersion.models import Touchpoint
from journal.models import Emotion, JourneyStage, Observation
from tests import factories
from tests.dashboards.conftest import PERIOD, at, completed_session, observation
from tests.dashboards.test_query_counts import more_data

pytestmark = pytest.mark.django_db

URL = reverse("insights:journey")


def listed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


@pytest.fixture
def journey(client_as, cast, crafted):
    client = client_as(cast["executive"])
    return client, client.get(URL, PERIOD).context


def stage(context, value):
    return next(s for s in context["stages"] if s.value == value)


@pytest.mark.parametrize(
    ("who", "status"),
    [("executive", 200), ("cx_lead", 200), ("manager", 403), ("owner", 403)],
)
def test_executives_and_cx_leads_read_the_journey(client_as, cast, who, status):
    assert client_as(cast[who]).get(URL).status_code == status


def test_anonymous_is_sent_to_sign_in(client_as):
    assert client_as(None).get(URL).status_code == 302


def test_the_journey_is_in_the_menu_of_executives_and_cx_leads(client_as, cast):
    for who in ("executive", "cx_lead"):
        assert URL in client_as(cast[who]).get(reverse("home")).content.decode()


def test_a_malformed_filter_gets_a_clear_message_and_400(client_as, cast):
    response = client_as(cast["executive"]).get(URL, {"persona": "x"})
    assert response.status_code == 400
    assert "stages" not in response.context
    assert "could not be used" in response.content.decode()


def test_stages_come_in_journey_order_each_with_its_average_and_spread(journey):
    _, context = journey
    assert [s.value for s in context["stages"]] == list(JourneyStage.values)
    # o1 frustrated 4 (-4), o2 frustrated 2 (-2), o3 angry 5 (-5), o4 happy 3 (+3), all "choose".
    choose = stage(context, JourneyStage.CHOOSE).tally
    assert choose.count == 4
    assert choose.mean == pytest.approx(-2.0)
    assert choose.spread == pytest.approx(math.sqrt((16 + 4 + 25 + 9) / 4 - 4))


def test_touchpoints_within_a_stage_are_scored_apart(journey):
    _, context = journey
    points = {p.touchpoint: p.tally for p in stage(context, JourneyStage.CHOOSE).points}
    assert points[Touchpoint.STORE].mean == pytest.approx(-3.0)
    assert points[Touchpoint.PHONE].mean == pytest.approx(-1.0)


def test_a_verified_action_splits_its_touchpoint_into_before_and_after(journey):
    # a1, about o1 (store), was verified on 16 May: o1 (-4) is before, o2 (-2) after.
    _, context = journey
    store = next(p for p in stage(context, JourneyStage.CHOOSE).points if p.touchpoint == "store")
    assert str(store.verified_on) == "2026-05-16"
    assert (store.before.count, store.before.mean) == (1, -4)
    assert (store.after.count, store.after.mean) == (1, -2)


def test_a_touchpoint_with_no_verified_action_has_no_before_and_after(journey):
    _, context = journey
    phone = next(p for p in stage(context, JourneyStage.CHOOSE).points if p.touchpoint == "phone")
    assert phone.verified_on is None


def test_every_figure_equals_the_observations_it_links_to(journey):
    client, context = journey
    for s in context["stages"]:
        assert listed(client, s.url) == s.tally.count
        for point in s.points:
            assert listed(client, point.url) == point.tally.count
            if point.verified_on:
                assert listed(client, point.before_url) == point.before.count
                assert listed(client, point.after_url) == point.after.count


def test_personas_are_compared_stage_by_stage_and_link_to_their_observations(
    client_as, cast, crafted
):
    listening_post = crafted["observations"][2].session
    persona = factories.PersonaFactory(name="Wheelchair user")
    type(listening_post).objects.filter(pk=listening_post.pk).update(persona=persona)
    client = client_as(cast["executive"])
    context = client.get(URL, PERIOD).context
    [row] = context["personas"]
    assert row["name"] == "Wheelchair user"
    choose = next(c for c in row["cells"] if c["stage"].value == JourneyStage.CHOOSE)
    assert choose["tally"].count == 2
    assert listed(client, choose["url"]) == 2


def test_the_persona_filter_narrows_the_journey(client_as, cast, crafted):
    persona = factories.PersonaFactory(name="Parent with a buggy")
    session = crafted["observations"][0].session
    type(session).objects.filter(pk=session.pk).update(persona=persona)
    context = client_as(cast["executive"]).get(URL, {**PERIOD, "persona": persona.pk}).context
    assert stage(context, JourneyStage.CHOOSE).tally.count == 1
    assert context["personas"] == []


def test_observations_without_a_stage_are_shown_and_linked(client_as, cast, crafted, store_a):
    session = completed_session(store_a, cast["manager"], at(5, 27), crafted["walk"])
    observation(session, at(5, 27), journey_stage="", emotion=Emotion.HAPPY, intensity=5)
    client = client_as(cast["executive"])
    context = client.get(URL, PERIOD).context
    unrecorded = stage(context, "")
    assert unrecorded.tally.count == 1
    assert listed(client, unrecorded.url) == 1


def test_the_journal_list_filters_by_journey_stage(client_as, cast, crafted):
    client = client_as(cast["executive"])
    assert listed(client, reverse("journal:list") + "?journey_stage=choose") == 5
    assert listed(client, reverse("journal:list") + "?journey_stage=buy") == 0
    assert Observation.objects.filter(journey_stage="").count() == 0


# 1 user, 2 roles, 3 teams, 4 subtree (scope); 5 stage and touchpoint groups, 6 first
# verifications, 7 before and after, 8 themes by stage, 9 re-visits by stage, 10 persona
# groups; filter form: 11 team, 12 session type, 13 persona, 14 programme, 15 theme
# choices.
JOURNEY_QUERIES = 15


@pytest.mark.parametrize("size", [2, 40])
def test_journey_query_count_does_not_grow(
    client_as, cast, crafted, store_a, store_b, size, django_assert_num_queries
):
    more_data(cast, store_a, store_b, size)
    client = client_as(cast["executive"])
    with django_assert_num_queries(JOURNEY_QUERIES):
        response = client.get(URL, PERIOD)
    assert response.status_code == 200
