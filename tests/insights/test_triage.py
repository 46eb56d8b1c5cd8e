import pytest
from django.db import IntegrityError

from insights import triage
from insights.models import Action, ActionEvent, ActionStateError
from journal.models import Observation
from tests import factories
from tests.insights.helpers import done, in_days

pytestmark = pytest.mark.django_db
State = Observation.TriageState


def new_action_fields(owner, team):
    return {"title": "Unlock the fitting rooms", "owner": owner, "team": team, "due_on": in_days(5)}


def test_create_action_marks_the_observation_actioned(observation, cx_lead, owner, store_a):
    action = triage.create_action(observation, by=cx_lead, **new_action_fields(owner, store_a))

    observation.refresh_from_db()
    assert observation.triage_state == State.ACTIONED
    assert observation.triaged_by == cx_lead
    assert observation.triaged_at is not None
    assert list(action.observations.all()) == [observation]
    assert action.events.get().kind == ActionEvent.Kind.CREATED


def test_an_actioned_observation_can_lead_to_a_second_action(observation, cx_lead, owner, store_a):
    triage.create_action(observation, by=cx_lead, **new_action_fields(owner, store_a))

    triage.create_action(observation, by=cx_lead, **new_action_fields(owner, store_a))

    assert observation.actions.count() == 2


def test_link_to_an_existing_action_records_the_link(action, observation, cx_lead, session_a):
    second = factories.ObservationFactory(session=session_a)

    triage.link_to_action(second, action, by=cx_lead)

    second.refresh_from_db()
    assert second.triage_state == State.ACTIONED
    assert set(action.observations.all()) == {observation, second}
    assert action.events.last().kind == ActionEvent.Kind.LINKED


def test_link_to_a_finished_action_is_refused_and_leaves_the_observation_untriaged(
    action, owner, cx_lead, session_a
):
    done(action, owner)
    second = factories.ObservationFactory(session=session_a)

    with pytest.raises(ActionStateError):
        triage.link_to_action(second, action, by=cx_lead)

    second.refresh_from_db()
    assert second.triage_state == State.UNTRIAGED


def test_mark_duplicate_points_at_the_first_of_a_chain(cx_lead, session_a):
    first, second, third = factories.ObservationFactory.create_batch(3, session=session_a)
    triage.mark_duplicate(second, first, by=cx_lead)

    triage.mark_duplicate(third, second, by=cx_lead)

    third.refresh_from_db()
    assert third.triage_state == State.DUPLICATE
    assert third.duplicate_of == first


def test_an_observation_cannot_duplicate_itself(observation, cx_lead):
    with pytest.raises(triage.TriageError):
        triage.mark_duplicate(observation, observation, by=cx_lead)


def test_no_action_needs_a_reason(observation, cx_lead):
    with pytest.raises(triage.TriageError, match="reason"):
        triage.decide_no_action(observation, by=cx_lead, reason="  ")

    observation.refresh_from_db()
    assert observation.triage_state == State.UNTRIAGED


def test_no_action_keeps_the_reason(observation, cx_lead):
    triage.decide_no_action(observation, by=cx_lead, reason="Seasonal: the rooms reopen Monday.")

    observation.refresh_from_db()
    assert observation.triage_state == State.NO_ACTION
    assert observation.triage_note == "Seasonal: the rooms reopen Monday."


def test_a_decided_observation_cannot_be_decided_again(observation, cx_lead):
    triage.decide_no_action(observation, by=cx_lead, reason="Known and planned.")
    stale_copy = Observation.objects.get(pk=observation.pk)

    with pytest.raises(triage.TriageError, match="already triaged"):
        triage.decide_no_action(stale_copy, by=cx_lead, reason="Again.")


def test_a_failed_action_creation_leaves_the_observation_untriaged(observation, cx_lead, store_a):
    with pytest.raises(IntegrityError):
        triage.create_action(
            observation, by=cx_lead, title="No owner", owner=None, team=store_a, due_on=in_days(3)
        )

    observation.refresh_from_db()
    assert observation.triage_state == State.UNTRIAGED
    assert not Action.objects.exists()


def test_queue_holds_untriaged_observations_in_scope_oldest_first(cx_lead, session_a, store_b):
    older, newer = factories.ObservationFactory.create_batch(2, session=session_a)
    decided = factories.ObservationFactory(session=session_a)
    triage.decide_no_action(decided, by=cx_lead, reason="Fine as it is.")
    elsewhere = factories.ObservationFactory()  # a team outside the region

    queue = list(triage.triage_queue(cx_lead))

    assert queue == [older, newer]
    assert elsewhere not in queue


def test_queue_of_a_store_manager_excludes_other_stores(manager, session_a, store_b):
    mine = factories.ObservationFactory(session=session_a)
    factories.ObservationFactory(session=factories.SessionFactory(team=store_b))

    assert list(triage.triage_queue(manager)) == [mine]
