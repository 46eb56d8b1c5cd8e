"""Personal access tokens: made and revoked on the account page, kept only as a digest."""

import hashlib

import pytest
from django.test import override_settings
from django.utils import timezone

from immersion.models import ApiToken

pytestmark = pytest.mark.django_db


def test_a_new_token_is_shown_once_and_stored_as_a_digest(client_as, owner):
    client = client_as(owner)

    response = client.post("/accounts/api-tokens/", {"name": "Report script", "lifetime": "30"})

    assert response.status_code == 201
    text = response.context["created"]
    token = ApiToken.objects.get(user=owner)
    secret = text.split("_", 2)[2]
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in token.lookup + token.digest
    assert token.expires_at > timezone.now() + timezone.timedelta(days=29)
    assert text not in client.get("/accounts/api-tokens/").content.decode()


def test_a_token_without_a_name_is_refused_and_nothing_stored(client_as, owner):
    response = client_as(owner).post("/accounts/api-tokens/", {"name": "  ", "lifetime": ""})

    assert response.status_code == 400
    assert "Give the token a name." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_token_opens_the_api_and_its_use_is_noted(api_as, owner):
    response = api_as(owner).get("/api/v1/actions/")

    assert response.status_code == 200
    assert ApiToken.objects.get(user=owner).last_used_at is not None


def test_a_revoked_token_is_refused(client_as, owner):
    token, text = ApiToken.issue(owner, "Old script")
    client_as(owner).post(f"/accounts/api-tokens/{token.pk}/revoke/")

    response = client_as(owner).get("/api/v1/actions/", HTTP_AUTHORIZATION=f"Bearer {text}")

    assert response.status_code == 401


def test_an_expired_token_is_refused(client, owner):
    _, text = ApiToken.issue(owner, "Old", expires_at=timezone.now() - timezone.timedelta(days=1))

    response = client.get("/api/v1/actions/", HTTP_AUTHORIZATION=f"Bearer {text}")

    assert response.status_code == 401


def test_a_wrong_secret_with_a_real_lookup_is_refused(client, owner):
    _, text = ApiToken.issue(owner, "Script")

    response = client.get("/api/v1/actions/", HTTP_AUTHORIZATION=f"Bearer {text[:-3]}xyz")

    assert response.status_code == 401


def test_nobody_revokes_another_persons_token(client_as, owner, manager):
    token, _ = ApiToken.issue(owner, "Script")

    response = client_as(manager).post(f"/accounts/api-tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_the_api_without_credentials_answers_401_not_a_sign_in_redirect(client):
    response = client.get("/api/v1/sessions/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_each_token_has_its_own_rate_limit(api_as, owner, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "2/minute"},
    }
    first, second = api_as(owner), api_as(owner)
    codes = [first.get("/api/v1/teams/").status_code for _ in range(3)]

    assert codes == [200, 200, 429]
    assert second.get("/api/v1/teams/").status_code == 200


def test_the_rate_limit_follows_the_setting_once_it_is_changed_back(api_as, owner, settings):
    strict = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "1/minute"}}
    with override_settings(REST_FRAMEWORK=strict):
        api_as(owner).get("/api/v1/teams/")
    client = api_as(owner)

    assert [client.get("/api/v1/teams/").status_code for _ in range(3)] == [200, 200, 200]


@pytest.mark.parametrize("who", ["manager", "other_manager", "cx_lead", "executive", "owner"])
@pytest.mark.parametrize("url", ["/accounts/api-tokens/", "/api/docs/"])
def test_every_role_has_its_token_page_and_the_reference(client_as, cast, who, url):
    assert client_as(cast[who]).get(url).status_code == 200


@pytest.mark.parametrize("url", ["/accounts/api-tokens/", "/api/docs/"])
def test_signed_out_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_token_page_is_not_cached(client_as, owner):
    response = client_as(owner).post("/accounts/api-tokens/", {"name": "Script"})

    assert response["Cache-Control"] == "no-store"
