"""Re-visits: due when an action is verified, asked on the capture page, answered there."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from insights.models import ReVisit, TeamTriageSettings
from insights.revisit_prompts import RevisitPrompts
from journal.models import Observation
from tests import factories
from tests.insights.helpers import verified

pytestmark = pytest.mark.django_db


def capture_url(session):
    return reverse("journal:capture", kwargs={"session_id": session.pk})


def answer(target, **overrides):
    return {
        "client_uuid": str(uuid.uuid4()),
        "revisit": str(target.pk),
        "touchpoint": target.touchpoint,
        "emotion": "reassured",
        "intensity": "2",
        "what_happened": "An attendant opened the fitting room straight away.",
        **overrides,
    }


@pytest.fixture
def verified_action(action, owner, cx_lead):
    return verified(action, owner, cx_lead)


@pytest.fixture
def revisit(verified_action):
    return ReVisit.objects.get(action=verified_action)


@pytest.fixture
def later_session(store_a, manager, verified_action):
    """Store A's next session after the verification, under way."""
    session = factories.SessionFactory(
        team=store_a, lead=manager, planned_start=timezone.now() + dt.timedelta(minutes=5)
    )
    session.start(by=manager)
    return session


def test_verifying_an_action_makes_its_revisit_due_on_the_same_touchpoint(
    verified_action, observation
):
    revisit = ReVisit.objects.get(action=verified_action)

    assert (revisit.touchpoint, revisit.team_id) == (
        observation.touchpoint,
        observation.session.team_id,
    )
    assert (revisit.before_emotion, revisit.before_intensity) == ("frustrated", 4)


def test_a_revisit_keeps_the_persona_the_source_session_walked_as(
    action, owner, cx_lead, observation
):
    persona = factories.PersonaFactory()
    observation.session.persona = persona
    observation.session.save()

    verified(action, owner, cx_lead)

    assert ReVisit.objects.get().persona == persona


def test_a_revisit_is_due_at_the_teams_next_session(action, owner, cx_lead, store_a, manager):
    next_week = timezone.now() + dt.timedelta(days=7)
    factories.SessionFactory(team=store_a, lead=manager, planned_start=next_week)

    verified(action, owner, cx_lead)

    assert ReVisit.objects.get().due_on == timezone.localdate(next_week)


def test_without_a_session_a_revisit_is_due_within_the_teams_days(action, owner, cx_lead, store_a):
    TeamTriageSettings.objects.create(team=store_a, revisit_days=10)

    verified(action, owner, cx_lead)

    assert ReVisit.objects.get().due_on == timezone.localdate() + dt.timedelta(days=10)


def test_a_session_later_than_the_teams_days_does_not_push_the_revisit_back(
    action, owner, cx_lead, store_a, manager
):
    factories.SessionFactory(
        team=store_a, lead=manager, planned_start=timezone.now() + dt.timedelta(days=60)
    )

    verified(action, owner, cx_lead)

    assert ReVisit.objects.get().due_on == timezone.localdate() + dt.timedelta(days=30)


def test_verifying_again_after_a_reopen_moves_the_revisit_instead_of_adding_one(
    verified_action, owner, cx_lead
):
    verified_action.reopen(by=cx_lead, reason="The attendant was gone again.")
    with time_machine.travel(timezone.now() + dt.timedelta(days=3)):
        verified_action.complete(by=owner, note="Rostered again.")
        verified_action.verify(by=cx_lead)

    assert ReVisit.objects.get().verified_at == verified_action.verified_at


def test_an_action_without_observations_has_no_revisit(owner, cx_lead, store_a):
    action = factories.ActionFactory(team=store_a, owner=owner, created_by=cx_lead)

    verified(action, owner, cx_lead)

    assert not ReVisit.objects.exists()


def test_the_capture_page_asks_the_revisit(client_as, manager, later_session, revisit):
    response = client_as(manager).get(capture_url(later_session))

    assert "Last time: the customer would feel <strong>frustrated</strong> at <strong>store" in (
        response.content.decode()
    )
    assert f'name="revisit" value="{revisit.pk}"' in response.content.decode()


def test_a_session_planned_before_the_verification_does_not_ask_it(
    client_as, manager, store_a, revisit
):
    earlier = factories.SessionFactory(
        team=store_a, lead=manager, planned_start=revisit.verified_at - dt.timedelta(hours=1)
    )
    earlier.start(by=manager)

    response = client_as(manager).get(capture_url(earlier))

    assert 'name="revisit"' not in response.content.decode()


