"""Overdue by team, worst first; participation bars scaled to the largest value, target marked."""

import itertools
import re

import pytest
from django.urls import reverse

from insights import charts
from tests.dashboards.conftest import PERIOD, action

pytestmark = pytest.mark.django_db

URL = reverse("insights:dashboard")


def listed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def bar_widths(svg):
    return [
        float(w)
        for w in re.findall(
            r'<rect x="4" y="[^"]+" width="([\d.]+)" height="20" fill="#0b4f6c"', svg
        )
    ]


def test_overdue_by_team_puts_the_worst_first_and_links_to_its_list(
    client_as, cast, crafted, store_b
):
    import datetime as dt

    from tests.dashboards.conftest import at

    for day in (12, 13):
        action(store_b, cast["other_manager"], at(5, day), dt.date(2026, 6, 1))
    client = client_as(cast["executive"])
    context = client.get(URL, PERIOD).context
    ranked = context["ranked_overdue"]
    # Store B: the two just added; store A: a2.
    assert [(row.team.name, row.overdue) for row in ranked] == [("Store B", 2), ("Store A", 1)]
    for row in ranked:
        assert listed(client, row.overdue_url) == row.overdue


def test_participation_bars_are_scaled_to_the_largest_value():
    svg = charts.ranking_bars(
        [
            {"label": "North", "value": 2.4},
            {"label": "South", "value": 1.92},
            {"label": "East", "value": 1.68},
            {"label": "West", "value": 0.5},
        ],
        title="t",
        desc="d",
        target=1.0,
    )
    widths = bar_widths(svg)
    assert widths[0] == pytest.approx(charts.WIDTH - 4 - 56)
    assert widths[1] == pytest.approx(widths[0] * 1.92 / 2.4, abs=0.1)
    assert widths[2] == pytest.approx(widths[0] * 1.68 / 2.4, abs=0.1)
    assert ">240%</text>" in svg
    assert ">target 100%</text>" in svg


def test_target_line_sits_at_the_target(client_as, cast, crafted):
    svg = str(
        client_as(cast["executive"]).get(URL, PERIOD).context["charts"]["ranked_participation"]
    )
    # Store A at 100% is the largest value and the target: its bar ends on the line.
    line_x = float(re.search(r'<line x1="([\d.]+)" y1="16"', svg).group(1))
    assert line_x == pytest.approx(4 + max(bar_widths(svg)), abs=0.1)


def test_status_segments_next_to_each_other_differ_by_three_to_one():
    colours = list(charts.STATUS_COLOURS.values())
    for one, other in itertools.pairwise(colours):
        assert charts.contrast(one, other) >= 3


def test_every_chart_states_its_period(client_as, cast, crafted):
    page = client_as(cast["executive"]).get(URL, PERIOD).content.decode()
    sections = re.findall(
        r'<section class="col-12[^"]*" aria-labelledby="(h-[\w-]+)">(.*?)</section>', page, re.S
    )
    assert len(sections) == 9
    for name, body in sections:
        assert "4 May 2026 to 14 Jun 2026" in body, name


def test_published_tile_says_it_counts_another_set_than_the_public_page(client_as, cast, crafted):
    page = client_as(cast["executive"]).get(URL, PERIOD).content.decode()
    assert "the public page lists every period" in page
