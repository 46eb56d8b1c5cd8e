"""Every form answers bad input the same way.

A summary at the top lists each problem, each field's entry linking to the field; each
field in error carries aria-invalid="true" and aria-describedby naming its error text.
Every form of the site is posted with bad input here, as the person who may use it,
except the capture and observation pages, which have their own tests. The e-mail
settings hold a single checkbox: no input can be bad there.
"""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.html import escape
from django.utils.http import urlsafe_base64_encode

from insights.models import Action
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def objects(manager, owner, cx_lead, store_a):
    planned = factories.SessionFactory(lead=manager, team=store_a)
    running = factories.SessionFactory(lead=manager, team=store_a)
    running.start(by=manager)
    completed = factories.SessionFactory(lead=manager, team=store_a)
    completed.start(by=manager)
    completed.complete(by=manager, surprised_by="a", customer_feeling="b", would_change="c")
    observation = factories.ObservationFactory(session=running)
    action = Action.create(
        by=cx_lead,
        observations=[factories.ObservationFactory(session=running)],
        title="Keep a fitting room attendant on the floor",
        owner=owner,
        team=store_a,
        due_on=timezone.localdate(),
    )
    programme = factories.ProgrammeFactory(owner=cx_lead)
    return {
        "planned": planned.pk,
        "running": running.pk,
        "completed": completed.pk,
        "observation": observation.pk,
        "action": action.pk,
        "programme": programme.pk,
        "session_type": planned.session_type_id,
        "persona": factories.PersonaFactory().pk,
        "uid": urlsafe_base64_encode(force_bytes(owner.pk)),
        "token": default_token_generator.make_token(owner),
    }


# (name, who, method, url, data, the form in the context, the status it answers)
FORMS = [
    ("sign-in", None, "post", "/accounts/login/", {"username": "x"}, "form", 200),
    (
        "password-change",
        "manager",
        "post",
        "/accounts/password_change/",
        {"old_password": "wrong", "new_password1": "a", "new_password2": "b"},
        "form",
        200,
    ),
    ("password-reset", None, "post", "/accounts/password_reset/", {"email": "no"}, "form", 200),
    (
        "password-reset-confirm",
        None,
        "post",
        "/accounts/reset/{uid}/set-password/",
        {"new_password1": "one long password", "new_password2": "another long one"},
        "form",
        200,
    ),
    ("plan-session", "manager", "post", "/sessions/new/", {"place": "x"}, "form", 400),
    (
        "change-session",
        "manager",
        "post",
        "/sessions/{planned}/edit/",
        {"planned_start": "soon"},
        "form",
        400,
    ),
    ("complete-session", "manager", "post", "/sessions/{running}/complete/", {}, "form", 400),
    (
        "cancel-session",
        "manager",
        "post",
        "/sessions/{planned}/cancel/",
        {"reason": " "},
        "form",
        400,
    ),
    ("reopen-session", "cx_lead", "post", "/sessions/{completed}/reopen/", {}, "form", 400),
    ("new-programme", "cx_lead", "post", "/programmes/new/", {"name": ""}, "form", 400),
    (
        "change-programme",
        "cx_lead",
        "post",
        "/programmes/{programme}/edit/",
        {"name": ""},
        "form",
        400,
    ),
    ("new-session-type", "cx_lead", "post", "/session-types/new/", {"name": ""}, "form", 400),
    (
        "change-session-type",
        "cx_lead",
        "post",
        "/session-types/{session_type}/",
        {"name": "", "suggested_touchpoints": "nowhere"},
        "form",
        400,
    ),
    ("new-persona", "cx_lead", "post", "/personas/new/", {"name": ""}, "form", 400),
    ("change-persona", "cx_lead", "post", "/personas/{persona}/", {"name": ""}, "form", 400),
    (
        "schedule-filter",
        "cx_lead",
        "get",
        "/sessions/",
        {"starts_from": "someday"},
        "filter.form",
        200,
    ),
    (
        "triage-new-action",
        "cx_lead",
        "post",
        "/insights/triage/{observation}/new-action/",
        {"due_on": "not a date"},
        "new_form",
        400,
    ),
    (
        "triage-link",
        "cx_lead",
        "post",
        "/insights/triage/{observation}/link/",
        {"action": "0"},
        "link_form",
        400,
    ),
    (
        "triage-duplicate",
        "cx_lead",
        "post",
        "/insights/triage/{observation}/duplicate/",
        {},
        "duplicate_form",
        400,
    ),
    (
        "triage-no-action",
        "cx_lead",
        "post",
        "/insights/triage/{observation}/no-action/",
        {"reason": " "},
        "no_action_form",
        400,
    ),
    (
        "edit-action",
        "cx_lead",
        "post",
        "/insights/actions/{action}/edit/",
        {"version": "1", "title": ""},
        "form",
        400,
    ),
    (
        "complete-action",
        "owner",
        "post",
        "/insights/actions/{action}/complete/",
        {"version": "1", "note": ""},
        "form",
        400,
    ),
    (
        "drop-action",
        "cx_lead",
        "post",
        "/insights/actions/{action}/drop/",
        {"drop-version": "1", "drop-reason": " "},
        "drop_form",
        400,
    ),
    (
        "comment-on-action",
        "owner",
        "post",
        "/insights/actions/{action}/comment/",
        {"text": ""},
        "comment_form",
        400,
    ),
    ("start-action", "owner", "post", "/insights/actions/{action}/start/", {}, "start_form", 400),
    (
        "action-filter",
        "cx_lead",
        "get",
        "/insights/actions/",
        {"status": "lost"},
        "filter.form",
        400,
    ),
    (
        "dashboard-filter",
        "executive",
        "get",
        "/insights/dashboard/",
        {"period": "forever"},
        "form",
        400,
    ),
]


