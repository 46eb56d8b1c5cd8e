"""Pages in the person's own language: their saved choice, else what their browser asks for."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from immersion.models import User
from tests import factories

pytestmark = pytest.mark.django_db

FRENCH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9"}


@pytest.fixture
def session(manager, store_a):
    # Midday, so the session planned an hour ahead is on Today whatever the clock says.
    with time_machine.travel(dt.datetime(2026, 6, 17, 11, tzinfo=dt.UTC), tick=False):
        yield factories.SessionFactory(team=store_a, lead=manager)


def test_the_sign_in_page_follows_a_french_browser():
    response = Client().get("/accounts/login/", **FRENCH_BROWSER)

    assert "Se connecter" in response.text
    assert response["Content-Language"] == "fr"


def test_a_browser_asking_for_no_language_of_ours_gets_english():
    response = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="de-DE")

    assert '<h1 class="h3 mb-3">Sign in</h1>' in response.text


def test_a_saved_choice_of_french_outranks_an_english_browser(client_as, manager, session):
    User.objects.filter(pk=manager.pk).update(language="fr")

    response = client_as(manager).get("/today/", HTTP_ACCEPT_LANGUAGE="en-GB")

    assert "Aujourd’hui" in response.text
    assert "Démarrer la session" in response.text


def test_without_a_saved_choice_the_browser_decides(client_as, manager, session):
    response = client_as(manager).get("/today/", **FRENCH_BROWSER)

    assert "Démarrer la session" in response.text


def test_choosing_french_on_the_language_page_saves_it(client_as, manager):
    client = client_as(manager)

    response = client.post("/accounts/language/", {"language": "fr"})

    assert response.status_code == 302
    assert User.objects.get(pk=manager.pk).language == "fr"
    assert "Votre langue est enregistrée." in client.get(response["Location"]).text


def test_choosing_the_browsers_language_clears_the_choice(client_as, manager):
    User.objects.filter(pk=manager.pk).update(language="fr")

    client_as(manager).post("/accounts/language/", {"language": ""})

    assert User.objects.get(pk=manager.pk).language == ""


def test_a_language_we_do_not_have_is_refused_with_the_reason(client_as, manager):
    response = client_as(manager).post("/accounts/language/", {"language": "de"})

    assert response.status_code == 400
    assert "Select a valid choice." in response.text
    assert User.objects.get(pk=manager.pk).language == ""


def test_the_language_page_reads_the_same_however_many_sessions(
    client_as, manager, store_a, django_assert_max_num_queries
):
    client = client_as(manager)
    factories.SessionFactory(team=store_a, lead=manager)
    with django_assert_max_num_queries(10) as few:
        client.get("/accounts/language/")
    factories.SessionFactory.create_batch(5, team=store_a, lead=manager)

    with django_assert_max_num_queries(len(few)):
        client.get("/accounts/language/")


def test_the_public_switch_remembers_the_visitors_language():
    client = Client()

    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/accounts/login/"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert "Se connecter" in client.get("/accounts/login/").text


def test_the_phone_apps_strings_come_in_the_language_of_their_address():
    french = Client().get("/jsi18n/fr/").text
    english = Client().get("/jsi18n/en-gb/").text

    assert "Tout est enregistr" in french
    assert "Tout est enregistr" not in english


def test_an_unknown_language_has_no_strings():
    assert Client().get("/jsi18n/xx/").status_code == 404


def test_the_session_state_messages_come_in_french(client_as, manager, session):
    User.objects.filter(pk=manager.pk).update(language="fr")
    client = client_as(manager)

    response = client.post(f"/sessions/{session.pk}/start/", follow=True)

    assert "Session démarrée. Prenez votre temps et regardez attentivement." in response.text


def test_capture_errors_come_in_french(client_as, manager, session):
    User.objects.filter(pk=manager.pk).update(language="fr")
    session.start(by=manager)

    response = client_as(manager).post(f"/journal/sessions/{session.pk}/capture/", {})

    assert response.status_code == 422
    assert "Choisissez où cela s’est passé." in response.text
    assert "Rien n’a été enregistré. Vérifiez :" in response.text


def test_a_customer_reads_the_public_page_in_french(db):
    response = Client().get("/insights/you-said-we-did/", **FRENCH_BROWSER)

    assert "Vous avez dit, nous avons fait" in response.text
    assert "Dites-nous que nous avons failli" in response.text
    assert "Problèmes de clients réglés en 30 jours" in response.text


def test_the_english_and_french_public_pages_are_cached_apart(db):
    Client().get("/insights/you-said-we-did/", **FRENCH_BROWSER)

    english = Client().get("/insights/you-said-we-did/", HTTP_ACCEPT_LANGUAGE="en-GB")

    assert "Customer problems put right within 30 days" in english.text


def test_a_customer_report_form_answers_in_french(store_a):
    response = Client().post("/insights/tell-us/", {"team": store_a.pk}, **FRENCH_BROWSER)

    assert response.status_code == 400
    assert "Dites-nous ce qui s’est passé." in response.text
