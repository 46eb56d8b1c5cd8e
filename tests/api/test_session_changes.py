"""Session changes through the API: the page's permissions and checks, the model's guards."""

import pytest

from immersion.models import ImmersionSession
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

Status = ImmersionSession.Status
ROLES = ["manager", "other_manager", "cx_lead", "executive", "owner"]
# The lead runs it; a CX lead in scope manages it; others who see it only read it.
START = {"manager": 200, "other_manager": 404, "cx_lead": 403, "executive": 403, "owner": 404}
CANCEL = {"manager": 200, "other_manager": 404, "cx_lead": 200, "executive": 403, "owner": 404}
REFLECTION = {
    "surprised_by": "The lift was out of order.",
    "customer_feeling": "Stranded",
    "would_change": "A sign at the stairs.",
}


@pytest.fixture
def session(manager, store_a):
    return SessionFactory(team=store_a, lead=manager)


def post(client, session, change, body=None):
    return client.post(
        f"/api/v1/sessions/{session.pk}/{change}/", body or {}, content_type="application/json"
    )


def page_answer(client, session, change, body=None) -> int:
    """The page's answer to the same change, in the API's terms: a redirect is success."""
    status = client.post(f"/sessions/{session.pk}/{change}/", body or {}).status_code
    return 200 if status == 302 else status


@pytest.mark.parametrize("who", ROLES)
def test_starting_answers_as_the_page_does_for_every_role(api_as, client_as, cast, store_a, who):
    through_api = post(
        api_as(cast[who]), SessionFactory(team=store_a, lead=cast["manager"]), "start"
    )
    through_page = page_answer(
        client_as(cast[who]), SessionFactory(team=store_a, lead=cast["manager"]), "start"
    )

    assert through_api.status_code == through_page == START[who]


@pytest.mark.parametrize("who", ROLES)
def test_cancelling_answers_as_the_page_does_for_every_role(api_as, client_as, cast, store_a, who):
    body = {"reason": "The store is closed for a stocktake."}
    through_api = post(
        api_as(cast[who]), SessionFactory(team=store_a, lead=cast["manager"]), "cancel", body
    )
    through_page = page_answer(
        client_as(cast[who]), SessionFactory(team=store_a, lead=cast["manager"]), "cancel", body
    )

    assert through_api.status_code == through_page == CANCEL[who]


def test_the_lead_starts_and_completes_with_a_reflection(api_as, manager, session):
    client = api_as(manager)
    assert post(client, session, "start").json()["status"] == Status.IN_PROGRESS

    response = post(client, session, "complete", REFLECTION)

    assert response.status_code == 200
    assert response.json()["status"] == Status.COMPLETED
    session.refresh_from_db()
    assert session.surprised_by == "The lift was out of order."


def test_completing_without_the_reflection_is_400_with_each_field_named(api_as, manager, session):
    client = api_as(manager)
    post(client, session, "start")

    response = post(client, session, "complete", {"surprised_by": "  "})

    assert response.status_code == 400
    assert set(response.json()) == {"surprised_by", "customer_feeling", "would_change"}
    assert ImmersionSession.objects.get(pk=session.pk).status == Status.IN_PROGRESS


def test_completing_a_session_not_started_is_409_and_changes_nothing(api_as, manager, session):
    response = post(api_as(manager), session, "complete", REFLECTION)

    assert response.status_code == 409
    assert ImmersionSession.objects.get(pk=session.pk).status == Status.PLANNED


def test_cancelling_without_a_reason_is_400(api_as, cx_lead, session):
    response = post(api_as(cx_lead), session, "cancel", {"reason": ""})

    assert response.status_code == 400
    assert response.json()["reason"]
    assert ImmersionSession.objects.get(pk=session.pk).status == Status.PLANNED


def test_a_cx_lead_reopens_a_completed_session_with_a_reason(api_as, manager, cx_lead, session):
    post(api_as(manager), session, "start")
    post(api_as(manager), session, "complete", REFLECTION)

    response = post(api_as(cx_lead), session, "reopen", {"reason": "The reflection is empty."})

    assert response.status_code == 200
    assert response.json()["status"] == Status.IN_PROGRESS


def test_the_history_lists_each_change_with_who_made_it(api_as, manager, cx_lead, session):
    post(api_as(manager), session, "start")
    post(api_as(manager), session, "complete", REFLECTION)

    history = api_as(cx_lead).get(f"/api/v1/sessions/{session.pk}/history/").json()

    assert [(e["from_status"], e["to_status"]) for e in history][-2:] == [
        (Status.PLANNED, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Status.COMPLETED),
    ]
    assert history[-1]["actor"] == manager.get_full_name()


def test_the_history_of_a_session_out_of_reach_is_404(api_as, other_manager, session):
    assert api_as(other_manager).get(f"/api/v1/sessions/{session.pk}/history/").status_code == 404
