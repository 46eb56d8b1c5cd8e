"""Open actions and recent observations most like the one being triaged, one click to link."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from insights import similar
from insights.models import Action
from journal.models import Observation
from tests import factories
from tests.insights.helpers import done

pytestmark = pytest.mark.django_db

TILL = "Only one till was open and the queue went back to the door."


@pytest.fixture
def seen(session_a):
    return factories.ObservationFactory(session=session_a, touchpoint="store", what_happened=TILL)


def action_for(text, team, owner, touchpoint="store", session=None, **fields):
    source = factories.ObservationFactory(
        session=session or factories.SessionFactory(team=team), touchpoint=touchpoint
    )
    return factories.ActionFactory(
        title=text, team=team, owner=owner, observations=[source], **fields
    )


def test_the_action_with_the_same_words_comes_first(seen, cx_lead, owner, store_a, store_b):
    tills = action_for("Open a second till when the queue reaches the door", store_b, owner)
    action_for("Re-hang the fitting room signs", store_a, owner)

    found = similar.similar_actions(seen, cx_lead)

    assert found[0] == tills


def test_actions_at_another_touchpoint_are_not_offered(seen, cx_lead, owner, store_a):
    action_for("Open a second till when the queue is long", store_a, owner, touchpoint="phone")

    assert similar.similar_actions(seen, cx_lead) == []


def test_finished_actions_are_not_offered(seen, cx_lead, owner, store_a):
    action = action_for("Open a second till when the queue is long", store_a, owner)
    done(action, owner)

    assert similar.similar_actions(seen, cx_lead) == []


def test_actions_outside_the_area_or_reach_are_not_offered(seen, cx_lead, owner):
    elsewhere = factories.TeamFactory(name="Elsewhere")
    action_for("Open a second till when the queue is long", elsewhere, owner)

    assert similar.similar_actions(seen, cx_lead) == []


def test_recent_observations_with_the_same_words_come_first(seen, cx_lead, session_a):
    alike = factories.ObservationFactory(
        session=session_a, what_happened="The queue for the till reached the door again."
    )
    factories.ObservationFactory(session=session_a, what_happened="Lovely flowers by the entrance.")
    factories.ObservationFactory(session=session_a, touchpoint="phone", what_happened=TILL)

    found = similar.similar_observations(seen, cx_lead)

    assert found == [alike]


def test_old_observations_are_left_out(seen, cx_lead, session_a):
    old = factories.ObservationFactory(session=session_a, what_happened=TILL)
    Observation.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(weeks=20))

    assert similar.similar_observations(seen, cx_lead) == []


def test_text_without_telling_words_finds_nothing(cx_lead, session_a):
    bare = factories.ObservationFactory(session=session_a, what_happened="It was the one.")
    factories.ObservationFactory(session=session_a, what_happened="It was the one.")

    assert similar.similar_observations(bare, cx_lead) == []


def test_one_click_links_to_a_similar_action(client_as, seen, cx_lead, owner, store_a):
    tills = action_for("Open a second till when the queue reaches the door", store_a, owner)
    client = client_as(cx_lead)

    page = client.get(reverse("insights:triage-observation", args=[seen.pk]))
    assert page.context["similar_actions"] == [tills]
    assert f'name="action" value="{tills.pk}"' in page.content.decode()
    response = client.post(reverse("insights:triage-link", args=[seen.pk]), {"action": tills.pk})

    assert response.status_code == 302
    assert seen in Action.objects.get(pk=tills.pk).observations.all()


def test_one_click_marks_a_similar_observation_as_the_same(client_as, seen, cx_lead, session_a):
    alike = factories.ObservationFactory(session=session_a, what_happened=TILL)
    client = client_as(cx_lead)

    page = client.get(reverse("insights:triage-observation", args=[seen.pk]))
    assert f'name="original" value="{alike.pk}"' in page.content.decode()
    client.post(reverse("insights:triage-duplicate", args=[seen.pk]), {"original": alike.pk})

    seen.refresh_from_db()
    assert seen.duplicate_of == alike


def test_between_equally_alike_actions_the_own_teams_comes_first(
    seen, cx_lead, owner, store_a, store_b
):
    title = "Open a second till when the queue reaches the door"
    action_for(title, store_b, owner)
    own = action_for(title, store_a, owner, session=seen.session)
    action_for(title, store_b, owner)

    assert similar.similar_actions(seen, cx_lead)[0] == own
