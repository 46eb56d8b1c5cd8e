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
