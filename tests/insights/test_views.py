"""Every insights URL as every member of the cast, and bad input on every form."""

import pytest
from django.urls import reverse

from insights.models import Action, ActionEvent
from journal.models import Observation
from tests import factories
from tests.insights.helpers import EVIDENCE, done, in_days, in_progress

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"insights:{name}", args=args)


ROLES = ("manager", "other_manager", "cx_lead", "executive", "owner")


def by_role(*codes):
    return dict(zip(ROLES, codes, strict=True))


# (url name, needs the action id, expected status for manager, other_manager, cx_lead,
# executive, owner)
READ_MATRIX = [
    ("triage-queue", False, by_role(403, 403, 200, 403, 403)),
    ("action-list", False, by_role(200, 200, 200, 200, 403)),
    ("my-actions", False, by_role(200, 200, 200, 200, 200)),
    ("revisit-list", False, by_role(200, 200, 200, 200, 403)),
    ("export-actions", False, by_role(403, 403, 200, 200, 403)),
    ("export-observations", False, by_role(403, 403, 200, 200, 403)),
    ("notification-settings", False, by_role(200, 200, 200, 200, 200)),
    ("journey", False, by_role(403, 403, 200, 200, 403)),
    ("board-pack", False, by_role(200, 200, 200, 200, 403)),
    ("theme-list", False, by_role(403, 403, 200, 403, 403)),
    ("theme-create", False, by_role(403, 403, 200, 403, 403)),
    ("action-detail", True, by_role(200, 404, 200, 200, 200)),
    ("action-edit", True, by_role(403, 404, 200, 403, 403)),
    ("action-complete", True, by_role(403, 404, 200, 403, 200)),
]


@pytest.mark.parametrize(("name", "with_id", "expected"), READ_MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_read_matrix(client_as, cast, action, name, with_id, expected, role):
    response = client_as(cast[role]).get(url(name, action.pk) if with_id else url(name))

    assert response.status_code == expected[role]


@pytest.mark.parametrize(
    "name", ["triage-queue", "action-list", "my-actions", "action-detail", "revisit-list"]
)
def test_anonymous_is_sent_to_sign_in(client, action, name):
    response = client.get(url(name, action.pk) if name == "action-detail" else url(name))

    assert response.status_code == 302
    assert "/accounts/login/" in response.url


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("manager", 200),
        ("other_manager", 404),
        ("cx_lead", 200),
        ("executive", 200),
        ("owner", 403),
    ],
)
def test_observation_outcome_page_by_role(client_as, cast, observation, role, expected):
    response = client_as(cast[role]).get(url("triage-observation", observation.pk))

    assert response.status_code == expected


# (url name, what to post, how far the action must have got, expected status per role)
CHANGE_MATRIX = [
    ("action-start", {}, "open", by_role(403, 404, 302, 403, 302)),
    ("action-complete", {"note": EVIDENCE}, "in_progress", by_role(403, 404, 302, 403, 302)),
    ("action-verify", {}, "done", by_role(403, 404, 302, 403, 403)),
    ("action-drop", {"drop-reason": "Not needed."}, "open", by_role(403, 404, 302, 403, 403)),
    ("action-reopen", {"reopen-reason": "Slipped."}, "done", by_role(403, 404, 302, 403, 403)),
    ("action-comment", {"text": "On it."}, "open", by_role(403, 404, 302, 403, 302)),
]


