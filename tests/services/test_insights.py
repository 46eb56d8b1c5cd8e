"""Actions, triage and their e-mails on real PostgreSQL, with threads racing and real workers."""

from pathlib import Path

import pytest

from insights import tasks, triage
from insights.models import Action, ActionEvent, ActionStateError, Notification
from journal.models import Observation
from tests import factories
from tests.insights.helpers import EVIDENCE, done, in_days, in_progress
from tests.services.conftest import race as race_calls
from tests.services.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def race(*calls) -> list:
    """The calls at the same moment; a refused change comes back as its ActionStateError."""
    return race_calls(*calls, expected=(ActionStateError,))


@pytest.fixture
def action(owner, store_a, cx_lead):
    return factories.ActionFactory(owner=owner, team=store_a, created_by=cx_lead)


def fresh(action) -> Action:
    return Action.objects.get(pk=action.pk)


def test_two_simultaneous_completions_leave_one_result(action, owner, cx_lead):
    in_progress(action, owner)

    results = race(
        lambda: fresh(action).complete(by=owner, note="Owner: attendant rostered."),
        lambda: fresh(action).complete(by=cx_lead, note="Lead: saw it done."),
    )

    refused = [r for r in results if isinstance(r, ActionStateError)]
    assert len(refused) == 1
    assert "done, so it cannot be completed" in str(refused[0])
    final = fresh(action)
    assert final.status == Action.Status.DONE
    assert final.evidence_note in {"Owner: attendant rostered.", "Lead: saw it done."}
    done_events = action.events.filter(kind=ActionEvent.Kind.STATUS, new_value="done")
    assert done_events.count() == 1
    assert done_events.get().note == final.evidence_note
    assert final.version == 3


def test_two_simultaneous_verifications_leave_one_verifier(action, owner, cx_lead, region):
    second_lead = factories.CxLeadFactory(teams=[region])
    done(action, owner)

    results = race(
        lambda: fresh(action).verify(by=cx_lead),
        lambda: fresh(action).verify(by=second_lead),
    )

    assert sum(isinstance(r, ActionStateError) for r in results) == 1
    final = fresh(action)
    verified = action.events.get(kind=ActionEvent.Kind.STATUS, new_value="verified")
    assert final.verified_by_id == verified.actor_id


def test_a_stale_drop_racing_a_completion_is_refused_with_what_changed(action, owner, cx_lead):
    in_progress(action, owner)
    seen = fresh(action).version

    results = race(
        lambda: fresh(action).complete(by=owner, note=EVIDENCE, version=seen),
        lambda: fresh(action).drop(by=cx_lead, reason="Not needed.", version=seen),
    )

    assert sum(isinstance(r, ActionStateError) for r in results) == 1
    assert fresh(action).status in {Action.Status.DONE, Action.Status.DROPPED}
    assert action.events.filter(kind=ActionEvent.Kind.STATUS).count() == 2


def test_two_leads_triaging_one_observation_at_once_make_one_decision(
    cx_lead, region, owner, store_a, manager
):
    observation = factories.ObservationFactory(
        session=factories.SessionFactory(team=store_a, lead=manager)
    )
    second_lead = factories.CxLeadFactory(teams=[region])

    results = race(
        lambda: triage.decide_no_action(
            Observation.objects.get(pk=observation.pk), by=cx_lead, reason="One-off."
        ),
        lambda: triage.create_action(
            Observation.objects.get(pk=observation.pk),
            by=second_lead,
            title="Unlock the rooms",
            owner=owner,
            team=store_a,
            due_on=in_days(3),
        ),
    )

    assert sum(isinstance(r, triage.TriageError) for r in results) == 1
    observation.refresh_from_db()
    made = Action.objects.filter(observations=observation).count()
    assert (observation.triage_state, made) in {("no_action", 0), ("actioned", 1)}


def test_concurrent_sends_of_one_notification_send_once(action, owner, mailoutbox):
    key = (action.pk, Notification.Kind.OVERDUE, owner.pk, "day:2026-11-27")

    results = race(*[lambda: tasks.send_notification.apply(args=key).get() for _ in range(4)])

    assert sorted(results) == ["already sent"] * 3 + ["sent"]
    assert len(mailoutbox) == 1
    assert Notification.objects.get().state == Notification.State.SENT


def sent_subjects(folder: Path) -> list[str]:
    return [
        line
        for path in folder.glob("*.log")
        for line in path.read_text().splitlines()
        if line.startswith("Subject: ")
    ]


def test_workers_running_the_scans_repeatedly_send_each_notice_once(
    owner, store_a, cx_lead, celery_worker_factory, tmp_path
):
    outbox = tmp_path / "mail"
    outbox.mkdir()
    for days in (-5, -1, 1):
        factories.ActionFactory(owner=owner, team=store_a, created_by=cx_lead, due_on=in_days(days))
    for _ in range(2):
        # django-environ drops one slash of the path: four make it absolute.
        celery_worker_factory(concurrency=2, EMAIL_URL=f"filemail:///{outbox.as_posix()}")

    for _ in range(3):
        tasks.send_due_soon_reminders.delay()
        tasks.send_overdue_reminders.delay()
        tasks.escalate_overdue_actions.delay()

    # due soon: 1, overdue today: 2, escalation (5 days late): 1
    wait_for(
        lambda: Notification.objects.filter(state=Notification.State.SENT).count() == 4,
        60,
        "the workers never sent the four notices",
    )
    wait_for(lambda: len(sent_subjects(outbox)) == 4, 30, "the mails were not written")
    assert Notification.objects.count() == 4
    assert sorted(s.split()[1] for s in sent_subjects(outbox)) == [
        "Due", "Overdue", "Overdue", "Overdue",
    ]  # fmt: skip


def test_assignment_mail_is_sent_by_a_worker_after_commit(
    owner, store_a, cx_lead, celery_worker_process
):
    action = Action.create(
        by=cx_lead, title="Fix the lift", owner=owner, team=store_a, due_on=in_days(4)
    )

    sent = wait_for(
        lambda: Notification.objects.filter(
            action=action, kind=Notification.Kind.ASSIGNED, state=Notification.State.SENT
        ).first(),
        60,
        "the assignment e-mail was never sent",
    )
    assert sent.recipient == owner