def test_a_session_walking_as_another_persona_does_not_ask_it(
    client_as, manager, later_session, revisit
):
    revisit.persona = factories.PersonaFactory()
    revisit.save()

    response = client_as(manager).get(capture_url(later_session))

    assert 'name="revisit"' not in response.content.decode()


def test_a_better_answer_links_to_the_action_and_leaves_triage(
    client_as, manager, later_session, revisit
):
    client_as(manager).post(capture_url(later_session), answer(revisit))

    revisit.refresh_from_db()
    assert revisit.improved is True
    assert revisit.answer.triage_state == Observation.TriageState.NO_ACTION


def test_a_still_negative_answer_stays_in_the_triage_queue(
    client_as, manager, later_session, revisit
):
    client_as(manager).post(
        capture_url(later_session), answer(revisit, emotion="confused", intensity="2")
    )

    revisit.refresh_from_db()
    assert revisit.improved is True
    assert revisit.still_negative
    assert revisit.answer.triage_state == Observation.TriageState.UNTRIAGED


def test_a_worse_answer_is_not_an_improvement(client_as, manager, later_session, revisit):
    client_as(manager).post(
        capture_url(later_session), answer(revisit, emotion="angry", intensity="5")
    )

    revisit.refresh_from_db()
    assert revisit.improved is False


def test_an_answered_revisit_is_no_longer_asked(client_as, manager, later_session, revisit):
    client = client_as(manager)
    client.post(capture_url(later_session), answer(revisit))

    response = client.get(capture_url(later_session))

    assert 'name="revisit"' not in response.content.decode()