class Elements(HTMLParser):
    """Every element that has an id, with its attributes."""

    def __init__(self, html: str):
        super().__init__()
        self.by_id: dict[str, dict] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.by_id[attributes["id"]] = attributes


def form_in(context, path: str):
    head, *rest = path.split(".")
    value = context[head]
    for name in rest:
        value = getattr(value, name)
    return value


def summary_of(html: str) -> str:
    match = re.search(r'<div class="alert alert-danger error-summary".*?</ul>', html, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def error_text(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</div>', html, re.S)
    return match.group(1) if match else ""


@pytest.fixture
def posted(request, client_as, cast, objects):
    _, who, method, url, data, form_path, _ = request.param
    client = client_as(cast[who] if who else None)
    if url.startswith("/accounts/reset/"):
        # The reset view trades the token in the link for one kept in the session.
        client.get(f"/accounts/reset/{objects['uid']}/{objects['token']}/")
    response = getattr(client, method)(url.format(**objects), data)
    return response, form_in(response.context, form_path), request.param


@pytest.mark.parametrize("posted", FORMS, ids=[case[0] for case in FORMS], indirect=True)
def test_bad_input_answers_with_the_form_and_its_usual_status(posted):
    response, form, case = posted

    assert response.status_code == case[-1]
    assert form.errors


@pytest.mark.parametrize("posted", FORMS, ids=[case[0] for case in FORMS], indirect=True)
def test_the_summary_links_to_each_field_in_error(posted):
    response, form, _ = posted
    html = response.content.decode()
    elements = Elements(html)

    links = re.findall(r'href="#([^"]+)"', summary_of(html))
    fields = [field for field in form.visible_fields() if field.errors]
    assert len(links) == sum(len(field.errors) for field in fields)
    for target in links:
        assert target in elements.by_id


@pytest.mark.parametrize("posted", FORMS, ids=[case[0] for case in FORMS], indirect=True)
def test_each_field_in_error_is_marked_and_described_by_its_error(posted):
    response, form, _ = posted
    html = response.content.decode()
    elements = Elements(html)

    for target in set(re.findall(r'href="#([^"]+)"', summary_of(html))):
        field = elements.by_id[target]
        assert field.get("aria-invalid") == "true", target
        described = " ".join(
            error_text(html, described_id)
            for described_id in (field.get("aria-describedby") or "").split()
        )
        bound = next(f for f in form.visible_fields() if target.startswith(f.auto_id))
        for error in bound.errors:
            assert escape(error) in described, (target, error)


@pytest.mark.parametrize("posted", FORMS, ids=[case[0] for case in FORMS], indirect=True)
def test_the_summary_comes_once_before_the_fields_with_the_focus_script(posted):
    response, _, _ = posted
    html = response.content.decode()

    assert html.count('class="alert alert-danger error-summary"') == 1
    if 'aria-invalid="true"' in html:
        assert html.index("error-summary") < html.index('aria-invalid="true"')
    assert re.search(r'<script src="/static/js/forms\.js[^"]*" defer></script>', html)
    assert "<script>" not in html
