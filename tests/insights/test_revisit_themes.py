"""The dashboard's re-visits per theme of the verified action: each count is a list that long."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from insights import revisits, summaries
from insights.dashboard_filters import DashboardFilterForm
from journal.models import Emotion
from tests import factories
from tests.insights.test_revisit_figures import listed

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("insights:dashboard")


@pytest.fixture
def themed(make_revisit, store_a, store_b):
    signage = factories.ThemeFactory(name="Signage")
    queues = factories.ThemeFactory(name="Waiting time")
    make_revisit(store_a, after=Emotion.REASSURED).action.themes.add(signage, queues)
    make_revisit(store_a, after=Emotion.ANGRY).action.themes.add(signage)
    make_revisit(store_b, due_in=-2).action.themes.add(queues)
    make_revisit(store_b, after=Emotion.HAPPY)
    return {"signage": signage, "queues": queues}


def rows(client) -> dict:
    html = client.get(DASHBOARD).content.decode()
    found = re.findall(
        r'<a href="([^"]+)" aria-label="(\d+) (answered|improved|overdue) under ([^"]+)"', html
    )
    return {
        (name, state): (int(count), link.replace("&amp;", "&"))
        for link, count, state, name in found
    }


def test_each_theme_counts_its_actions_revisits_and_one_under_two_themes_counts_twice(
    client_as, cx_lead, themed
):
    figures = rows(client_as(cx_lead))

    assert {key: count for key, (count, _link) in figures.items()} == {
        ("Signage", "answered"): 2,
        ("Signage", "improved"): 1,
        ("Signage", "overdue"): 0,
        ("Waiting time", "answered"): 1,
        ("Waiting time", "improved"): 1,
        ("Waiting time", "overdue"): 1,
        ("No theme", "answered"): 1,
        ("No theme", "improved"): 1,
        ("No theme", "overdue"): 0,
    }


def test_each_theme_count_links_to_a_list_that_long(client_as, cx_lead, themed):
    client = client_as(cx_lead)

    for count, link in rows(client).values():
        assert listed(client, link) == count


def test_the_themes_keep_to_the_managers_teams(client_as, manager, themed):
    figures = rows(client_as(manager))

    assert figures[("Waiting time", "overdue")][0] == 0
    assert ("No theme", "answered") not in figures


def test_the_revisit_list_refuses_an_unknown_theme(client_as, cx_lead):
    response = client_as(cx_lead).get(reverse("insights:revisit-list"), {"theme": "x"})

    assert response.status_code == 400
    assert "Choose one of the themes in the list." in response.text


def test_the_theme_figures_take_two_queries_however_many_themes(
    themed, django_assert_num_queries, cx_lead
):
    summaries.refresh_stale()  # as the dashboard has its summaries catch up first
    form = DashboardFilterForm({}, user=cx_lead, today=timezone.localdate())
    assert form.is_valid()
    with django_assert_num_queries(2):
        rows = revisits.theme_figures(form.filters())
    assert rows
