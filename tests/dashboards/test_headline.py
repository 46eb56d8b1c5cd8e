"""The headline row: four figures, each against the previous period of the same length.

On the crafted data (tests/dashboards/conftest.py) the period is 4 May to 14 June, 42
days, so the previous period is 23 March to 3 May; today is 17 June.
"""

import datetime as dt

import pytest
from django.urls import reverse

from insights.dashboard_filters import Filters
from insights.dashboard_headline import previous
from tests.dashboards.conftest import PERIOD, action, at, finish

pytestmark = pytest.mark.django_db

URL = reverse("insights:dashboard")


def figures(client_as, user, **params):
    response = client_as(user).get(URL, {**PERIOD, **params})
    assert response.status_code == 200, response.content
    return {figure.key: figure for figure in response.context["headline_figures"]}


def test_previous_period_has_the_same_length_and_ends_the_day_before():
    filters = Filters(
        start=dt.date(2026, 5, 4),
        end=dt.date(2026, 6, 14),
        today=dt.date(2026, 6, 17),
        team_ids=frozenset(),
        team=None,
        base_teams=None,
        session_type=None,
        persona=None,
        programme=None,
        period="custom",
    )
    before = previous(filters)
    assert (before.start, before.end) == (dt.date(2026, 3, 23), dt.date(2026, 5, 3))
    assert before.end - before.start == filters.end - filters.start


@pytest.fixture
def earlier(crafted, cast, store_a):
    """Actions due around the previous period's first day, both finished on time."""
    owner = cast["owner"]
    first_day = action(store_a, owner, at(3, 1), dt.date(2026, 3, 23))
    finish(first_day, at(3, 20))
    day_before = action(store_a, owner, at(3, 1), dt.date(2026, 3, 22))
    finish(day_before, at(3, 20))
    # Late on 3 May (due 20 March, done 5 May), finished now: overdue then, not now.
    late_then = action(store_a, owner, at(3, 1), dt.date(2026, 3, 20))
    finish(late_then, at(5, 5))


def test_on_time_compares_with_the_previous_period_of_the_same_length(client_as, cast, earlier):
    on_time = figures(client_as, cast["executive"])["on_time"]
    # Due 4 May to 14 June: a1 on time; a2 open; a4 and a5 done a day late.
    assert on_time.value == "25%"
    assert on_time.detail == "1 of 4 due"
    # Due 23 March to 3 May: the one due on 23 March (on time) and April's (open), not
    # the one due on 22 March, a day before the previous period.
    assert on_time.previous == "50% in 23 Mar to 3 May 2026"
    assert on_time.change == -25
    assert (on_time.arrow, on_time.verdict) == ("\u2193", "worse")


def test_overdue_now_against_the_last_day_of_the_previous_period(client_as, cast, earlier):
    overdue = figures(client_as, cast["executive"])["overdue"]
    # Now: a2 (due 10 June) and April's action (due 10 April), the oldest 68 days late.
    assert overdue.value == "2"
    assert overdue.detail == "the oldest 68 days late"
    # On 3 May: April's action and the one due 20 March, done only on 5 May.
    assert overdue.previous == "2 on 3 May 2026"
    assert overdue.verdict == "same"


def test_more_overdue_is_worse_with_an_arrow_and_a_word(client_as, cast, crafted):
    overdue = figures(client_as, cast["executive"])["overdue"]
    assert overdue.previous == "1 on 3 May 2026"
    assert overdue.change == 1
    assert (overdue.arrow, overdue.verdict) == ("\u2191", "worse")


def test_waiting_for_a_decision_with_the_oldest(client_as, cast, crafted):
    waiting = figures(client_as, cast["executive"])["waiting"]
    # o2 (20 May) and the observation of 1 April are untriaged; only April's was made by 3 May.
    assert waiting.value == "2"
    assert waiting.detail == "the oldest for 77 days"
    assert waiting.previous == "1 on 3 May 2026"
    assert waiting.verdict == "worse"


def test_participation_against_the_previous_period(client_as, cast, crafted):
    taking_part = figures(client_as, cast["executive"])["participation"]
    assert taking_part.value == "75%"
    assert taking_part.detail == "3 sessions of 4"
    # No programme ran from 23 March to 3 May: nothing to compare with.
    assert taking_part.previous == "no data in 23 Mar to 3 May 2026"
    assert taking_part.change_text == "no comparison"
    assert taking_part.verdict == "unknown"


def listed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


@pytest.mark.parametrize(
    ("key", "count"),
    [
        ("on_time", lambda f: int(f.detail.split()[0])),
        ("overdue", lambda f: int(f.value)),
        ("waiting", lambda f: int(f.value)),
        ("participation", lambda f: int(f.detail.split()[0])),
    ],
)
def test_headline_figure_matches_its_list(client_as, cast, earlier, key, count):
    client = client_as(cast["executive"])
    figure = {f.key: f for f in client.get(URL, PERIOD).context["headline_figures"]}[key]
    assert listed(client, figure.url) == count(figure)


def test_team_filter_narrows_the_headline_and_its_links(client_as, cast, crafted, store_b):
    client = client_as(cast["executive"])
    context = client.get(URL, {**PERIOD, "team": store_b.pk}).context
    found = {f.key: f for f in context["headline_figures"]}
    assert found["overdue"].value == "0"
    assert found["waiting"].value == "0"
    assert listed(client, found["overdue"].url) == 0


def test_headline_row_reads_without_colour(client_as, cast, crafted):
    page = client_as(cast["executive"]).get(URL, PERIOD).content.decode()
    assert "Worse</strong>: +1" in page
    assert "List all overdue actions, whenever raised" in page
