"""Single sign-on through a real OpenID Connect provider (django-oauth-toolkit, its own process)."""

import pytest
from django.contrib.auth.models import Group

from immersion.models import Role, User
from tests import factories
from tests.sso.conftest import ProviderBrowser, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams(db):
    north = factories.RegionFactory(name="SSO North")
    return {"north": north, "store": factories.TeamFactory(name="SSO Store 1", parent=north)}


def test_a_first_sign_in_creates_the_user_with_the_team_and_role_the_claims_give(
    client, sign_in_at_provider, teams
):
    answer = sign_in_at_provider(client, "lena")

    assert answer.status_code == 302
    lena = User.objects.get(email="lena@example.org")
    assert (lena.first_name, lena.last_name) == ("Lena", "Okafor")
    assert lena.primary_role == Role.CX_LEAD
    assert list(lena.teams.all()) == [teams["north"]]
    assert not lena.has_usable_password()
    assert client.get("/").wsgi_request.user == lena


def test_an_existing_user_is_matched_by_e_mail_whatever_its_case(
    client, sign_in_at_provider, teams
):
    tom = factories.UserFactory(username="tom.r", email="tom.existing@example.org")

    sign_in_at_provider(client, "tom")

    assert User.objects.filter(email__iexact="tom.existing@example.org").count() == 1
    tom.refresh_from_db()
    assert tom.primary_role == Role.MANAGER
    assert list(tom.teams.all()) == [teams["store"]]


def test_a_later_sign_in_takes_away_a_role_and_team_the_claims_no_longer_give(
    client, sign_in_at_provider, teams
):
    tom = factories.ManagerFactory(email="tom.existing@example.org", teams=[teams["north"]])
    tom.groups.add(Group.objects.get(name=Role.EXECUTIVE.label))

    sign_in_at_provider(client, "tom")

    assert set(tom.groups.values_list("name", flat=True)) == {Role.MANAGER.label}
    assert list(tom.teams.all()) == [teams["store"]]


def test_claim_values_nobody_mapped_give_no_role_and_no_team(client, sign_in_at_provider, teams):
    sign_in_at_provider(client, "una")

    una = User.objects.get(email="una@example.org")
    assert una.primary_role is None
    assert not una.teams.exists()


def test_an_unverified_e_mail_does_not_sign_in(client, sign_in_at_provider):
    answer = sign_in_at_provider(client, "vic")

    assert answer["Location"] == "/accounts/login/"
    assert not User.objects.filter(email="vic@example.org").exists()
    assert not client.get("/accounts/login/").wsgi_request.user.is_authenticated


def test_a_callback_with_a_state_this_browser_never_sent_is_refused(client, sso_settings):
    browser = ProviderBrowser()
    browser.username = "lena"
    other_client = type(client)()
    start = other_client.get("/accounts/sso/start/")
    back = browser.follow(start["Location"])

    client.get("/accounts/sso/start/")
    answer = client.get(local(back))

    assert answer.status_code == 400
    assert not User.objects.filter(email="lena@example.org").exists()


def test_an_id_token_made_for_another_nonce_is_refused(client, sso_settings):
    browser = ProviderBrowser()
    browser.username = "lena"
    start = client.get("/accounts/sso/start/")
    session = client.session
    for sent in session["oidc_states"].values():
        sent["nonce"] = "not-the-nonce-the-provider-was-given"
    session.save()
    back = browser.follow(start["Location"])

    answer = client.get(local(back))

    assert answer.status_code == 400
    assert not User.objects.filter(email="lena@example.org").exists()


def test_signing_out_ends_the_session_at_the_provider_too(
    client, sign_in_at_provider, sso_settings, teams
):
    browser = ProviderBrowser()
    sign_in_at_provider(client, "lena", browser)

    answer = client.post("/accounts/logout/")

    assert answer["Location"].startswith(sso_settings.SSO_ISSUER)
    assert "id_token_hint=" in answer["Location"]
    assert browser.follow(answer["Location"]) == "http://testserver/accounts/login/"
    assert not client.get("/accounts/login/").wsgi_request.user.is_authenticated
    # The provider forgot the person too: starting again asks for their password.
    start = client.get("/accounts/sso/start/")
    again = browser.session.get(start["Location"], allow_redirects=False, timeout=10)
    assert again.headers["Location"].startswith("/accounts/login/")


def test_the_sign_in_page_offers_the_provider(client, sso_settings):
    page = client.get("/accounts/login/")

    assert "Sign in with Example Org" in page.content.decode()
    assert 'name="password"' in page.content.decode()


def test_with_password_sign_in_off_the_page_has_no_password_form(client, sso_settings):
    sso_settings.PASSWORD_SIGNIN = False

    page = client.get("/accounts/login/")

    assert 'name="password"' not in page.content.decode()
    assert "Sign in with Example Org" in page.content.decode()


def test_with_password_sign_in_off_a_right_password_is_refused(client, sso_settings):
    sso_settings.PASSWORD_SIGNIN = False
    factories.ManagerFactory(username="pat", password="a right password")

    answer = client.post("/accounts/login/", {"username": "pat", "password": "a right password"})

    assert answer.status_code == 403
    assert not answer.wsgi_request.user.is_authenticated


def test_with_password_sign_in_off_the_admin_refuses_a_right_password_too(client, sso_settings):
    sso_settings.PASSWORD_SIGNIN = False
    factories.UserFactory(username="root", password="a right password", is_staff=True)

    answer = client.post("/admin/login/", {"username": "root", "password": "a right password"})

    assert answer.status_code == 403
    assert not answer.wsgi_request.user.is_authenticated


def test_with_password_sign_in_on_the_admin_signs_staff_in(client, sso_settings):
    factories.UserFactory(username="root", password="a right password", is_staff=True)

    answer = client.post("/admin/login/", {"username": "root", "password": "a right password"})

    assert answer.status_code == 302
    assert answer.wsgi_request.user.is_authenticated


def test_a_provider_that_does_not_answer_gives_a_message_not_an_error(client, sso_settings):
    sso_settings.SSO_ISSUER = "http://127.0.0.1:9/o"

    answer = client.get("/accounts/sso/start/", follow=True)

    assert answer.redirect_chain[-1][0] == "/accounts/login/"
    assert "does not answer" in answer.content.decode()


def test_without_sso_configured_its_pages_are_not_found(client, settings):
    settings.SSO_ENABLED = False

    assert client.get("/accounts/sso/start/").status_code == 404
    assert client.get("/accounts/sso/callback/?code=x&state=y").status_code == 404
