"""Who changes the shared catalogue of session types and personas.

The catalogue is one for every team, so a change reaches every top-level team: staff and
the CX leads of a top-level team change it; any other CX lead reads it; nobody else sees it.
"""

import pytest
from django.urls import reverse

from immersion.models import Persona, SessionType
from tests import factories

pytestmark = pytest.mark.django_db

LIST = reverse("immersion:session-types")


@pytest.fixture
def store_lead(store_a):
    return factories.CxLeadFactory(username="store_lead", teams=[store_a])


@pytest.fixture
def catalogue(db):
    return factories.SessionTypeFactory(name="Floor walk"), factories.PersonaFactory(
        name="Parent with a buggy"
    )


def type_data(**overrides):
    return {
        "name": "Wheelchair day",
        "purpose": "Feel the service as a disabled customer does.",
        "prompts": "Which doors needed help?",
        "duration_minutes": 360,
        "is_active": "on",
        **overrides,
    }


def test_a_store_lead_reads_the_catalogue_without_change_links(client_as, store_lead, catalogue):
    session_type, persona = catalogue

    html = client_as(store_lead).get(LIST).content.decode()

    assert "Floor walk" in html
    assert "Parent with a buggy" in html
    for name in ("session-type-create", "persona-create"):
        assert reverse(f"immersion:{name}") not in html
    assert reverse("immersion:session-type-edit", args=[session_type.pk]) not in html
    assert reverse("immersion:persona-edit", args=[persona.pk]) not in html
    assert "CX leads of a top-level team" in html


def test_a_store_lead_cannot_change_the_catalogue(client_as, store_lead, catalogue):
    session_type, persona = catalogue
    client = client_as(store_lead)

    responses = [
        client.post(reverse("immersion:session-type-create"), type_data()),
        client.post(
            reverse("immersion:session-type-edit", args=[session_type.pk]),
            type_data(name="Renamed"),
        ),
        client.post(
            reverse("immersion:persona-edit", args=[persona.pk]),
            {"name": "Renamed", "description": "Changed."},
        ),
        client.post(reverse("immersion:persona-create"), {"name": "New", "description": "New."}),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert list(SessionType.objects.values_list("name", flat=True)) == ["Floor walk"]
    assert list(Persona.objects.values_list("name", flat=True)) == ["Parent with a buggy"]


@pytest.mark.parametrize("who", ["cx_lead", "staff"])
def test_staff_and_the_lead_of_a_top_level_team_change_the_catalogue(
    client_as, cx_lead, staff, catalogue, who
):
    client = client_as({"cx_lead": cx_lead, "staff": staff}[who])

    html = client.get(LIST).content.decode()
    response = client.post(reverse("immersion:session-type-create"), type_data())

    assert reverse("immersion:session-type-create") in html
    assert response.status_code == 302
    assert SessionType.objects.filter(name="Wheelchair day").exists()


def test_a_cx_lead_in_a_store_and_a_top_level_team_changes_the_catalogue(
    client_as, store_lead, region
):
    store_lead.teams.add(region)

    response = client_as(store_lead).post(reverse("immersion:session-type-create"), type_data())

    assert response.status_code == 302


def test_an_executive_of_a_top_level_team_cannot_change_it(client_as, executive):
    response = client_as(executive).post(reverse("immersion:session-type-create"), type_data())

    assert response.status_code == 403
    assert not SessionType.objects.exists()
