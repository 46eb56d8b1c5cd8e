"""The feelings heat map: good and bad feelings in two hues, counts or shares per touchpoint."""

import re

import pytest
from django.urls import reverse

from insights import chart_feelings, charts
from journal.models import Emotion
from tests.dashboards.conftest import PERIOD

pytestmark = pytest.mark.django_db

URL = reverse("insights:dashboard")


def rgb(hex_colour):
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


@pytest.mark.parametrize("strength", [0.0, 0.3, 0.7, 1.0])
def test_good_feelings_are_blue_and_bad_ones_orange_at_every_strength(strength):
    for emotion in Emotion.values:
        r, _, b = rgb(chart_feelings.colour(emotion, strength))
        if chart_feelings.valence(emotion) == "good":
            assert b > r, emotion
        elif chart_feelings.valence(emotion) == "bad":
            assert r > b, emotion


def test_more_is_darker_within_a_hue():
    pale = sum(rgb(chart_feelings.colour(Emotion.ANGRY, 0.1)))
    dark = sum(rgb(chart_feelings.colour(Emotion.ANGRY, 0.9)))
    assert dark < pale


def test_numbers_in_cells_read_against_their_shade():
    for emotion in Emotion.values:
        for strength in (0.0, 0.5, 1.0):
            fill = chart_feelings.colour(emotion, strength)
            assert charts.contrast(fill, charts.ink_on(fill)) >= 4.5


def cells_drawn(page):
    return re.findall(
        r'<rect x="[^"]+" y="[^"]+" width="[^"]+" height="[^"]+" fill="(#[0-9a-f]{6})" '
        r'stroke="[^"]+" data-valence="(\w+)"/>',
        page,
    )


def test_page_colours_negative_and_positive_feelings_apart(client_as, cast, crafted):
    page = client_as(cast["executive"]).get(URL, PERIOD).content.decode()
    drawn = [(fill, side) for fill, side in cells_drawn(page) if fill != chart_feelings.EMPTY]
    # Store x frustrated, phone x angry (bad) and phone x happy (good) are drawn.
    assert {side for _, side in drawn} == {"good", "bad"}
    for fill, side in drawn:
        r, _, b = rgb(fill)
        assert (b > r) if side == "good" else (r > b)


def test_counts_by_default_with_a_title_that_says_so(client_as, cast, crafted):
    response = client_as(cast["executive"]).get(URL, PERIOD)
    page = response.content.decode()
    assert response.context["feelings"] == "counts"
    title = "Observations by feeling and touchpoint, good and bad"
    assert f'<h2 id="h-heat" class="h5">{title}</h2>' in page
    assert f">{title}</title>" in page
    assert "Each cell is the number of observations" in page


def test_shares_switch_shows_each_touchpoints_split(client_as, cast, crafted):
    response = client_as(cast["executive"]).get(URL, {**PERIOD, "feelings": "shares"})
    heat = {row["touchpoint"]: row for row in response.context["heatmap"]["rows"]}
    phone = {cell["emotion"]: cell["share"] for cell in heat["phone"]["cells"]}
    assert phone["angry"] == pytest.approx(0.5)  # o3 of o3, o4
    assert phone["happy"] == pytest.approx(0.5)
    page = response.content.decode()
    assert ">50%</text>" in page
    assert "Share of the observations at each touchpoint, by feeling" in page
    assert "Each cell is the share of that touchpoint" in page


def test_switch_links_keep_the_filters(client_as, cast, crafted):
    response = client_as(cast["executive"]).get(URL, PERIOD)
    links = {link["label"]: link for link in response.context["feelings_links"]}
    assert links["Counts"]["current"]
    assert "feelings=shares" in links["Shares"]["url"]
    assert "start=2026-05-04" in links["Shares"]["url"]


def test_unknown_switch_value_shows_counts(client_as, cast, crafted):
    response = client_as(cast["executive"]).get(URL, {**PERIOD, "feelings": "<script>"})
    assert response.status_code == 200
    assert response.context["feelings"] == "counts"


def test_labels_are_never_rotated(client_as, cast, crafted):
    page = client_as(cast["executive"]).get(URL, PERIOD).content.decode()
    assert "rotate(" not in page
