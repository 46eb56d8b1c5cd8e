"""Reads through the API: what each role sees is what the pages show it."""

import pytest

from insights import summaries
from tests.factories import ActionFactory, ObservationFactory, SessionFactory, ThemeFactory

pytestmark = pytest.mark.django_db

CAST = ["manager", "other_manager", "cx_lead", "executive", "owner"]


@pytest.fixture
def things(store_a, manager, owner):
    session = SessionFactory(team=store_a, lead=manager)
    observation = ObservationFactory(session=session)
    action = ActionFactory(team=store_a, owner=owner, observations=[observation])
    return {"session": session, "observation": observation, "action": action}


# Who reaches store A's session, observation and action: the owner reaches only their action.
READS = {
    "session": {"manager": 200, "other_manager": 404, "cx_lead": 200, "executive": 200},
    "observation": {"manager": 200, "other_manager": 404, "cx_lead": 200, "executive": 200},
    "action": {"manager": 200, "other_manager": 404, "cx_lead": 200, "executive": 200},
}
URLS = {
    "session": "/api/v1/sessions/{}/",
    "observation": "/api/v1/observations/{}/",
    "action": "/api/v1/actions/{}/",
}


@pytest.mark.parametrize("kind", list(READS))
@pytest.mark.parametrize("who", CAST)
def test_each_role_reads_what_its_pages_show(api_as, cast, things, kind, who):
    expected = READS[kind].get(who, 200 if kind == "action" else 404)

    response = api_as(cast[who]).get(URLS[kind].format(things[kind].pk))

    assert response.status_code == expected


@pytest.mark.parametrize("who", CAST)
def test_lists_hold_only_what_the_role_reaches(api_as, cast, things, who):
    client = api_as(cast[who])

    for kind, url in [("session", "/api/v1/sessions/"), ("action", "/api/v1/actions/")]:
        ids = {row["id"] for row in client.get(url).json()["results"]}
        assert (things[kind].pk in ids) == _sees(who, kind)


def _sees(who, kind):
    return READS[kind].get(who, 200 if kind == "action" else 404) == 200


def test_history_lists_the_actions_events(api_as, owner, things):
    response = api_as(owner).get(f"/api/v1/actions/{things['action'].pk}/history/")

    assert response.status_code == 200


def test_history_of_an_action_out_of_reach_is_404(api_as, other_manager, things):
    response = api_as(other_manager).get(f"/api/v1/actions/{things['action'].pk}/history/")

    assert response.status_code == 404


def test_a_read_answers_304_when_the_client_holds_the_same_body(api_as, manager, things):
    client = api_as(manager)
    first = client.get("/api/v1/sessions/")

    again = client.get("/api/v1/sessions/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


def test_a_changed_list_gets_a_new_etag(api_as, manager, store_a, things):
    client = api_as(manager)
    first = client.get("/api/v1/sessions/")
    SessionFactory(team=store_a, lead=manager)

    again = client.get("/api/v1/sessions/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200


def test_lists_page_by_cursor_without_repeating(api_as, manager, store_a):
    for _ in range(5):
        SessionFactory(team=store_a, lead=manager)
    client = api_as(manager)

    first = client.get("/api/v1/sessions/?page_size=3").json()
    second = client.get(first["next"]).json()

    ids = [row["id"] for row in first["results"] + second["results"]]
    assert len(ids) == len(set(ids)) == 5
    assert second["next"] is None


@pytest.mark.parametrize(
    ("url", "at_most"),
    [
        ("/api/v1/sessions/", 12),
        ("/api/v1/observations/", 12),
        ("/api/v1/actions/", 12),
        ("/api/v1/teams/", 12),
        ("/api/v1/themes/", 12),
        # Four figures against the period before, each a couple of aggregates, and a look
        # for observation days still to summarise.
        ("/api/v1/dashboard/headline/", 14),
    ],
)
def test_list_queries_stay_constant_as_data_grows(
    api_as, cx_lead, store_a, manager, owner, url, at_most, django_assert_max_num_queries
):
    client = api_as(cx_lead)

    def grow():
        session = SessionFactory(team=store_a, lead=manager)
        observation = ObservationFactory(session=session)
        action = ActionFactory(team=store_a, owner=owner, observations=[observation])
        action.themes.add(ThemeFactory())
        summaries.refresh_stale()  # as the worker does once the changes commit

    grow()
    with django_assert_max_num_queries(at_most) as few:
        client.get(url)
    for _ in range(4):
        grow()
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_schema_describes_every_endpoint(client):
    response = client.get("/api/schema/?format=json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/actions/{id}/verify/" in paths
    assert "/api/v1/observations/" in paths


def test_lists_filter_as_the_pages_do(api_as, cx_lead, store_a, owner):
    open_one = ActionFactory(team=store_a, owner=owner)
    dropped = ActionFactory(team=store_a, owner=owner)
    dropped.drop(by=cx_lead, reason="Not needed.")

    rows = api_as(cx_lead).get("/api/v1/actions/?status=open").json()["results"]

    assert [row["id"] for row in rows] == [open_one.pk]


def test_an_unknown_filter_value_is_400_with_the_reason(api_as, cx_lead):
    response = api_as(cx_lead).get("/api/v1/actions/?status=lost")

    assert response.status_code == 400
    assert "status" in response.json()
