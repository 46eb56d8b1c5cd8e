"""Single sign-on's settings from the environment: half a configuration stops start-up."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from immersion.models import Role
from immersion.sso_settings import ROLE_VALUES, settings_from_environment

FULL = {
    "SSO_ISSUER": "https://id.example.org/",
    "SSO_CLIENT_ID": "tracker",
    "SSO_CLIENT_SECRET": "s",
}


@pytest.fixture
def environment(monkeypatch):
    for name in [*FULL, "SSO_ROLE_MAP", "PASSWORD_SIGNIN"]:
        monkeypatch.delenv(name, raising=False)

    def set_to(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_to


def test_without_an_issuer_sso_is_off_and_passwords_work(environment):
    assert settings_from_environment() == {"SSO_ENABLED": False, "PASSWORD_SIGNIN": True}


def test_an_issuer_without_its_client_secret_stops_start_up(environment):
    environment(SSO_ISSUER=FULL["SSO_ISSUER"], SSO_CLIENT_ID="tracker")

    with pytest.raises(ImproperlyConfigured, match="SSO_CLIENT_SECRET"):
        settings_from_environment()


def test_passwords_off_without_a_provider_stops_start_up(environment):
    environment(PASSWORD_SIGNIN="false")

    with pytest.raises(ImproperlyConfigured, match="nobody could sign in"):
        settings_from_environment()


def test_a_role_map_naming_an_unknown_role_stops_start_up(environment):
    environment(**FULL, SSO_ROLE_MAP="cx-leads=cx_lead,bosses=boss")

    with pytest.raises(ImproperlyConfigured, match="'bosses=boss'"):
        settings_from_environment()


def test_the_role_map_and_issuer_are_read(environment):
    environment(**FULL, SSO_ROLE_MAP="cx-leads=cx_lead, Store managers=manager")

    read = settings_from_environment()

    assert read["SSO_ISSUER"] == "https://id.example.org"
    assert read["SSO_ROLE_MAP"] == {"cx-leads": "cx_lead", "Store managers": "manager"}


def test_the_role_names_settings_know_are_the_roles_there_are():
    assert set(ROLE_VALUES) == {role.value for role in Role}
