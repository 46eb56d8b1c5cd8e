"""One decision for several observations: each gets its own record, all or nothing, in reach."""

import pytest
from django.urls import reverse

from insights.models import Action, ActionEvent
from journal.models import Observation
from tests import factories
from tests.insights.helpers import done, in_days

pytestmark = pytest.mark.django_db
State = Observation.TriageState
ROLES = ("manager", "other_manager", "cx_lead", "executive", "owner")
BULK = reverse("insights:triage-bulk")


@pytest.fixture
def three(session_a):
    return factories.ObservationFactory.create_batch(3, session=session_a)


def ids(observations):
    return [o.pk for o in observations]


def states(observations):
    return [Observation.objects.get(pk=o.pk).triage_state for o in observations]


def new_action(owner, team, **overrides):
    data = {
        "bulk-new-title": "Open a second till at lunchtime",
        "bulk-new-description": "",
        "bulk-new-owner": owner.pk,
        "bulk-new-team": team.pk,
        "bulk-new-due_on": in_days(10).isoformat(),
        "bulk-new-priority": Action.Priority.HIGH,
    }
    return {**data, **overrides}


def test_one_new_action_addresses_all_selected(client_as, cx_lead, owner, store_a, three):
    response = client_as(cx_lead).post(
        BULK, {"decision": "new", "observations": ids(three), **new_action(owner, store_a)}
    )

    assert response.status_code == 302
    action = Action.objects.get()
    assert set(action.observations.all()) == set(three)
    assert states(three) == [State.ACTIONED] * 3
    notes = {Observation.objects.get(pk=o.pk).triage_note for o in three}
    assert notes == {"New action: Open a second till at lunchtime"}


def test_linking_several_records_a_link_event_for_each(client_as, cx_lead, action, three):
    response = client_as(cx_lead).post(
        BULK, {"decision": "link", "observations": ids(three), "bulk-link-action": action.pk}
    )

    assert response.status_code == 302
    assert states(three) == [State.ACTIONED] * 3
    linked = action.events.filter(kind=ActionEvent.Kind.LINKED)
    assert sorted(linked.values_list("new_value", flat=True)) == sorted(
        f"Observation {o.pk}" for o in three
    )


def test_duplicates_of_one_each_record_the_original(client_as, cx_lead, observation, three):
    response = client_as(cx_lead).post(
        BULK,
        {
            "decision": "duplicate",
            "observations": ids(three),
            "bulk-duplicate-original": observation.pk,
        },
    )

    assert response.status_code == 302
    assert {Observation.objects.get(pk=o.pk).duplicate_of_id for o in three} == {observation.pk}
    assert states(three) == [State.DUPLICATE] * 3


def test_the_original_among_the_selected_stays_waiting(client_as, cx_lead, three):
    original = three[0]

    client_as(cx_lead).post(
        BULK,
        {
            "decision": "duplicate",
            "observations": ids(three),
            "bulk-duplicate-original": original.pk,
        },
    )

    assert states(three) == [State.UNTRIAGED, State.DUPLICATE, State.DUPLICATE]


def test_no_action_keeps_the_one_reason_on_each(client_as, cx_lead, three, session_a):
    left = factories.ObservationFactory(session=session_a)

    client_as(cx_lead).post(
        BULK, {"decision": "none", "observations": ids(three), "bulk-none-reason": "Seasonal."}
    )

    assert states(three) == [State.NO_ACTION] * 3
    assert states([left]) == [State.UNTRIAGED]
    assert {Observation.objects.get(pk=o.pk).triaged_by for o in three} == {cx_lead}


def test_the_queue_keeps_its_filters_after_a_bulk_decision(client_as, cx_lead, three):
    response = client_as(cx_lead).post(
        BULK + "?impact=medium",
        {"decision": "none", "observations": ids(three), "bulk-none-reason": "Seasonal."},
    )

    assert response.url == reverse("insights:triage-queue") + "?impact=medium"


# --- reach ------------------------------------------------------------------------


@pytest.mark.parametrize("role", [r for r in ROLES if r != "cx_lead"])
def test_only_cx_leads_decide_in_bulk(client_as, cast, three, role):
    response = client_as(cast[role]).post(
        BULK, {"decision": "none", "observations": ids(three), "bulk-none-reason": "No."}
    )

    assert response.status_code == 403
    assert states(three) == [State.UNTRIAGED] * 3


def test_anonymous_is_sent_to_sign_in(client, three):
    response = client.post(BULK, {"decision": "none", "observations": ids(three)})

    assert response.status_code == 302
    assert states(three) == [State.UNTRIAGED] * 3


