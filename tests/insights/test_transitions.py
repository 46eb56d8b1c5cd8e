import pytest

from insights.models import Action, ActionEvent, ActionStateError, StaleActionError
from tests import factories
from tests.insights.helpers import EVIDENCE, done, in_days, in_progress, verified

pytestmark = pytest.mark.django_db
Status = Action.Status


def status_events(action):
    return list(
        action.events.filter(kind=ActionEvent.Kind.STATUS).values_list("old_value", "new_value")
    )


def test_creation_writes_one_created_event(action, cx_lead):
    events = list(action.events.all())

    assert [e.kind for e in events] == [ActionEvent.Kind.CREATED]
    assert events[0].actor == cx_lead
    assert action.status == Status.OPEN
    assert action.version == 1


def test_start_moves_open_to_in_progress(action, owner):
    action.start(by=owner)

    action.refresh_from_db()
    assert action.status == Status.IN_PROGRESS
    assert status_events(action) == [("open", "in_progress")]


def test_complete_moves_in_progress_to_done_with_evidence(action, owner):
    in_progress(action, owner)

    action.complete(by=owner, note=EVIDENCE)

    action.refresh_from_db()
    assert action.status == Status.DONE
    assert action.evidence_note == EVIDENCE
    assert action.done_at is not None
    assert status_events(action)[-1] == ("in_progress", "done")


def test_complete_without_evidence_is_refused_and_changes_nothing(action, owner):
    in_progress(action, owner)

    with pytest.raises(ActionStateError, match="evidence is required"):
        action.complete(by=owner, note="   ")

    action.refresh_from_db()
    assert action.status == Status.IN_PROGRESS
    assert action.events.count() == 2


def test_complete_straight_from_open_is_refused(action, owner):
    with pytest.raises(ActionStateError, match="open, so it cannot be completed"):
        action.complete(by=owner, note=EVIDENCE)


def test_verify_by_a_cx_lead_who_is_not_the_owner(action, owner, cx_lead):
    done(action, owner)

    action.verify(by=cx_lead)

    action.refresh_from_db()
    assert action.status == Status.VERIFIED
    assert action.verified_by == cx_lead
    assert action.verified_at is not None


def test_verify_by_the_owner_is_refused_even_when_they_are_a_cx_lead(store_a, region, observation):
    lead_owner = factories.CxLeadFactory(teams=[region])
    action = Action.create(
        by=lead_owner, owner=lead_owner, team=store_a, title="Fix signs", due_on=in_days(9)
    )
    done(action, lead_owner)

    with pytest.raises(ActionStateError, match="someone else has to verify"):
        action.verify(by=lead_owner)

    action.refresh_from_db()
    assert action.status == Status.DONE


def test_verify_by_someone_who_is_not_a_cx_lead_is_refused(action, owner, manager):
    done(action, owner)

    with pytest.raises(ActionStateError, match="Only a CX lead"):
        action.verify(by=manager)


@pytest.mark.parametrize("status", [Status.OPEN, Status.IN_PROGRESS])
def test_drop_with_a_reason_from_unfinished(action, owner, cx_lead, status):
    if status == Status.IN_PROGRESS:
        in_progress(action, owner)

    action.drop(by=cx_lead, reason="The fitting rooms are being removed in the refit.")

    action.refresh_from_db()
    assert action.status == Status.DROPPED
    assert action.dropped_reason.startswith("The fitting rooms")
    assert status_events(action)[-1] == (status, "dropped")


def test_drop_without_a_reason_is_refused(action, cx_lead):
    with pytest.raises(ActionStateError, match="reason"):
        action.drop(by=cx_lead, reason="")

    action.refresh_from_db()
    assert action.status == Status.OPEN


@pytest.mark.parametrize("finished", ["done", "verified"])
def test_reopen_with_a_reason_returns_to_in_progress(action, owner, cx_lead, finished):
    if finished == "done":
        done(action, owner)
    else:
        verified(action, owner, cx_lead)

    action.reopen(by=cx_lead, reason="The attendant was gone again on Saturday.")

    action.refresh_from_db()
    assert action.status == Status.IN_PROGRESS
    assert action.verified_by is None
    assert action.done_at is None
    assert status_events(action)[-1] == (finished, "in_progress")


def test_reopen_without_a_reason_is_refused(action, owner, cx_lead):
    done(action, owner)

    with pytest.raises(ActionStateError, match="reason"):
        action.reopen(by=cx_lead, reason=" ")