@pytest.mark.parametrize(("name", "data", "state", "expected"), CHANGE_MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_change_matrix(client_as, cast, action, owner, name, data, state, expected, role):
    if state == "in_progress":
        in_progress(action, owner)
    elif state == "done":
        done(action, owner)
    version = Action.objects.get(pk=action.pk).version
    events_before = action.events.count()

    prefix = next((k.split("-")[0] + "-" for k in data if "-" in k), "")
    response = client_as(cast[role]).post(
        url(name, action.pk), {f"{prefix}version": version, **data}
    )

    assert response.status_code == expected[role]
    changed = action.events.count() > events_before
    assert changed == (expected[role] == 302)


def test_owner_sees_no_verify_button_on_their_done_action(client_as, action, owner):
    done(action, owner)

    response = client_as(owner).get(url("action-detail", action.pk))

    assert b"Verify it was done" not in response.content
    assert b"Waiting for a CX lead other than you" in response.content


@pytest.mark.parametrize("role", ["manager", "other_manager", "executive", "owner"])
def test_only_cx_leads_triage(client_as, cast, observation, role):
    response = client_as(cast[role]).post(
        url("triage-no-action", observation.pk), {"reason": "Nothing to do."}
    )

    assert response.status_code == 403
    observation.refresh_from_db()
    assert observation.triage_state == Observation.TriageState.UNTRIAGED


def test_cx_lead_of_another_region_gets_404_on_an_action(client_as, action):
    elsewhere = factories.CxLeadFactory(teams=[factories.RegionFactory()])

    assert client_as(elsewhere).get(url("action-detail", action.pk)).status_code == 404
    assert (
        client_as(elsewhere)
        .post(url("action-drop", action.pk), {"drop-version": 1, "drop-reason": "x"})
        .status_code
        == 404
    )


# --- triage forms ---------------------------------------------------------------


def new_action_data(owner_user, team_obj, **overrides):
    data = {
        "title": "Unlock the fitting rooms",
        "description": "",
        "owner": owner_user.pk,
        "team": team_obj.pk,
        "due_on": in_days(5).isoformat(),
        "priority": Action.Priority.HIGH,
    }
    return {**data, **overrides}


def test_triage_into_a_new_action_goes_to_the_next_observation(
    client_as, cx_lead, observation, owner, store_a, session_a, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    following = factories.ObservationFactory(session=session_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(cx_lead).post(
            url("triage-new-action", observation.pk), new_action_data(owner, store_a)
        )

    assert response.status_code == 302
    assert response.url == url("triage-observation", following.pk)
    action = Action.objects.get()
    assert action.owner == owner
    assert list(action.observations.all()) == [observation]
    assert [m.to for m in mailoutbox] == [[owner.email]]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"due_on": in_days(-1).isoformat()}, "due_on", "cannot be in the past"),
        ({"title": "  "}, "title", "required"),
        ({"owner": ""}, "owner", "required"),
        ({"due_on": "not a date"}, "due_on", "valid date"),
        ({"priority": "9"}, "priority", "valid choice"),
    ],
)
def test_new_action_bad_input_is_shown_on_the_field_and_stores_nothing(
    client_as, cx_lead, observation, owner, store_a, overrides, field, message
):
    response = client_as(cx_lead).post(
        url("triage-new-action", observation.pk), new_action_data(owner, store_a, **overrides)
    )

    assert response.status_code == 400
    errors = response.context["new_form"].errors[field]
    assert any(message in error for error in errors)
    assert not Action.objects.exists()
    observation.refresh_from_db()
    assert observation.triage_state == Observation.TriageState.UNTRIAGED


def test_owner_outside_the_cx_leads_scope_is_refused(client_as, cx_lead, observation, store_a):
    outsider = factories.UserFactory(teams=[factories.TeamFactory()])

    response = client_as(cx_lead).post(
        url("triage-new-action", observation.pk), new_action_data(outsider, store_a)
    )

    assert response.status_code == 400
    assert response.context["new_form"].errors["owner"] == [
        "Choose someone in a team you look after."
    ]
    assert not Action.objects.exists()


def test_team_outside_the_cx_leads_scope_is_refused(client_as, cx_lead, observation, owner):
    response = client_as(cx_lead).post(
        url("triage-new-action", observation.pk), new_action_data(owner, factories.TeamFactory())
    )

    assert response.status_code == 400
    assert "team" in response.context["new_form"].errors