def test_an_observation_outside_reach_is_not_found_and_nothing_changes(client_as, cx_lead, three):
    elsewhere = factories.ObservationFactory(session=factories.SessionFactory())

    response = client_as(cx_lead).post(
        BULK,
        {"decision": "none", "observations": [*ids(three), elsewhere.pk], "bulk-none-reason": "x"},
    )

    assert response.status_code == 404
    assert states([*three, elsewhere]) == [State.UNTRIAGED] * 4


def test_a_cx_lead_of_one_store_cannot_reach_the_other(client_as, store_b, three):
    lead_of_b = factories.CxLeadFactory(teams=[store_b])

    response = client_as(lead_of_b).post(
        BULK, {"decision": "none", "observations": ids(three), "bulk-none-reason": "x"}
    )

    assert response.status_code == 404
    assert states(three) == [State.UNTRIAGED] * 3


def test_an_original_outside_reach_is_refused(client_as, cx_lead, three):
    elsewhere = factories.ObservationFactory(session=factories.SessionFactory())

    response = client_as(cx_lead).post(
        BULK,
        {
            "decision": "duplicate",
            "observations": ids(three),
            "bulk-duplicate-original": elsewhere.pk,
        },
    )

    assert response.status_code == 400
    assert "Choose an observation in your teams" in response.content.decode()
    assert states(three) == [State.UNTRIAGED] * 3


# --- all or nothing and bad input ---------------------------------------------------


def test_one_already_decided_undoes_nothing_and_changes_nothing(client_as, cx_lead, three):
    from insights import triage

    triage.decide_no_action(three[2], by=cx_lead, reason="Decided earlier.")

    response = client_as(cx_lead).post(
        BULK, {"decision": "none", "observations": ids(three), "bulk-none-reason": "Now."}
    )

    assert response.status_code == 400
    assert "already has a decision" in response.content.decode()
    assert states(three) == [State.UNTRIAGED, State.UNTRIAGED, State.NO_ACTION]


def test_a_refused_link_leaves_every_observation_waiting(client_as, cx_lead, owner, action, three):
    done(action, owner)

    response = client_as(cx_lead).post(
        BULK, {"decision": "link", "observations": ids(three), "bulk-link-action": action.pk}
    )

    assert response.status_code == 400
    assert states(three) == [State.UNTRIAGED] * 3
    assert not action.events.filter(kind=ActionEvent.Kind.LINKED).exists()


def test_a_failure_halfway_rolls_back_the_ones_before(client_as, cx_lead, three):
    # The last repeats the first, which repeats the last: refused when its turn comes.
    from insights import triage

    first, second, third = three
    triage.mark_duplicate(first, third, by=cx_lead)
    Observation.objects.filter(pk=first.pk).update(triage_state=State.UNTRIAGED)

    response = client_as(cx_lead).post(
        BULK,
        {
            "decision": "duplicate",
            "observations": [second.pk, third.pk],
            "bulk-duplicate-original": first.pk,
        },
    )

    assert response.status_code == 409
    assert states([second, third]) == [State.UNTRIAGED, State.UNTRIAGED]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"observations": [], "decision": "none", "bulk-none-reason": "x"},
            "Select the observations",
        ),
        ({"decision": "none", "bulk-none-reason": " "}, "Give the reason"),
        ({"decision": "link", "bulk-link-action": "0"}, "Choose an open action"),
        ({"decision": "duplicate", "bulk-duplicate-original": "abc"}, "Enter a whole number"),
        ({"decision": "new", "bulk-new-title": ""}, "This field is required"),
        ({"decision": "explode"}, "Choose what to do with them"),
        (
            {"decision": "none", "observations": ["one"], "bulk-none-reason": "x"},
            "Select observations",
        ),
    ],
)
def test_bad_input_answers_400_with_a_message_and_changes_nothing(
    client_as, cx_lead, three, data, message
):
    data = {"observations": ids(three), **data}

    response = client_as(cx_lead).post(BULK, data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert states(three) == [State.UNTRIAGED] * 3


def test_a_new_action_for_someone_outside_reach_is_refused(client_as, cx_lead, store_a, three):
    outsider = factories.UserFactory(teams=[factories.TeamFactory(name="Elsewhere")])

    response = client_as(cx_lead).post(
        BULK, {"decision": "new", "observations": ids(three), **new_action(outsider, store_a)}
    )

    assert response.status_code == 400
    assert not Action.objects.exists()