FORBIDDEN = [
    # (how far the action has got, the method refused there)
    ("open", "verify"),
    ("open", "reopen"),
    ("in_progress", "start"),
    ("in_progress", "verify"),
    ("in_progress", "reopen"),
    ("done", "start"),
    ("done", "complete"),
    ("done", "drop"),
    ("verified", "start"),
    ("verified", "complete"),
    ("verified", "verify"),
    ("verified", "drop"),
    ("dropped", "start"),
    ("dropped", "complete"),
    ("dropped", "verify"),
    ("dropped", "drop"),
    ("dropped", "reopen"),
]


@pytest.mark.parametrize(("state", "method"), FORBIDDEN)
def test_forbidden_transition_raises_and_writes_nothing(action, owner, cx_lead, state, method):
    if state == "in_progress":
        in_progress(action, owner)
    elif state == "done":
        done(action, owner)
    elif state == "verified":
        verified(action, owner, cx_lead)
    elif state == "dropped":
        action.drop(by=cx_lead, reason="Not needed.")
    before_events = action.events.count()
    before_version = Action.objects.get(pk=action.pk).version
    calls = {
        "start": lambda: action.start(by=owner),
        "complete": lambda: action.complete(by=owner, note=EVIDENCE),
        "verify": lambda: action.verify(by=cx_lead),
        "drop": lambda: action.drop(by=cx_lead, reason="Because."),
        "reopen": lambda: action.reopen(by=cx_lead, reason="Because."),
    }

    with pytest.raises(ActionStateError, match=f"is {Status(state).label.lower()}"):
        calls[method]()

    assert action.events.count() == before_events
    assert Action.objects.get(pk=action.pk).version == before_version


def test_a_change_against_an_older_version_is_refused_saying_what_changed(action, owner, cx_lead):
    page_version = action.version
    action.start(by=owner)

    with pytest.raises(StaleActionError) as refused:
        action.drop(by=cx_lead, reason="Not needed.", version=page_version)

    assert "changed the status from Open to In progress" in str(refused.value)
    assert Action.objects.get(pk=action.pk).status == Status.IN_PROGRESS


def test_every_change_writes_exactly_one_event_and_bumps_the_version(
    action, owner, cx_lead, session_a
):
    other = factories.UserFactory(teams=[action.team])
    steps = [
        lambda: action.start(by=owner),
        lambda: action.edit(by=cx_lead, due_on=action.due_on.replace(year=2099)),
        lambda: action.edit(by=cx_lead, priority=Action.Priority.HIGH),
        lambda: action.edit(by=cx_lead, owner=other),
        lambda: action.edit(by=cx_lead, title="Roster a fitting room attendant"),
        lambda: action.edit(by=cx_lead, you_said="Locked rooms", we_did="Rostered staff"),
        lambda: action.link(factories.ObservationFactory(session=session_a), by=cx_lead),
        lambda: action.complete(by=other, note=EVIDENCE),
        lambda: action.verify(by=cx_lead),
        lambda: action.reopen(by=cx_lead, reason="It slipped again."),
    ]  # fmt: skip
    for step in steps:
        events_before = action.events.count()
        version_before = Action.objects.get(pk=action.pk).version

        step()

        assert action.events.count() == events_before + 1
        assert Action.objects.get(pk=action.pk).version == version_before + 1
    kinds = list(action.events.values_list("kind", flat=True))
    assert kinds == [
        "created", "status", "due_changed", "priority_changed", "assigned", "edited",
        "published", "linked", "status", "status", "status",
    ]  # fmt: skip


def test_an_edit_that_changes_nothing_writes_nothing(action, cx_lead):
    assert action.edit(by=cx_lead, title=action.title) == []
    assert action.events.count() == 1


def test_publishing_needs_both_public_texts(action, cx_lead):
    with pytest.raises(ActionStateError, match="you said"):
        action.edit(by=cx_lead, is_published=True, you_said="Locked rooms")

    assert not Action.objects.get(pk=action.pk).is_published
    assert action.events.count() == 1


def test_a_comment_is_an_event_that_leaves_the_version_alone(action, owner):
    action.comment(by=owner, text="Talked to the rota manager.")

    event = action.events.last()
    assert event.kind == ActionEvent.Kind.COMMENT
    assert event.note == "Talked to the rota manager."
    assert Action.objects.get(pk=action.pk).version == 1


def test_an_empty_comment_is_refused(action, owner):
    with pytest.raises(ActionStateError):
        action.comment(by=owner, text="  ")
    assert action.events.count() == 1


def test_linking_to_a_finished_action_is_refused(action, owner, cx_lead, session_a):
    done(action, owner)

    with pytest.raises(ActionStateError, match="still open or in progress"):
        action.link(factories.ObservationFactory(session=session_a), by=cx_lead)
