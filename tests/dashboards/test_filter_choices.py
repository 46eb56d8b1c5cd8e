"""Every list's filters offer only what the user may see: nothing of another top-level team.

South is a second top-level team with its own store, CX lead, manager, programme and
action; the cast lives in North. Its names must not appear in any filter of North's users.
"""

import pytest
from django.urls import reverse

from insights.models import Action
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def south(db):
    region = factories.RegionFactory(name="South")
    store = factories.TeamFactory(name="Brighton", parent=region)
    lead = factories.CxLeadFactory(first_name="Sol", last_name="Southby", teams=[region])
    manager = factories.ManagerFactory(first_name="Sunny", last_name="Brightside", teams=[store])
    programme = factories.ProgrammeFactory(owner=lead, name="Southern secrets")
    programme.participant_teams.add(region)
    session = factories.SessionFactory(lead=manager, team=store, programme=programme)
    observation = factories.ObservationFactory(session=session)
    action = Action.create(
        by=lead,
        observations=[observation],
        title="Southern fix",
        owner=manager,
        team=store,
        due_on=programme.ends_on,
    )
    return {"programme": programme, "store": store, "manager": manager, "action": action}


@pytest.fixture
def north_programme(cx_lead, region):
    programme = factories.ProgrammeFactory(owner=cx_lead, name="Northern walks")
    programme.participant_teams.add(region)
    return programme


PAGES = [
    ("executive", "insights:dashboard"),
    ("cx_lead", "insights:dashboard"),
    ("manager", "insights:dashboard"),
    ("cx_lead", "insights:action-list"),
    ("executive", "insights:action-list"),
    ("cx_lead", "journal:list"),
    ("manager", "journal:list"),
    ("cx_lead", "immersion:schedule"),
    ("manager", "immersion:schedule"),
]


@pytest.mark.parametrize(("who", "page"), PAGES)
def test_no_filter_names_another_top_level_teams_things(
    client_as, cast, south, north_programme, who, page
):
    response = client_as(cast[who]).get(reverse(page))

    assert response.status_code == 200
    html = response.content.decode()
    for foreign in ("Southern secrets", "Brighton", "South", "Sunny Brightside"):
        assert foreign not in html
    assert "Northern walks" in html


@pytest.mark.parametrize(
    "page", ["insights:dashboard", "insights:action-list", "journal:list", "immersion:schedule"]
)
def test_a_foreign_programme_id_is_refused_not_applied(client_as, cx_lead, south, page):
    response = client_as(cx_lead).get(reverse(page), {"programme": south["programme"].pk})

    assert response.status_code in (200, 400)
    shown = response.context.get("filter") or response.context["form"]
    errors = shown.errors if hasattr(shown, "errors") else shown.form.errors
    assert errors["programme"]
