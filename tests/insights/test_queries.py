"""Each page's query count is pinned, and the same with a little or a lot of data."""

import pytest
from django.urls import reverse

from tests import factories
from tests.insights.helpers import done

pytestmark = pytest.mark.django_db


def fill(size, *, owner, store_a, session_a):
    """`size` untriaged observations, and `size` actions for the owner, each with history;
    every observation and action carries `size` themes."""
    themes = [factories.ThemeFactory() for _ in range(size)]
    for _ in range(size):
        observation = factories.ObservationFactory(session=session_a)
        action = factories.ActionFactory(owner=owner, team=store_a)
        action.observations.add(observation)
        action.themes.add(*themes)
        observation.themes.add(*themes)
        factories.ObservationFactory(session=session_a).themes.add(*themes)


@pytest.fixture
def busy_action(action, owner):
    done(action, owner)
    for number in range(3):
        action.comment(by=owner, text=f"Update {number}")
    return action


@pytest.mark.parametrize("size", [1, 12])
def test_triage_queue_queries(client_as, cx_lead, owner, store_a, session_a, size,
                              django_assert_num_queries):  # fmt: skip
    fill(size, owner=owner, store_a=store_a, session_a=session_a)
    client = client_as(cx_lead)
    # user, their groups (roles), their teams, the subtree of those teams,
    # the filter's team, session type and persona choices, how many wait and the oldest,
    # count of the queue, one page of observations with session/type/team/lead/author,
    # their photos (one prefetch); the bulk forms' owners by team, teams and open actions,
    # the normal priority's policy for the new action's default due date, and the themes
    with django_assert_num_queries(16):
        response = client.get(reverse("insights:triage-queue"))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 20])
def test_my_actions_queries(client_as, owner, store_a, session_a, size,
                            django_assert_num_queries):  # fmt: skip
    fill(size, owner=owner, store_a=store_a, session_a=session_a)
    client = client_as(owner)
    # user, their groups (roles, for the navigation), count of their unfinished actions,
    # one page of them with their team
    with django_assert_num_queries(4):
        response = client.get(reverse("insights:my-actions"))
    assert len(response.context["actions"]) == min(size, 15)


@pytest.mark.parametrize("size", [1, 30])
def test_action_list_queries(client_as, cx_lead, owner, store_a, session_a, size,
                             django_assert_num_queries):  # fmt: skip
    fill(size, owner=owner, store_a=store_a, session_a=session_a)
    client = client_as(cx_lead)
    # user, groups, teams, subtree; count of the page; the filter's owner, team, session
    # type, persona, programme and theme choices; one page of actions with owner and team;
    # their themes
    with django_assert_num_queries(13):
        response = client.get(reverse("insights:action-list"), {"status": "open"})
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 10])
def test_action_page_queries(client_as, cx_lead, busy_action, session_a, size,
                             django_assert_num_queries):  # fmt: skip
    for _ in range(size):
        busy_action.observations.add(factories.ObservationFactory(session=session_a))
        busy_action.themes.add(factories.ThemeFactory())
        busy_action.comment(by=cx_lead, text="Checked in store.")
    client = client_as(cx_lead)
    # user, groups, teams, subtree; the action with owner/team/creator/verifier;
    # its evidence photos, its observations with session, type and team, its events with
    # actor, its themes, its re-visits with their answers
    with django_assert_num_queries(10):
        response = client.get(reverse("insights:action-detail", args=[busy_action.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 10])
def test_triage_observation_page_queries(client_as, cx_lead, owner, store_a, session_a, size,
                                         django_assert_num_queries):  # fmt: skip
    fill(size, owner=owner, store_a=store_a, session_a=session_a)
    observation = factories.ObservationFactory(session=session_a)
    client = client_as(cx_lead)
    # user, groups, teams, subtree; the observation with its session context; its photos,
    # its actions, its duplicates; the queue's order (previous and next); the team's default
    # owner; the priority's policy for the default due date; the choices of the new-action
    # form (owners by team, teams), of the link form (open actions) and of the duplicate
    # form (observations); the open actions and the recent observations most like it;
    # the themes: of those alike (observations, actions), most used at the touchpoint, the
    # suggested ones, the observation's own, and those offered
    with django_assert_num_queries(23):
        response = client.get(reverse("insights:triage-observation", args=[observation.pk]))
    assert response.status_code == 200
