"""Role-by-URL matrix for every scheduling page, as every member of the cast and staff.

Besides the cast, `store_lead` is a CX lead of store A only. The objects: a planned
session led by `manager` in store A, a programme taking in stores A and B, a session type
and a persona. 404 outside reach, 403 in reach but not allowed.
"""

from urllib.parse import urlsplit

import pytest

from immersion.models import ImmersionSession, Persona, Programme, SessionType
from tests import factories

pytestmark = pytest.mark.django_db

SIGN_IN = 302
PEOPLE = ["manager", "other_manager", "cx_lead", "store_lead", "executive", "owner", "staff"]


def row(url, **codes):
    """One URL for everybody: codes by person, anonymous always sent to sign in."""
    return [(url, who, codes[who]) for who in PEOPLE] + [(url, "anonymous", SIGN_IN)]


def everyone(url, code):
    return row(url, **dict.fromkeys(PEOPLE, code))


MANAGERS_ONLY = {"manager": 200, "other_manager": 200} | dict.fromkeys(
    ["cx_lead", "store_lead", "executive", "owner", "staff"], 403
)
READERS = {"cx_lead": 200, "store_lead": 200, "executive": 200} | dict.fromkeys(
    ["manager", "other_manager", "owner", "staff"], 403
)
CX_LEAD_ONLY = {"cx_lead": 200, "store_lead": 200} | dict.fromkeys(
    ["manager", "other_manager", "executive", "owner", "staff"], 403
)
# The programme takes in store B too: only the region's CX lead reaches all of it.
PROGRAMME_CHANGE = {**CX_LEAD_ONLY, "store_lead": 403}
# The catalogue is shared by every team: CX leads read it, staff and the CX leads of a
# top-level team change it.
CATALOGUE_READ = {**CX_LEAD_ONLY, "staff": 200}
CATALOGUE_CHANGE = {**CATALOGUE_READ, "store_lead": 403}
SESSION_READ = {"manager": 200, "cx_lead": 200, "store_lead": 200, "executive": 200}
SESSION_READ |= dict.fromkeys(["other_manager", "owner", "staff"], 404)
SESSION_MANAGE = {**SESSION_READ, "executive": 403}
SESSION_RUN = {**SESSION_READ, "cx_lead": 403, "store_lead": 403, "executive": 403}
SESSION_REOPEN = {**SESSION_READ, "manager": 403, "executive": 403}

MATRIX = [
    *row("/today/", **MANAGERS_ONLY),
    *row("/sessions/", **{**READERS, "manager": 200, "other_manager": 200}),
    *row("/sessions/new/", **{**MANAGERS_ONLY, "cx_lead": 200, "store_lead": 200}),
    *row("/sessions/{session}/", **SESSION_READ),
    *row("/sessions/{session}/edit/", **SESSION_MANAGE),
    *row("/sessions/{session}/cancel/", **SESSION_MANAGE),
    *row("/sessions/{session}/complete/", **SESSION_RUN),
    *row("/sessions/{session}/reopen/", **SESSION_REOPEN),
    *everyone("/sessions/{session}/start/", 405),
    *everyone("/calendar/", 200),
    *everyone("/calendar/new-address/", 405),
    *row("/programmes/", **READERS),
    *row("/programmes/new/", **CX_LEAD_ONLY),
    *row("/programmes/{programme}/", **READERS),
    *row("/programmes/{programme}/edit/", **PROGRAMME_CHANGE),
    *row("/session-types/", **CATALOGUE_READ),
    *row("/session-types/new/", **CATALOGUE_CHANGE),
    *row("/session-types/{session_type}/", **CATALOGUE_CHANGE),
    *row("/personas/new/", **CATALOGUE_CHANGE),
    *row("/personas/{persona}/", **CATALOGUE_CHANGE),
]


@pytest.fixture
def people(cast, staff, store_a):
    store_lead = factories.CxLeadFactory(username="store_lead", teams=[store_a])
    return {**cast, "staff": staff, "store_lead": store_lead}


@pytest.fixture
def objects(manager, cx_lead, store_a, store_b):
    programme = factories.ProgrammeFactory(owner=cx_lead)
    programme.participant_teams.add(store_a, store_b)
    session = factories.SessionFactory(lead=manager, team=store_a, programme=programme)
    return {
        "session": session.pk,
        "programme": programme.pk,
        "session_type": session.session_type_id,
        "persona": factories.PersonaFactory().pk,
    }


@pytest.mark.parametrize(("url", "who", "expected"), MATRIX)
def test_each_role_gets_what_it_may_have(client_as, people, objects, url, who, expected):
    response = client_as(people[who]).get(url.format(**objects))

    assert response.status_code == expected
    if expected == SIGN_IN:
        assert urlsplit(response["Location"]).path == "/accounts/login/"


POST_MATRIX = [
    ("/sessions/{session}/start/", {}, SESSION_RUN),
    ("/sessions/{session}/cancel/", {"reason": "Refit."}, SESSION_MANAGE),
    ("/programmes/{programme}/edit/", {"name": "Renamed"}, PROGRAMME_CHANGE),
    ("/session-types/{session_type}/", {"name": "Renamed"}, CATALOGUE_CHANGE),
    ("/personas/{persona}/", {"name": "Renamed"}, CATALOGUE_CHANGE),
]


@pytest.mark.parametrize(
    ("url", "data", "who", "expected"),
    [
        (url, data, who, codes[who])
        for url, data, codes in POST_MATRIX
        for who in PEOPLE
        if codes[who] != 200
    ],
)
def test_refused_changes_change_nothing(client_as, people, objects, url, data, who, expected):
    before = snapshot(objects)

    response = client_as(people[who]).post(url.format(**objects), data)

    assert response.status_code == expected
    assert snapshot(objects) == before


def snapshot(objects):
    return (
        ImmersionSession.objects.get(pk=objects["session"]).status,
        Programme.objects.get(pk=objects["programme"]).name,
        SessionType.objects.get(pk=objects["session_type"]).name,
        Persona.objects.get(pk=objects["persona"]).name,
    )


def test_start_post_matrix_lets_the_lead_start(client_as, manager, objects):
    response = client_as(manager).post(f"/sessions/{objects['session']}/start/")

    assert response.status_code == 302


def test_calendar_feed_answers_anonymous_with_the_token(client, manager):
    assert client.get(f"/calendar/{manager.calendar_token}.ics").status_code == 200
