"""Every figure links to the list behind it, and that list holds exactly what was counted."""

import pytest
from django.urls import reverse

from immersion.models import ImmersionSession
from tests import factories
from tests.dashboards.conftest import PERIOD

pytestmark = pytest.mark.django_db


def listed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


@pytest.fixture
def board(client_as, cast, crafted):
    client = client_as(cast["executive"])
    context = client.get(reverse("insights:dashboard"), PERIOD).context
    return client, context


@pytest.mark.parametrize(
    ("link", "figure"),
    [
        ("sessions", "completed_sessions"),
        ("observations", "observations"),
        ("untriaged", "untriaged"),
        ("actions", "actions"),
        ("finished_due", "finished_due"),
        ("overdue", "overdue"),
        ("published", "published"),
    ],
)
def test_headline_figure_matches_its_list(board, link, figure):
    client, context = board
    assert listed(client, context["links"][link]) == context["headline"][figure]


def test_team_rows_link_to_that_teams_actions_and_sessions(board):
    client, context = board
    for row in context["teams"]:
        assert listed(client, row.actions_url) == row.actions
        assert listed(client, row.sessions_url) == row.completed_sessions
        for _, count, url in row.status_urls:
            assert listed(client, url) == count


def test_heat_map_cells_link_to_their_observations(board):
    client, context = board
    for heat_row in context["heatmap"]["rows"]:
        for cell in heat_row["cells"]:
            if cell["count"]:
                assert listed(client, cell["url"]) == cell["count"]


def test_weekly_rows_link_to_that_weeks_sessions_and_actions(board):
    client, context = board
    for point in context["trend"]:
        assert listed(client, point["sessions_url"]) == point["completed_sessions"]
        assert listed(client, point["actions_url"]) == point["due"]


def test_team_filter_is_carried_into_the_links(client_as, cast, crafted, store_b):
    client = client_as(cast["executive"])
    context = client.get(reverse("insights:dashboard"), {**PERIOD, "team": store_b.pk}).context
    assert listed(client, context["links"]["actions"]) == 3
    assert listed(client, context["links"]["observations"]) == 2


@pytest.mark.parametrize("narrowing", ["persona", "programme"])
def test_persona_and_programme_filters_are_carried_into_the_links(
    client_as, cast, crafted, narrowing
):
    # The listening post at store B (o3, o4, and action a3 from o3) is the one narrowed to.
    listening_post = crafted["observations"][2].session
    value = (
        factories.PersonaFactory(name="Customer with a complaint")
        if narrowing == "persona"
        else crafted["programme"]
    )
    ImmersionSession.objects.filter(pk=listening_post.pk).update(**{narrowing: value})
    client = client_as(cast["executive"])

    context = client.get(reverse("insights:dashboard"), {**PERIOD, narrowing: value.pk}).context

    headline = context["headline"]
    assert (headline["completed_sessions"], headline["observations"], headline["actions"]) == (
        1,
        2,
        1,
    )
    for link, figure in [
        ("sessions", "completed_sessions"),
        ("observations", "observations"),
        ("actions", "actions"),
    ]:
        assert listed(client, context["links"][link]) == headline[figure]
