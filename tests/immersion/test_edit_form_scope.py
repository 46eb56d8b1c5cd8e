"""Changing a session or an action keeps what it holds from outside the editor's choices.

An edit form offers only the editor's scope and the active catalogue. Each test saves the
form as a browser would when the user changes nothing but the brief: only the values the
page offers come back, so anything the page could not show would be dropped.
"""

import pytest
from django import forms
from django.urls import reverse

from insights.forms import EditActionForm
from insights.models import Action
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def store_lead(store_a):
    return factories.CxLeadFactory(username="store_lead", teams=[store_a])


def browser_post(client, url, **changes):
    """GET the form, then POST back what the page offers, with `changes` typed in."""
    form = client.get(url).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.ModelMultipleChoiceField):
            offered = set(field.queryset.values_list("pk", flat=True))
            data[name] = [pk for pk in value or [] if int(pk) in offered]
        elif isinstance(field, forms.ModelChoiceField):
            offered = set(field.queryset.values_list("pk", flat=True))
            data[name] = value if value is not None and int(value) in offered else ""
        elif field.widget.format_value(value) is not None:
            data[name] = field.widget.format_value(value)
    data.update(changes)
    return client.post(url, data)


def edit_url(session):
    return reverse("immersion:session-edit", args=[session.pk])


def test_a_companion_from_another_store_stays_when_the_lead_edits(
    client_as, manager, other_manager, store_a
):
    session = factories.SessionFactory(lead=manager, team=store_a)
    session.companions.add(other_manager)

    response = browser_post(client_as(manager), edit_url(session), brief="Look at the queue.")

    assert response.status_code == 302
    assert list(session.companions.all()) == [other_manager]


def test_the_edit_page_names_the_companions_it_keeps(client_as, manager, other_manager, store_a):
    session = factories.SessionFactory(lead=manager, team=store_a)
    session.companions.add(other_manager)

    response = client_as(manager).get(edit_url(session))

    assert str(other_manager) in response.content.decode()


def test_a_programme_the_lead_cannot_see_stays_on_the_session(
    client_as, manager, cx_lead, store_a, store_b
):
    programme = factories.ProgrammeFactory(owner=cx_lead)
    programme.participant_teams.add(store_b)
    session = factories.SessionFactory(lead=manager, team=store_a, programme=programme)

    response = browser_post(client_as(manager), edit_url(session), brief="Look at the queue.")

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.programme == programme


def test_a_retired_persona_and_type_stay_on_the_session(client_as, manager, store_a):
    persona = factories.PersonaFactory(is_active=False)
    session_type = factories.SessionTypeFactory(is_active=False)
    session = factories.SessionFactory(
        lead=manager, team=store_a, persona=persona, session_type=session_type
    )

    response = browser_post(client_as(manager), edit_url(session), brief="Look at the queue.")

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.persona, session.session_type) == (persona, session_type)


def test_a_lead_and_team_outside_the_editors_scope_stay(
    client_as, store_lead, manager, other_manager, store_a, store_b
):
    led_elsewhere = factories.SessionFactory(lead=other_manager, team=store_a)
    away = factories.SessionFactory(lead=manager, team=store_b)

    first = browser_post(client_as(store_lead), edit_url(led_elsewhere), brief="Queue.")
    second = browser_post(client_as(manager), edit_url(away), brief="Queue.")

    assert (first.status_code, second.status_code) == (302, 302)
    led_elsewhere.refresh_from_db()
    away.refresh_from_db()
    assert (led_elsewhere.lead, away.team) == (other_manager, store_b)


def test_a_kept_value_cannot_be_chosen_for_another_session(
    client_as, manager, other_manager, store_a, store_b
):
    away = factories.SessionFactory(lead=manager, team=store_b)
    home = factories.SessionFactory(lead=manager, team=store_a)

    response = browser_post(client_as(manager), edit_url(home), team=str(away.team_id))

    assert response.status_code == 400
    assert response.context["form"].errors["team"]


def test_an_action_owner_outside_the_editors_scope_stays(
    client_as, store_lead, cx_lead, other_manager, store_a
):
    action = factories.ActionFactory(owner=other_manager, team=store_a, created_by=cx_lead)
    url = reverse("insights:action-edit", args=[action.pk])

    response = browser_post(client_as(store_lead), url, title="Clearer signs")

    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.owner) == ("Clearer signs", other_manager)


def test_an_action_owner_outside_scope_is_not_offered_for_other_actions(
    store_lead, other_manager, store_a
):
    action = factories.ActionFactory(team=store_a)

    form = EditActionForm(instance=Action.objects.get(pk=action.pk), user=store_lead)

    assert other_manager not in form.fields["owner"].queryset
