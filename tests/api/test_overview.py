"""Themes and the dashboard's headline figures through the API, as the pages give them."""

import pytest

from tests.factories import ActionFactory, ObservationFactory, SessionFactory, ThemeFactory

pytestmark = pytest.mark.django_db

CAST = ["manager", "other_manager", "cx_lead", "executive", "owner"]


@pytest.fixture
def things(store_a, manager, owner):
    session = SessionFactory(team=store_a, lead=manager)
    ObservationFactory.create_batch(2, session=session)
    signage = ThemeFactory(name="Signage")
    action = ActionFactory(
        team=store_a, owner=owner, observations=[ObservationFactory(session=session)]
    )
    action.themes.add(signage)
    return {"action": action, "theme": signage}


@pytest.mark.parametrize("who", CAST)
def test_the_themes_answer_as_the_themes_page_does(api_as, client_as, cast, things, who):
    through_api = api_as(cast[who]).get("/api/v1/themes/").status_code
    through_page = client_as(cast[who]).get("/insights/themes/").status_code

    assert through_api == through_page


def test_a_cx_lead_reads_each_theme_with_its_description(api_as, cx_lead, things):
    themes = api_as(cx_lead).get("/api/v1/themes/").json()

    assert [theme["name"] for theme in themes] == ["Signage"]
    assert themes[0]["description"] == things["theme"].description


def test_an_action_carries_its_themes(api_as, owner, things):
    action = api_as(owner).get(f"/api/v1/actions/{things['action'].pk}/").json()

    assert action["themes"] == [things["theme"].pk]


@pytest.mark.parametrize("who", CAST)
def test_the_headline_answers_as_the_dashboard_does(api_as, client_as, cast, things, who):
    through_api = api_as(cast[who]).get("/api/v1/dashboard/headline/").status_code
    through_page = client_as(cast[who]).get("/insights/dashboard/").status_code

    assert through_api == through_page


@pytest.mark.parametrize(
    "query", ["", "?period=13w", "?period=custom&start=2026-01-01&end=2026-11-30"]
)
def test_the_headline_figures_are_the_dashboards(
    api_as, client_as, cx_lead, store_a, things, query
):
    page = client_as(cx_lead).get(f"/insights/dashboard/{query}").context["headline_figures"]

    answer = api_as(cx_lead).get(f"/api/v1/dashboard/headline/{query}").json()

    assert [(f["key"], f["value"], f["detail"], f["change"]) for f in answer["figures"]] == [
        (f.key, f.value, f.detail, f.change) for f in page
    ]


def test_the_headline_for_a_team_out_of_reach_is_400_with_the_reason(
    api_as, manager, store_b, things
):
    response = api_as(manager).get(f"/api/v1/dashboard/headline/?team={store_b.pk}")

    assert response.status_code == 400
    assert response.json()["team"] == ["Choose one of the teams in the list."]


def test_a_headline_period_ending_before_it_starts_is_400(api_as, cx_lead, things):
    response = api_as(cx_lead).get(
        "/api/v1/dashboard/headline/?period=custom&start=2026-05-01&end=2026-04-01"
    )

    assert response.status_code == 400
    assert response.json()["end"] == ["The last day must be on or after the first day."]
