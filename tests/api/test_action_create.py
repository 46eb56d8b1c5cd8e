"""Triaging an observation into a new action through the API, as on the triage page."""

import pytest

from insights.models import Action
from tests import factories
from tests.journal.conftest import start

pytestmark = pytest.mark.django_db


@pytest.fixture
def observation(manager, store_a):
    session = start(factories.SessionFactory(team=store_a, lead=manager))
    return factories.ObservationFactory(session=session)


def new_action(owner, store_a, **overrides):
    data = {
        "title": "Staff the tills at lunch",
        "owner": owner.pk,
        "team": store_a.pk,
        "due_on": "2099-01-31",
        "priority": 2,
    }
    return {**data, **overrides}


CREATE = {"cx_lead": 201, "manager": 403, "executive": 403, "owner": 403, "other_manager": 403}


@pytest.mark.parametrize(("who", "expected"), CREATE.items())
def test_only_a_cx_lead_makes_an_action_from_an_observation(
    api_as, cast, observation, owner, store_a, who, expected
):
    response = api_as(cast[who]).post(
        f"/api/v1/observations/{observation.pk}/action/",
        new_action(owner, store_a),
        content_type="application/json",
    )

    assert response.status_code == expected
    assert Action.objects.exists() == (expected == 201)


def test_a_new_action_without_a_title_is_400_and_nothing_stored(
    api_as, cx_lead, observation, owner, store_a
):
    response = api_as(cx_lead).post(
        f"/api/v1/observations/{observation.pk}/action/",
        new_action(owner, store_a, title=""),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "title" in response.json()
    assert not Action.objects.exists()