def test_no_action_without_a_reason_is_refused_on_the_field(client_as, cx_lead, observation):
    response = client_as(cx_lead).post(url("triage-no-action", observation.pk), {"reason": " "})

    assert response.status_code == 400
    assert response.context["no_action_form"].errors["reason"] == [
        "Give the reason no action will be taken."
    ]
    observation.refresh_from_db()
    assert observation.triage_state == Observation.TriageState.UNTRIAGED


def test_no_action_with_a_reason_is_recorded(client_as, cx_lead, observation):
    response = client_as(cx_lead).post(
        url("triage-no-action", observation.pk), {"reason": "A one-off: the key was lost."}
    )

    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.triage_state == Observation.TriageState.NO_ACTION


def test_duplicate_of_an_observation_outside_scope_is_refused(client_as, cx_lead, observation):
    elsewhere = factories.ObservationFactory(touchpoint=observation.touchpoint)

    response = client_as(cx_lead).post(
        url("triage-duplicate", observation.pk), {"original": elsewhere.pk}
    )

    assert response.status_code == 400
    assert "original" in response.context["duplicate_form"].errors


def test_duplicate_within_scope_is_recorded(client_as, cx_lead, observation, session_a):
    original = factories.ObservationFactory(session=session_a)

    response = client_as(cx_lead).post(
        url("triage-duplicate", observation.pk), {"original": original.pk}
    )

    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.duplicate_of == original


def test_link_to_an_action_outside_scope_is_refused(client_as, cx_lead, observation):
    foreign = factories.ActionFactory()

    response = client_as(cx_lead).post(url("triage-link", observation.pk), {"action": foreign.pk})

    assert response.status_code == 400
    assert "action" in response.context["link_form"].errors


def test_triaging_an_observation_someone_else_just_decided_says_so(client_as, cx_lead, observation):
    from insights import triage

    triage.decide_no_action(observation, by=cx_lead, reason="Already decided.")

    response = client_as(cx_lead).post(url("triage-no-action", observation.pk), {"reason": "x"})

    assert response.status_code == 409
    assert b"already triaged" in response.content


# --- action forms ---------------------------------------------------------------


