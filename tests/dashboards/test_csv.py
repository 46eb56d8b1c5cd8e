"""Each chart's data table as CSV, for the dashboard's filters."""

import csv
import io

import pytest
from django.urls import reverse

from insights.views.dashboard_csv import TABLES
from tests.dashboards.conftest import PERIOD

pytestmark = pytest.mark.django_db


def download(client, table, **params):
    response = client.get(reverse("insights:dashboard-csv", args=[table]), {**PERIOD, **params})
    assert response.status_code == 200, table
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def test_feelings_table_holds_the_heat_maps_counts_and_shares(client_as, cast, crafted):
    rows = download(client_as(cast["executive"]), "feelings")
    assert rows[0] == ["Touchpoint", "Feeling", "Valence", "Observations", "Share of touchpoint"]
    assert sorted(rows[1:]) == [
        ["Phone", "Angry", "bad", "1", "0.5"],
        ["Phone", "Happy", "good", "1", "0.5"],
        ["Store", "Frustrated", "bad", "2", "1.0"],
    ]


def test_participation_table_follows_the_team_filter(client_as, cast, crafted, store_b):
    rows = download(client_as(cast["executive"]), "ranked-participation", team=store_b.pk)
    assert [row[:2] for row in rows[1:]] == [["Store B", "1"]]


def test_headline_table_has_the_four_figures_and_their_comparison(client_as, cast, crafted):
    rows = download(client_as(cast["executive"]), "headline")
    assert [row[0] for row in rows[1:]] == [
        "Actions finished on time",
        "Overdue now",
        "Observations waiting for a decision",
        "Participation against target",
    ]
    assert rows[2][4] == "1 on 3 May 2026"


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_table_downloads(client_as, cast, crafted, table):
    rows = download(client_as(cast["executive"]), table)
    assert rows[0]


def test_page_links_to_each_tables_csv_with_its_filters(client_as, cast, crafted):
    page = client_as(cast["executive"]).get(reverse("insights:dashboard"), PERIOD)
    body = page.content.decode()
    for table in TABLES:
        assert f"{reverse('insights:dashboard-csv', args=[table])}?period=custom" in body


def test_bad_filters_get_a_400_and_no_figures(client_as, cast, crafted):
    response = client_as(cast["executive"]).get(
        reverse("insights:dashboard-csv", args=["feelings"]), {"period": "forever"}
    )
    assert response.status_code == 400


def test_unknown_table_is_not_found(client_as, cast):
    response = client_as(cast["executive"]).get(
        reverse("insights:dashboard-csv", args=["salaries"])
    )
    assert response.status_code == 404


@pytest.mark.parametrize(("who", "status"), [("executive", 200), ("manager", 200), ("owner", 403)])
def test_csv_follows_the_dashboards_roles(client_as, cast, who, status):
    response = client_as(cast[who]).get(reverse("insights:dashboard-csv", args=["status"]))
    assert response.status_code == status


def test_anonymous_is_sent_to_sign_in(client_as):
    response = client_as(None).get(reverse("insights:dashboard-csv", args=["status"]))
    assert response.status_code == 302
