"""Action changes through the API: the page's permissions, the model's guards, 409 when stale."""

import pytest

from insights.models import Action
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(store_a, owner):
    return ActionFactory(team=store_a, owner=owner)


# Starting: the owner and the CX lead may; managers and executives only read; others 404.
START = {"owner": 200, "cx_lead": 200, "manager": 403, "executive": 403, "other_manager": 404}


@pytest.mark.parametrize(("who", "expected"), START.items())
def test_each_role_may_start_an_action_or_not(api_as, cast, action, who, expected):
    response = api_as(cast[who]).post(
        f"/api/v1/actions/{action.pk}/start/", {"version": 1}, content_type="application/json"
    )

    assert response.status_code == expected
    started = Action.objects.get(pk=action.pk).status == Action.Status.IN_PROGRESS
    assert started == (expected == 200)


def test_a_change_against_a_stale_version_is_409(api_as, owner, action):
    client = api_as(owner)
    client.post(
        f"/api/v1/actions/{action.pk}/start/", {"version": 1}, content_type="application/json"
    )

    response = client.post(
        f"/api/v1/actions/{action.pk}/complete/",
        {"version": 1, "note": "Rota changed."},
        content_type="application/json",
    )

    assert response.status_code == 409
    assert Action.objects.get(pk=action.pk).status == Action.Status.IN_PROGRESS


def test_completing_without_evidence_is_400_with_the_reason(api_as, owner, action):
    action.start(by=owner)

    response = api_as(owner).post(
        f"/api/v1/actions/{action.pk}/complete/", {"version": 2}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["note"] == ["Say what was done: evidence is required to complete it."]


def test_a_missing_version_is_400(api_as, owner, action):
    response = api_as(owner).post(
        f"/api/v1/actions/{action.pk}/start/", {}, content_type="application/json"
    )

    assert response.status_code == 400
    assert "version" in response.json()


def test_the_owner_may_not_verify_their_own_action(api_as, owner, action):
    response = api_as(owner).post(
        f"/api/v1/actions/{action.pk}/verify/", {"version": 1}, content_type="application/json"
    )

    assert response.status_code == 403


def test_the_cx_lead_verifies_a_done_action(api_as, cx_lead, owner, action):
    action.start(by=owner)
    action.complete(by=owner, note="Rota changed.")

    response = api_as(cx_lead).post(
        f"/api/v1/actions/{action.pk}/verify/", {"version": 3}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == "verified"


def test_dropping_from_a_finished_state_is_409(api_as, cx_lead, owner, action):
    action.start(by=owner)
    action.complete(by=owner, note="Rota changed.")

    response = api_as(cx_lead).post(
        f"/api/v1/actions/{action.pk}/drop/",
        {"version": 3, "note": "No longer needed."},
        content_type="application/json",
    )

    assert response.status_code == 409


def test_the_browser_session_needs_its_csrf_token_to_change(cx_lead, action, client):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cx_lead)

    response = browser.post(
        f"/api/v1/actions/{action.pk}/start/", {"version": 1}, content_type="application/json"
    )

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