def test_complete_without_evidence_is_refused_on_the_field(client_as, action, owner):
    in_progress(action, owner)

    response = client_as(owner).post(
        url("action-complete", action.pk), {"version": action.version, "note": ""}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["note"] == ["Say what was done: evidence is required."]
    assert Action.objects.get(pk=action.pk).status == Action.Status.IN_PROGRESS


@pytest.mark.parametrize("name", ["action-drop", "action-reopen"])
def test_empty_reason_is_refused_on_the_field(client_as, action, owner, cx_lead, name):
    if name == "action-reopen":
        done(action, owner)
    prefix = name.split("-")[1]
    version = Action.objects.get(pk=action.pk).version

    response = client_as(cx_lead).post(
        url(name, action.pk), {f"{prefix}-version": version, f"{prefix}-reason": "  "}
    )

    assert response.status_code == 400
    assert response.context[f"{prefix}_form"].errors["reason"] == ["Give the reason."]


def test_a_form_posted_against_an_older_version_is_refused_saying_what_changed(
    client_as, action, owner, cx_lead
):
    shown_version = action.version
    action.start(by=owner)

    response = client_as(cx_lead).post(
        url("action-drop", action.pk), {"drop-version": shown_version, "drop-reason": "Not needed."}
    )

    assert response.status_code == 409
    assert "changed the status from Open to In progress" in response.content.decode()
    assert Action.objects.get(pk=action.pk).status == Action.Status.IN_PROGRESS


def test_a_forbidden_transition_from_the_page_says_why(client_as, action, cx_lead):
    response = client_as(cx_lead).post(url("action-verify", action.pk), {"version": 1})

    assert response.status_code == 409
    assert "This action is open, so it cannot be verified." in response.content.decode()


def test_missing_version_is_refused(client_as, action, owner):
    response = client_as(owner).post(url("action-start", action.pk), {})

    assert response.status_code == 400
    assert Action.objects.get(pk=action.pk).status == Action.Status.OPEN


def test_edit_writes_one_event_per_kind_of_change(client_as, action, cx_lead, store_a):
    new_owner = factories.UserFactory(teams=[store_a])
    data = {
        "version": action.version, "title": action.title, "description": action.description,
        "owner": new_owner.pk, "team": store_a.pk, "due_on": in_days(20).isoformat(),
        "priority": Action.Priority.URGENT, "you_said": "", "we_did": "", "note": "",
    }  # fmt: skip

    response = client_as(cx_lead).post(url("action-edit", action.pk), data)

    assert response.status_code == 302
    kinds = set(action.events.values_list("kind", flat=True))
    assert {ActionEvent.Kind.ASSIGNED, ActionEvent.Kind.DUE_CHANGED} <= kinds
    assert ActionEvent.Kind.PRIORITY_CHANGED in kinds


def test_edit_refuses_publishing_without_wording(client_as, action, cx_lead, store_a, owner):
    data = {
        "version": action.version, "title": action.title, "description": "",
        "owner": owner.pk, "team": store_a.pk, "due_on": action.due_on.isoformat(),
        "priority": action.priority, "you_said": "It was locked", "we_did": "",
        "is_published": "on",
    }  # fmt: skip

    response = client_as(cx_lead).post(url("action-edit", action.pk), data)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["we_did"] == ["Write \u201cwe did\u201d before publishing."]
    assert action.events.count() == 1


def test_edit_keeps_an_overdue_due_date_that_is_not_changed(client_as, cx_lead, owner, store_a):
    overdue = factories.ActionFactory(owner=owner, team=store_a, due_on=in_days(-3))
    data = {
        "version": overdue.version, "title": "New title", "description": "", "owner": owner.pk,
        "team": store_a.pk, "due_on": overdue.due_on.isoformat(), "priority": overdue.priority,
        "you_said": "", "we_did": "",
    }  # fmt: skip

    response = client_as(cx_lead).post(url("action-edit", overdue.pk), data)

    assert response.status_code == 302
    assert Action.objects.get(pk=overdue.pk).title == "New title"


def test_comment_from_my_actions_returns_there(client_as, action, owner):
    response = client_as(owner).post(
        url("action-comment", action.pk),
        {"text": "Called the rota manager.", "next": url("my-actions")},
    )

    assert response.status_code == 302
    assert response.url == url("my-actions")


def test_comment_cannot_redirect_off_site(client_as, action, owner):
    response = client_as(owner).post(
        url("action-comment", action.pk), {"text": "x", "next": "https://evil.example/"}
    )

    assert response.url == url("action-detail", action.pk)


def test_empty_comment_is_refused(client_as, action, owner):
    response = client_as(owner).post(url("action-comment", action.pk), {"text": ""})

    assert response.status_code == 400
    assert action.events.count() == 1


def test_reminder_setting_can_be_turned_off(client_as, owner):
    response = client_as(owner).post(url("notification-settings"), {})

    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.reminder_emails is False


def test_my_actions_lists_only_my_unfinished_actions_soonest_first(client_as, owner, store_a):
    later = factories.ActionFactory(owner=owner, team=store_a, due_on=in_days(9))
    sooner = factories.ActionFactory(owner=owner, team=store_a, due_on=in_days(-2))
    factories.ActionFactory(team=store_a, due_on=in_days(1))  # someone else's

    response = client_as(owner).get(url("my-actions"))

    assert list(response.context["actions"]) == [sooner, later]
    assert b"Overdue 2 days" in response.content


def test_action_list_filters_by_team_with_its_sub_teams(
    client_as, cx_lead, region, store_a, store_b
):
    in_a = factories.ActionFactory(team=store_a)
    factories.ActionFactory(team=store_b)

    by_region = client_as(cx_lead).get(url("action-list"), {"team": region.pk})
    by_store = client_as(cx_lead).get(url("action-list"), {"team": store_a.pk})

    assert by_region.context["page"].paginator.count == 2
    assert list(by_store.context["page"].object_list) == [in_a]


def test_action_list_filters_overdue_status_touchpoint_and_session_type(
    client_as, cx_lead, store_a, session_a
):
    late = factories.ActionFactory(team=store_a, due_on=in_days(-1))
    on_time = factories.ActionFactory(team=store_a)
    on_time.observations.add(factories.ObservationFactory(session=session_a, touchpoint="website"))
    client = client_as(cx_lead)

    assert list(client.get(url("action-list"), {"overdue": "on"}).context["page"]) == [late]
    assert list(client.get(url("action-list"), {"touchpoint": "website"}).context["page"]) == [
        on_time
    ]
    by_type = client.get(url("action-list"), {"session_type": session_a.session_type_id})
    assert list(by_type.context["page"]) == [on_time]
    assert client.get(url("action-list"), {"status": "done"}).context["page"].paginator.count == 0


def test_action_list_bad_filter_is_a_400_with_the_message(client_as, cx_lead):
    response = client_as(cx_lead).get(url("action-list"), {"priority": "99"})

    assert response.status_code == 400
    assert "priority" in response.context["filter"].form.errors


def test_action_list_filters_by_due_and_raised_dates_and_publication(client_as, cx_lead, store_a):
    soon = factories.ActionFactory(team=store_a, due_on=in_days(2))
    later = factories.ActionFactory(team=store_a, due_on=in_days(30))
    shown = factories.ActionFactory(
        team=store_a, you_said="Too dark", we_did="New lights", is_published=True
    )
    client = client_as(cx_lead)
    today = in_days(0).isoformat()

    due = client.get(url("action-list"), {"due_after": today, "due_before": in_days(3).isoformat()})
    raised = client.get(url("action-list"), {"created_after": today, "created_before": today})
    published = client.get(url("action-list"), {"published": "1"})

    assert list(due.context["page"]) == [soon]
    assert raised.context["page"].paginator.count == 3
    assert list(published.context["page"]) == [shown]
    assert later not in list(due.context["page"])


def test_cx_lead_home_shows_what_waits_for_them(client_as, cx_lead, owner, store_a, session_a):
    factories.ObservationFactory.create_batch(2, session=session_a)
    factories.ActionFactory(team=store_a, due_on=in_days(-1))
    done(factories.ActionFactory(owner=owner, team=store_a), owner)

    response = client_as(cx_lead).get("/")

    summary = response.context
    assert (summary["untriaged"], summary["overdue"], summary["to_verify"]) == (2, 1, 1)
    assert b"Open the triage queue" in response.content


def test_owner_without_a_role_sees_observations_without_links_they_could_not_follow(
    client_as, action, owner, observation
):
    response = client_as(owner).get(url("action-detail", action.pk))

    assert observation.what_happened[:40].encode() in response.content
    assert url("triage-observation", observation.pk).encode() not in response.content


def test_edit_against_an_older_version_is_refused_saying_what_changed(
    client_as, action, owner, cx_lead, store_a
):
    shown = action.version
    action.start(by=owner)
    data = {
        "version": shown, "title": "Renamed", "description": "", "owner": owner.pk,
        "team": store_a.pk, "due_on": action.due_on.isoformat(), "priority": action.priority,
        "you_said": "", "we_did": "",
    }  # fmt: skip

    response = client_as(cx_lead).post(url("action-edit", action.pk), data)

    assert response.status_code == 409
    assert "changed the status from Open to In progress" in response.content.decode()
    assert Action.objects.get(pk=action.pk).title != "Renamed"
