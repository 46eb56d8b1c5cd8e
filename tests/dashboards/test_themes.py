"""The dashboard's themes: counts by how customers felt, median times, and the theme filter.

On the crafted data: Signage is on o1 and o2 (frustrated) and o4 (happy), and on actions
a1 (done after 9 days, verified after 10) and a5 (done after 3, verified after 4); Waiting
time is on o2 and o3 (angry), and on action a3 (in progress, never started by an event).
"""

import pytest
from django.urls import reverse

from tests import factories
from tests.dashboards.conftest import PERIOD

pytestmark = pytest.mark.django_db
URL = reverse("insights:dashboard")


@pytest.fixture
def themed(crafted):
    signage = factories.ThemeFactory(name="Signage")
    waiting = factories.ThemeFactory(name="Waiting time")
    o1, o2, o3, o4 = crafted["observations"]
    a1, _, a3, _, a5 = crafted["actions"]
    for observation in (o1, o2, o4):
        observation.themes.add(signage)
    for observation in (o2, o3):
        observation.themes.add(waiting)
    a1.themes.add(signage)
    a5.themes.add(signage)
    a3.themes.add(waiting)
    return {"signage": signage, "waiting": waiting}


def by_name(rows):
    return {row["theme"].name: row for row in rows}


def test_themes_are_counted_by_how_customers_felt(client_as, cast, themed):
    response = client_as(cast["executive"]).get(URL, PERIOD)

    rows = by_name(response.context["theme_feelings"])
    assert [(r["observations"], r["bad"], r["neutral"], r["good"]) for r in rows.values()] == [
        (3, 2, 0, 1),
        (2, 2, 0, 0),
    ]
    assert list(rows) == ["Signage", "Waiting time"]


def test_median_times_are_shown_by_theme(client_as, cast, themed):
    response = client_as(cast["executive"]).get(URL, PERIOD)

    rows = by_name(response.context["theme_times"])
    signage = rows["Signage"]
    assert (signage["actions"], signage["to_done"], signage["to_verified"]) == (2, 6.0, 7.0)
    assert signage["to_start"] is None
    assert rows["Waiting time"]["actions"] == 1
    assert "How long actions take, per team" in response.content.decode()


def test_the_theme_filter_narrows_observations_and_actions(client_as, cast, themed):
    params = {**PERIOD, "theme": themed["waiting"].pk}

    response = client_as(cast["executive"]).get(URL, params)

    headline = response.context["headline"]
    assert (headline["observations"], headline["actions"]) == (2, 1)
    assert f"theme={themed['waiting'].pk}" in response.context["links"]["observations"]


def test_each_theme_links_to_its_observations_and_actions(client_as, cast, themed):
    response = client_as(cast["executive"]).get(URL, PERIOD)

    row = by_name(response.context["theme_feelings"])["Signage"]
    listed = client_as(cast["executive"]).get(row["observations_url"])
    actions = client_as(cast["executive"]).get(row["actions_url"])

    assert listed.context["page"].paginator.count == 3
    assert actions.context["page"].paginator.count == 2


@pytest.mark.parametrize("value", ["99999", "not-a-number"])
def test_an_unknown_theme_is_refused_with_400(client_as, cast, value):
    response = client_as(cast["executive"]).get(URL, {"theme": value})

    assert response.status_code == 400
    assert "themes in the list" in " ".join(response.context["form"].errors["theme"])


def test_a_manager_sees_only_their_teams_under_each_theme(client_as, cast, themed):
    response = client_as(cast["manager"]).get(URL, PERIOD)

    rows = by_name(response.context["theme_feelings"])
    # Store A only: o1 and o2 carry Signage, o2 Waiting time.
    assert (rows["Signage"]["observations"], rows["Waiting time"]["observations"]) == (2, 1)
