"""A manager whose phone speaks French runs a whole session in French, offline strings too."""

import pytest

from journal.models import Observation
from tests import factories
from tests.browser.conftest import PASSWORD, PHONE, assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def french_page(new_page):
    return new_page(**PHONE, locale="fr-FR")


def sign_in_in_french(page, user) -> None:
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Nom d’utilisateur").fill(user.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_manager_runs_a_session_in_french(french_page, manager, store_a):
    page = french_page
    session = factories.SessionFactory(team=store_a, lead=manager)
    sign_in_in_french(page, manager)

    page.goto("/today/")
    assert_accessible(page)
    page.get_by_role("button", name="Démarrer la session").click()
    page.get_by_role("link", name="Noter une observation").first.click()
    page.wait_for_selector("#capture-form[data-ready]")
    page.get_by_label("Signalétique").tap()
    page.get_by_label("Ravi").tap()
    assert page.locator("#kind-note").inner_text().startswith("Type : Satisfaction")
    page.get_by_label("Que s’est-il passé ?").fill("Un collègue a accompagné le client.")
    screenshot(page, "capture-french-phone")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer l’observation").tap()
    page.wait_for_url("**/capture/?saved=1&observation=*")

    assert page.get_by_text("Enregistrée, ajoutez-en une autre.").is_visible()
    page.locator("#sync-state-text", has_text="Tout est enregistré").wait_for()
    assert Observation.objects.get(session=session).kind == Observation.Kind.DELIGHT
    assert_accessible(page)


def test_the_outbox_page_speaks_french(french_page, manager):
    page = french_page
    sign_in_in_french(page, manager)

    page.goto("/journal/outbox/")

    page.get_by_text("Rien n’est en attente").wait_for()
    assert page.get_by_role("heading", name="En attente d’envoi").is_visible()
    assert_accessible(page)


def test_a_cx_lead_triages_in_french(new_page, manager, cx_lead, owner, store_a):
    session = factories.SessionFactory(team=store_a, lead=manager)
    first = factories.ObservationFactory(session=session, what_happened="La file était longue.")
    factories.ObservationFactory(session=session, what_happened="Personne à l’accueil.")
    factories.ActionFactory(title="Ouvrir une deuxième caisse", owner=owner, team=store_a)
    page = new_page(1366, 900, locale="fr-FR")
    sign_in_in_french(page, cx_lead)

    page.goto("/insights/triage/")
    assert page.get_by_role("heading", name="Tri", exact=False).first.is_visible()
    assert "en attente" in page.locator(".triage-summary").inner_text()
    page.get_by_text("Filtrer et trier").click()
    screenshot(page, "triage-queue-french")
    assert_accessible(page)
    page.get_by_role("link", name=f"Trier n° {first.pk} :", exact=False).click()

    assert page.get_by_role("heading", name=f"Observation n° {first.pk}").is_visible()
    screenshot(page, "triage-observation-french")
    assert_accessible(page)
    page.keyboard.press("l")
    page.locator("select[name=action]").select_option(index=1)
    page.get_by_role("button", name="Lier", exact=True).click()

    assert page.get_by_text("Observation liée à « Ouvrir une deuxième caisse ».").is_visible()
    assert_accessible(page)


def test_an_action_owner_carries_an_action_out_in_french(new_page, owner, cx_lead, store_a):
    action = factories.ActionFactory(
        owner=owner, team=store_a, created_by=cx_lead, title="Baisser le lecteur de carte"
    )
    page = new_page(**PHONE, locale="fr-FR")
    sign_in_in_french(page, owner)

    page.goto("/insights/actions/mine/")
    assert page.get_by_role("heading", name="Mes actions").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Démarrer Baisser le lecteur de carte").click()
    page.get_by_role("link", name="Terminer avec une preuve", exact=False).click()
    page.get_by_label("Ce qui a été fait").fill("Le lecteur est maintenant à 90 cm.")
    screenshot(page, "action-complete-french-phone")
    assert_accessible(page)
    page.get_by_role("button", name="Marquer comme faite").click()
    page.wait_for_url(lambda url: "/complete/" not in url)

    assert page.get_by_text(
        "C’est fait. Merci : le responsable CX vérifiera la preuve."
    ).is_visible()
    assert page.get_by_role("heading", name="Historique").is_visible()
    assert_accessible(page)
    action.refresh_from_db()
    assert action.status == "done"
