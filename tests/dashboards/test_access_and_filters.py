"""Who sees the dashboard, and what a malformed or foreign filter gets."""

import pytest
from django.urls import reverse

from tests import factories
from tests.dashboards.conftest import PERIOD

pytestmark = pytest.mark.django_db

URL = reverse("insights:dashboard")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("executive", 200),
        ("cx_lead", 200),
        ("manager", 200),
        ("other_manager", 200),
        ("owner", 403),
    ],
)
def test_role_matrix(client_as, cast, who, status):
    assert client_as(cast[who]).get(URL).status_code == status


def test_anonymous_is_sent_to_sign_in(client_as):
    response = client_as(None).get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_dashboard_is_in_the_navigation_of_executives(client_as, cast):
    response = client_as(cast["executive"]).get(reverse("home"))
    assert URL in response.content.decode()


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"period": "custom", "start": "2026-13-45", "end": "2026-06-01"}, "start", "valid date"),
        ({"period": "custom", "start": "2026-06-10", "end": "2026-06-01"}, "end", "on or after"),
        ({"period": "custom", "start": "2020-01-01", "end": "2026-06-01"}, "end", "two years"),
        ({"period": "custom", "start": "2026-06-01"}, "end", "last day"),
        ({"period": "forever"}, "period", "valid choice"),
        ({"team": "99999"}, "team", "teams in the list"),
        ({"team": "not-a-number"}, "team", "teams in the list"),
        ({"session_type": "0"}, "session_type", "session types"),
        ({"persona": "x"}, "persona", "personas"),
        ({"programme": "-1"}, "programme", "programmes"),
    ],
)
def test_malformed_filters_get_a_clear_message_and_400(client_as, cast, params, field, message):
    response = client_as(cast["executive"]).get(URL, params)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert "headline" not in response.context
    assert "could not be used" in response.content.decode()


def test_team_outside_the_managers_reach_is_refused(client_as, cast, crafted, store_b):
    response = client_as(cast["manager"]).get(URL, {**PERIOD, "team": store_b.pk})
    assert response.status_code == 400
    assert "headline" not in response.context
    assert "Store B" not in response.content.decode()


def test_team_in_another_region_is_refused_for_the_executive(client_as, cast):
    elsewhere = factories.TeamFactory(name="Elsewhere", parent=factories.RegionFactory())
    response = client_as(cast["executive"]).get(URL, {"team": elsewhere.pk})
    assert response.status_code == 400
    assert "Elsewhere" not in response.content.decode()


def test_post_is_not_allowed(client_as, cast):
    assert client_as(cast["executive"]).post(URL).status_code == 405


def test_dashboard_page_shows_figures_charts_and_tables(client_as, cast, crafted):
    body = client_as(cast["executive"]).get(URL, PERIOD).content.decode()
    assert body.count('role="img"') == 7
    assert body.count("<title id=") == 7
    assert body.count("<summary>Data table</summary>") == 7
    assert "style=" not in body


def test_executive_home_leads_to_the_dashboard_and_the_public_page(client_as, cast):
    body = client_as(cast["executive"]).get(reverse("home")).content.decode()
    assert f'href="{URL}"' in body
    assert reverse("insights:public") in body


def test_an_executive_without_teams_sees_empty_figures(client_as, crafted):
    lonely = factories.ExecutiveFactory(username="lonely")
    response = client_as(lonely).get(URL, PERIOD)
    assert response.status_code == 200
    assert response.context["headline"]["observations"] == 0
    assert response.context["headline"]["actions"] == 0
    assert response.context["teams"] == []
