"""The triage queue: filters and sorts kept in the URL, the waiting count, and "next" in order."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from journal.models import Emotion, Observation
from tests import factories

pytestmark = pytest.mark.django_db


def queue(client, **params):
    return client.get(reverse("insights:triage-queue"), params)


def listed(response) -> list[int]:
    return [o.pk for o in response.context["page"].object_list]


def aged(observation, days: int):
    Observation.objects.filter(pk=observation.pk).update(
        created_at=timezone.now() - dt.timedelta(days=days)
    )
    return observation


@pytest.fixture
def session_b(store_b, other_manager):
    return factories.SessionFactory(team=store_b, lead=other_manager)


def test_team_filter_includes_sub_teams(client_as, cx_lead, region, session_a, session_b):
    in_a = factories.ObservationFactory(session=session_a)
    in_b = factories.ObservationFactory(session=session_b)
    client = client_as(cx_lead)

    assert set(listed(queue(client, team=region.pk))) == {in_a.pk, in_b.pk}
    assert listed(queue(client, team=session_a.team_id)) == [in_a.pk]


@pytest.mark.parametrize(
    ("param", "field", "wanted", "other"),
    [
        ("touchpoint", "touchpoint", "signage", "store"),
        ("feeling", "emotion", "angry", "happy"),
        ("kind", "kind", "idea", "pain_point"),
        ("impact", "impact", "high", "low"),
    ],
)
def test_each_observation_field_filters_the_queue(
    client_as, cx_lead, session_a, param, field, wanted, other
):
    match = factories.ObservationFactory(session=session_a, **{field: wanted})
    factories.ObservationFactory(session=session_a, **{field: other})

    response = queue(client_as(cx_lead), **{param: wanted})

    assert listed(response) == [match.pk]


def test_session_type_and_persona_filter_through_the_session(
    client_as, cx_lead, store_a, manager, session_a
):
    walker = factories.PersonaFactory(name="Wheelchair user")
    day = factories.SessionFactory(team=store_a, lead=manager, persona=walker)
    match = factories.ObservationFactory(session=day)
    factories.ObservationFactory(session=session_a)
    client = client_as(cx_lead)

    assert listed(queue(client, persona=walker.pk)) == [match.pk]
    assert listed(queue(client, session_type=day.session_type_id)) == [match.pk]


def test_age_filter_keeps_observations_waiting_longer(client_as, cx_lead, session_a):
    old = aged(factories.ObservationFactory(session=session_a), 10)
    factories.ObservationFactory(session=session_a)

    assert listed(queue(client_as(cx_lead), age=7)) == [old.pk]


def test_sort_by_impact_puts_high_first_then_oldest(client_as, cx_lead, session_a):
    low = aged(factories.ObservationFactory(session=session_a, impact="low"), 5)
    high_new = factories.ObservationFactory(session=session_a, impact="high")
    high_old = aged(factories.ObservationFactory(session=session_a, impact="high"), 3)

    response = queue(client_as(cx_lead), sort="impact")

    assert listed(response) == [high_old.pk, high_new.pk, low.pk]


def test_sort_by_feeling_puts_the_worst_and_strongest_first(client_as, cx_lead, session_a):
    happy = aged(factories.ObservationFactory(session=session_a, emotion=Emotion.HAPPY), 9)
    mild = factories.ObservationFactory(session=session_a, emotion=Emotion.IGNORED, intensity=2)
    strong = factories.ObservationFactory(session=session_a, emotion=Emotion.IGNORED, intensity=5)
    confused = factories.ObservationFactory(session=session_a, emotion=Emotion.CONFUSED)

    response = queue(client_as(cx_lead), sort="feeling")

    assert listed(response) == [strong.pk, mild.pk, confused.pk, happy.pk]


def test_default_order_is_oldest_first(client_as, cx_lead, session_a):
    newer = factories.ObservationFactory(session=session_a)
    older = aged(factories.ObservationFactory(session=session_a), 2)

    assert listed(queue(client_as(cx_lead))) == [older.pk, newer.pk]


def test_waiting_count_and_oldest_age_stay_visible_under_filters(client_as, cx_lead, session_a):
    aged(factories.ObservationFactory(session=session_a, impact="low"), 6)
    factories.ObservationFactory(session=session_a, impact="high")

    response = queue(client_as(cx_lead), impact="high")

    content = response.content.decode()
    assert "<strong>2</strong> waiting" in content
    assert "oldest <strong>6 days</strong>" in content
    assert "1 matches the filters" in content


def test_a_team_outside_the_scope_is_refused_with_a_message(client_as, cx_lead, session_a):
    elsewhere = factories.TeamFactory(name="Elsewhere")

    response = queue(client_as(cx_lead), team=elsewhere.pk)

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("params", [{"sort": "random"}, {"age": "-3"}, {"feeling": "sleepy"}])
def test_bad_filter_values_answer_400_not_500(client_as, cx_lead, session_a, params):
    factories.ObservationFactory(session=session_a)

    assert queue(client_as(cx_lead), **params).status_code == 400


def test_team_choices_are_only_the_cx_leads_teams(client_as, cx_lead, session_a, store_b):
    factories.TeamFactory(name="Elsewhere")

    response = queue(client_as(cx_lead))

    teams = {str(team) for team in response.context["filter"].filters["team"].queryset}
    assert teams == {"North", "Store A", "Store B"}


def test_queue_links_carry_the_filters(client_as, cx_lead, session_a):
    observation = factories.ObservationFactory(session=session_a, impact="high")

    content = queue(client_as(cx_lead), impact="high", sort="feeling").content.decode()

    link = reverse("insights:triage-observation", args=[observation.pk])
    assert f'href="{link}?impact=high&amp;sort=feeling"' in content


def test_previous_and_next_follow_the_filtered_sorted_queue(client_as, cx_lead, session_a):
    low = factories.ObservationFactory(session=session_a, impact="low")
    high = factories.ObservationFactory(session=session_a, impact="high")
    medium = factories.ObservationFactory(session=session_a, impact="medium")

    response = client_as(cx_lead).get(
        reverse("insights:triage-observation", args=[medium.pk]), {"sort": "impact"}
    )

    assert (response.context["previous_pk"], response.context["next_pk"]) == (high.pk, low.pk)


def test_next_after_a_decision_stays_in_the_filtered_queue(client_as, cx_lead, session_a):
    first = factories.ObservationFactory(session=session_a, impact="high")
    factories.ObservationFactory(session=session_a, impact="low")
    following = factories.ObservationFactory(session=session_a, impact="high")

    response = client_as(cx_lead).post(
        reverse("insights:triage-no-action", args=[first.pk]) + "?impact=high",
        {"reason": "A one-off."},
    )

    expected = reverse("insights:triage-observation", args=[following.pk]) + "?impact=high"
    assert response.url == expected


def test_the_last_decision_in_a_filtered_queue_returns_to_it(client_as, cx_lead, session_a):
    only = factories.ObservationFactory(session=session_a, impact="high")
    factories.ObservationFactory(session=session_a, impact="low")

    response = client_as(cx_lead).post(
        reverse("insights:triage-no-action", args=[only.pk]) + "?impact=high",
        {"reason": "A one-off."},
    )

    assert response.url == reverse("insights:triage-queue") + "?impact=high"


@pytest.mark.parametrize("size", [2, 30])
def test_filtered_queue_queries_are_constant(
    client_as, cx_lead, session_a, size, django_assert_num_queries
):
    for _ in range(size):
        factories.ObservationFactory(session=session_a, impact="high")
    client = client_as(cx_lead)
    # user, groups, teams, subtree; the filter's team, session type and persona choices;
    # the chosen team; how many wait and the oldest; count of the filtered queue; one page
    # of it with session, type, team, lead and author; their photos; the bulk forms' owners
    # by team, teams and open actions, the policy for the default due date, and the themes
    with django_assert_num_queries(17):
        response = queue(client, impact="high", sort="feeling", team=session_a.team_id)
    assert len(listed(response)) == size


def test_an_observation_without_impact_reads_as_not_rated(client_as, cx_lead, session_a):
    unrated = factories.ObservationFactory(session=session_a, impact="")
    client = client_as(cx_lead)

    in_queue = queue(client)
    on_its_page = client.get(reverse("insights:triage-observation", args=[unrated.pk]))

    assert "impact not rated" in in_queue.content.decode()
    assert "impact not rated" in on_its_page.content.decode()
