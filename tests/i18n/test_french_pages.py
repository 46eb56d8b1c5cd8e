"""The planning, follow-up and audit pages, and their e-mails, speak French to who chose it."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from immersion import tasks
from immersion.models import User
from tests import factories

pytestmark = pytest.mark.django_db


def in_french(*people):
    User.objects.filter(pk__in=[person.pk for person in people]).update(language="fr")


def test_the_schedule_speaks_french(client_as, cx_lead, manager, store_a):
    in_french(cx_lead)
    factories.SessionFactory(lead=manager, team=store_a)

    response = client_as(cx_lead).get("/sessions/?starts_from=2000-01-01")

    assert "Planifier des sessions" in response.text
    assert '<th scope="col">Responsable</th>' in response.text
    assert "1 session" in response.text


def test_the_programme_page_speaks_french(client_as, cx_lead, store_a):
    in_french(cx_lead)
    programme = factories.ProgrammeFactory(owner=cx_lead)
    programme.participant_teams.add(store_a)

    response = client_as(cx_lead).get(f"/programmes/{programme.pk}/")

    assert "Participation par équipe" in response.text
    assert "Objectif :" in response.text


def test_a_session_reminder_is_in_the_language_its_reader_chose(manager, store_a):
    in_french(manager)
    factories.SessionFactory(
        lead=manager, team=store_a, planned_start=timezone.now() + dt.timedelta(hours=20)
    )

    tasks.send_session_reminders()

    assert mail.outbox[0].subject.startswith("Demain : ")
    assert "Ouvrez la session sur votre téléphone" in mail.outbox[0].body


def test_the_action_list_speaks_french(client_as, cx_lead, manager, store_a):
    in_french(cx_lead)
    factories.ActionFactory(team=store_a, owner=manager)

    response = client_as(cx_lead).get("/insights/actions/")

    assert "Effacer les filtres" in response.text
    assert '<th scope="col">Porteur</th>' in response.text
    assert "1 action ·" in response.text


def test_webhooks_and_themes_speak_french(client_as, cx_lead):
    in_french(cx_lead)
    client = client_as(cx_lead)

    assert "Ajouter un webhook" in client.get("/insights/webhooks/").text
    assert "Nouveau thème" in client.get("/insights/themes/").text


def test_the_journal_speaks_french(client_as, cx_lead):
    in_french(cx_lead)

    response = client_as(cx_lead).get("/journal/")

    assert "Rechercher dans le journal" in response.text
    assert "Aucune observation ne correspond." in response.text


def test_a_password_reset_e_mail_is_in_the_language_of_the_account(client, manager):
    in_french(manager)

    client.post("/accounts/password_reset/", {"email": manager.email}, HTTP_ACCEPT_LANGUAGE="en")

    assert mail.outbox[0].subject.startswith("Choisissez un nouveau mot de passe pour ")
    assert "Si c’était vous" in mail.outbox[0].body