def test_a_resent_answer_is_stored_once(client_as, manager, later_session, revisit):
    client = client_as(manager)
    posted = answer(revisit)
    client.post(capture_url(later_session), posted)

    response = client.post(capture_url(later_session), posted, HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert Observation.objects.filter(revisit_of=revisit).count() == 1


def test_a_revisit_of_another_team_is_refused_and_nothing_stored(
    client_as, manager, later_session, revisit, store_b
):
    revisit.team = store_b
    revisit.save()

    response = client_as(manager).post(capture_url(later_session), answer(revisit))

    assert response.status_code == 422
    assert "not one this session can answer" in response.content.decode()
    assert not Observation.objects.filter(session=later_session).exists()


def test_a_revisit_id_that_is_no_number_is_refused(client_as, manager, later_session, revisit):
    response = client_as(manager).post(
        capture_url(later_session), answer(revisit, revisit="drop table")
    )

    assert response.status_code == 422
    assert not Observation.objects.filter(session=later_session).exists()


def test_an_answer_on_another_touchpoint_is_refused(client_as, manager, later_session, revisit):
    response = client_as(manager).post(
        capture_url(later_session), answer(revisit, touchpoint="website")
    )

    assert response.status_code == 422
    assert "The re-visit asks about store" in response.content.decode()
    assert not Observation.objects.filter(session=later_session).exists()


def test_a_revisit_answered_by_someone_else_meanwhile_is_refused(
    client_as, manager, later_session, revisit, monkeypatch
):
    other = factories.ObservationFactory(session=later_session)
    check = RevisitPrompts.check

    # The check passed, then another phone's answer was stored before this one.
    def answered_meanwhile(provider, *args):
        prompt = check(provider, *args)
        ReVisit.objects.filter(pk=revisit.pk).update(
            answer=other, answered_at=timezone.now(), improved=True
        )
        return prompt

    monkeypatch.setattr(RevisitPrompts, "check", answered_meanwhile)
    response = client_as(manager).post(capture_url(later_session), answer(revisit))

    assert response.status_code == 409
    assert "Someone else answered this re-visit first" in response.content.decode()
    assert list(Observation.objects.filter(session=later_session)) == [other]


@pytest.fixture
def negative_answer(client_as, manager, later_session, revisit):
    client_as(manager).post(
        capture_url(later_session), answer(revisit, emotion="confused", intensity="2")
    )
    revisit.refresh_from_db()
    return revisit


def test_the_action_page_shows_the_feeling_before_and_after(client_as, cx_lead, negative_answer):
    response = client_as(cx_lead).get(
        reverse("insights:action-detail", args=[negative_answer.action_id])
    )

    text = " ".join(response.content.decode().split())
    assert "before: frustrated (4)</span> → <span" in text
    assert "after: confused (2)" in text


def test_the_action_page_shows_a_revisit_still_due(client_as, cx_lead, revisit):
    response = client_as(cx_lead).get(reverse("insights:action-detail", args=[revisit.action_id]))

    assert f"due by {revisit.due_on:%-d %b %Y}" in response.content.decode()


def test_the_triage_queue_names_the_action_a_negative_answer_revisited(
    client_as, cx_lead, negative_answer
):
    response = client_as(cx_lead).get(reverse("insights:triage-queue"))

    assert f"Re-visit of action #{negative_answer.action_id}: still negative" in (
        response.content.decode()
    )


def test_the_triage_page_links_a_negative_answer_to_the_old_action(
    client_as, cx_lead, negative_answer
):
    response = client_as(cx_lead).get(
        reverse("insights:triage-observation", args=[negative_answer.answer_id])
    )

    assert f"Re-visit of action #{negative_answer.action_id}: still negative" in (
        response.content.decode()
    )
    assert reverse("insights:action-detail", args=[negative_answer.action_id]) in (
        response.content.decode()
    )


def test_a_cx_lead_sets_a_teams_revisit_window(client_as, cx_lead, store_a):
    url = reverse("insights:triage-team-settings", args=[store_a.pk])

    client_as(cx_lead).post(url, {"default_owner": "", "revisit_days": "14"})

    assert TeamTriageSettings.objects.get(team=store_a).revisit_days == 14


@pytest.mark.parametrize("days", ["0", "366", "soon"])
def test_a_revisit_window_out_of_range_is_refused_and_nothing_stored(
    client_as, cx_lead, store_a, days
):
    url = reverse("insights:triage-team-settings", args=[store_a.pk])

    response = client_as(cx_lead).post(url, {"default_owner": "", "revisit_days": days})

    assert response.status_code == 400
    assert not TeamTriageSettings.objects.exists()


@pytest.mark.parametrize("extra", [0, 5])
def test_the_capture_page_query_count_does_not_grow_with_revisits(
    client_as, manager, owner, cx_lead, store_a, later_session, extra, django_assert_num_queries
):
    for _ in range(extra):
        source = factories.ObservationFactory(session=factories.SessionFactory(team=store_a))
        action = factories.ActionFactory(
            team=store_a, owner=owner, created_by=cx_lead, observations=[source]
        )
        verified(action, owner, cx_lead)
        ReVisit.objects.filter(action=action).update(verified_at=timezone.now())
    client = client_as(manager)
    # user, the session, the running count, the latest observations (none, so no photos),
    # the user's role groups, the re-visits the session can answer (at most three shown)
    with django_assert_num_queries(6):
        client.get(capture_url(later_session))


def test_a_session_of_a_type_looking_elsewhere_does_not_ask_it(
    client_as, manager, later_session, revisit
):
    later_session.session_type.suggested_touchpoints = ["phone", "chat"]
    later_session.session_type.save()

    response = client_as(manager).get(capture_url(later_session))

    assert 'name="revisit"' not in response.content.decode()


def test_a_revisit_is_due_at_the_next_session_of_a_suitable_type(
    action, owner, cx_lead, store_a, manager
):
    listening = factories.SessionTypeFactory(suggested_touchpoints=["phone"])
    factories.SessionFactory(
        team=store_a,
        lead=manager,
        session_type=listening,
        planned_start=timezone.now() + dt.timedelta(days=2),
    )
    walk = timezone.now() + dt.timedelta(days=5)
    factories.SessionFactory(team=store_a, lead=manager, planned_start=walk)

    verified(action, owner, cx_lead)

    assert ReVisit.objects.get().due_on == timezone.localdate(walk)


def test_an_undone_answer_leaves_the_revisit_due_again(client_as, manager, later_session, revisit):
    client = client_as(manager)
    client.post(capture_url(later_session), answer(revisit))
    revisit.refresh_from_db()

    client.post(
        reverse("journal:observation-delete", args=[revisit.answer_id]),
        {"reason": "Undone right after saving."},
    )

    revisit.refresh_from_db()
    assert (revisit.answer, revisit.answered_at, revisit.improved) == (None, None, None)
    assert (
        f'name="revisit" value="{revisit.pk}"'
        in client.get(capture_url(later_session)).content.decode()
    )


def test_an_answer_corrected_to_negative_goes_back_to_the_triage_queue(
    client_as, manager, later_session, revisit
):
    client = client_as(manager)
    client.post(capture_url(later_session), answer(revisit))
    revisit.refresh_from_db()

    client.post(
        reverse("journal:observation-edit", args=[revisit.answer_id]),
        {
            "touchpoint": revisit.touchpoint,
            "emotion": "angry",
            "intensity": "5",
            "what_happened": "On a second look the room was locked again.",
            "kind": "pain_point",
        },
    )

    revisit.refresh_from_db()
    assert revisit.improved is False
    assert revisit.answer.triage_state == Observation.TriageState.UNTRIAGED
