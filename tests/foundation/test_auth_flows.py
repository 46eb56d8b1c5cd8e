import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a quieter shop floor at nine"


def test_signing_in_with_the_right_password_lands_on_home(client, manager):
    response = client.post(
        "/accounts/login/", {"username": "manager", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain == [("/", 302)]
    assert response.context["user"] == manager


def test_signing_in_goes_back_to_the_page_that_asked_for_it(client, manager):
    response = client.post(
        "/accounts/login/?next=/accounts/password_change/",
        {"username": "manager", "password": PASSWORD, "next": "/accounts/password_change/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_change/"


def test_a_wrong_password_is_refused_with_a_message_on_the_form(client, manager):
    response = client.post("/accounts/login/", {"username": "manager", "password": "wrong"})

    assert response.status_code == 200
    assert not response.context["user"].is_authenticated
    assert "correct username and password" in response.context["form"].non_field_errors()[0]
    assert b"correct username and password" in response.content


def test_an_empty_login_form_names_both_missing_fields(client, db):
    response = client.post("/accounts/login/", {})

    form = response.context["form"]
    assert response.status_code == 200
    assert set(form.errors) == {"username", "password"}


def test_signing_out_takes_a_post_and_says_so_on_the_sign_in_page(client_as, manager):
    client = client_as(manager)

    response = client.post("/accounts/logout/", follow=True)

    assert response.redirect_chain == [("/accounts/login/", 302)]
    assert not response.context["user"].is_authenticated
    assert b"You have signed out." in response.content
    assert client.get("/").status_code == 302


def test_signing_out_with_a_get_is_refused(client_as, manager):
    client = client_as(manager)

    response = client.get("/accounts/logout/")

    assert response.status_code == 405
    assert client.get("/").status_code == 200


def test_changing_the_password_needs_the_old_one_and_keeps_the_user_signed_in(client_as, manager):
    client = client_as(manager)

    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response["Location"] == "/accounts/password_change/done/"
    manager.refresh_from_db()
    assert manager.check_password(NEW_PASSWORD)
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"old_password": "wrong", "new_password1": NEW_PASSWORD}, "old_password"),
        ({"old_password": PASSWORD, "new_password1": "12345678"}, "new_password2"),
        ({"old_password": PASSWORD, "new_password1": "manager"}, "new_password2"),
    ],
    ids=["wrong-old-password", "numeric-password", "too-close-to-username"],
)
def test_a_bad_password_change_is_refused_on_the_field(client_as, manager, data, field):
    data = {**data, "new_password2": data["new_password1"]}

    response = client_as(manager).post("/accounts/password_change/", data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    manager.refresh_from_db()
    assert manager.check_password(PASSWORD)


def test_a_mismatched_new_password_is_refused(client_as, manager):
    response = client_as(manager).post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": "other"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"].as_data()[0].code == (
        "password_mismatch"
    )


def test_a_password_reset_mails_a_link_on_the_site_address(client, manager, settings):
    settings.SITE_URL = "https://tracker.example.com"

    response = client.post("/accounts/password_reset/", {"email": manager.email})

    assert response["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [manager.email]
    assert "Choose a new password for Immersion tracker" in message.subject
    assert re.search(r"https://tracker\.example\.com/accounts/reset/\S+/\S+/", message.body)


def test_a_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, db):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})

    assert response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []


def test_a_password_reset_with_a_malformed_address_is_refused_on_the_field(client, db):
    response = client.post("/accounts/password_reset/", {"email": "not an address"})

    assert response.status_code == 200
    assert "email" in response.context["form"].errors


def test_the_reset_link_sets_a_new_password_once(client, manager):
    client.post("/accounts/password_reset/", {"email": manager.email})
    link = re.search(r"https?://\S+?(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    set_password = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    reused = client.get(link, follow=True)

    assert form_page.context["validlink"] is True
    assert set_password["Location"] == "/accounts/reset/done/"
    manager.refresh_from_db()
    assert manager.check_password(NEW_PASSWORD)
    assert reused.context["validlink"] is False
    assert b"This link no longer works" in reused.content
