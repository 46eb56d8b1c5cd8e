"""Session types, personas and programmes through the API, with their pages' rules."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

CAST = ["manager", "other_manager", "cx_lead", "executive", "owner"]


@pytest.mark.parametrize("url", ["/api/v1/session-types/", "/api/v1/personas/"])
@pytest.mark.parametrize("who", CAST)
def test_the_catalogue_is_for_cx_leads(api_as, cast, url, who):
    factories.SessionTypeFactory()
    factories.PersonaFactory()

    response = api_as(cast[who]).get(url)

    assert response.status_code == (200 if who == "cx_lead" else 403)


@pytest.fixture
def programme(cx_lead, store_a):
    programme = factories.ProgrammeFactory(owner=cx_lead)
    programme.participant_teams.set([store_a])
    return programme


PROGRAMME = {"manager": 200, "cx_lead": 200, "executive": 200, "other_manager": 404, "owner": 404}


@pytest.mark.parametrize(("who", "expected"), PROGRAMME.items())
def test_programmes_are_read_as_on_their_page(api_as, cast, programme, who, expected):
    client = api_as(cast[who])

    detail = client.get(f"/api/v1/programmes/{programme.pk}/")
    listed = [row["id"] for row in client.get("/api/v1/programmes/").json()["results"]]

    assert detail.status_code == expected
    assert (programme.pk in listed) == (expected == 200)
