"""The single sign-on tests' provider: a real OpenID Connect provider in its own process.

provider               the running provider (issuer, client id and secret, people)
sso_settings           this site configured to sign in through it
sign_in_at_provider(client, username) -> the site's answer to the provider's callback
"""

import html
import json
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "provider password"
PEOPLE = {
    "lena": {
        "email": "lena@example.org",
        "email_verified": True,
        "given_name": "Lena",
        "family_name": "Okafor",
        "roles": ["cx-leads"],
        "teams": ["SSO North"],
    },
    "tom": {
        "email": "Tom.Existing@Example.org",
        "email_verified": True,
        "given_name": "Tom",
        "family_name": "Reyes",
        "roles": ["store-managers"],
        "teams": ["SSO Store 1"],
    },
    "una": {
        "email": "una@example.org",
        "email_verified": True,
        "roles": ["interns"],
        "teams": ["No such team"],
    },
    "vic": {"email": "vic@example.org", "email_verified": False, "roles": ["cx-leads"]},
}


@dataclass
class Provider:
    issuer: str
    client_id: str
    client_secret: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def provider(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("provider")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (workdir / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (workdir / "claims.json").write_text(json.dumps(PEOPLE))
    port = free_port()
    issuer = f"http://127.0.0.1:{port}/o"
    found = Provider(issuer=issuer, client_id="immersion-tests", client_secret="s3cret-for-tests")
    env = {
        "PATH": "/usr/bin:/bin",
        "PROVIDER_WORKDIR": str(workdir),
        "PROVIDER_ISSUER": issuer,
        "PROVIDER_PASSWORD": PASSWORD,
        "PROVIDER_CLIENT_ID": found.client_id,
        "PROVIDER_CLIENT_SECRET": found.client_secret,
        "PROVIDER_REDIRECT_URI": "http://testserver/accounts/sso/callback/",
        "PROVIDER_AFTER_SIGN_OUT_URI": "http://testserver/accounts/login/",
    }
    with open(workdir / "provider.log", "wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "tests.sso.provider.serve", str(port)],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2)
                break
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        "the test provider did not start:\n"
                        + (workdir / "provider.log").read_text()
                    )
                time.sleep(0.2)
        yield found
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def sso_settings(settings, provider):
    settings.SSO_ENABLED = True
    settings.SSO_ISSUER = provider.issuer
    settings.SSO_PROVIDER_NAME = "Example Org"
    settings.SSO_ROLE_CLAIM = "roles"
    settings.SSO_ROLE_MAP = {"cx-leads": "cx_lead", "store-managers": "manager"}
    settings.SSO_TEAM_CLAIM = "teams"
    settings.OIDC_RP_CLIENT_ID = provider.client_id
    settings.OIDC_RP_CLIENT_SECRET = provider.client_secret
    settings.OIDC_RP_SCOPES = "openid email profile"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_TIMEOUT = 10
    settings.OIDC_STORE_ID_TOKEN = True
    return settings


def local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


class ProviderBrowser:
    """The person's browser at the provider: it keeps the provider's cookies between sign-ins."""

    def __init__(self):
        self.session = requests.Session()

    def follow(self, url: str) -> str:
        """Follow the provider's redirects, signing in when asked; return where it sends us back."""
        while url.startswith("http://127.0.0.1"):
            answer = self.session.get(url, allow_redirects=False, timeout=10)
            if answer.status_code == 200 and 'name="allow"' in answer.text:
                answer = self.confirm_sign_out(url, answer.text)
            elif answer.status_code == 200 and "csrfmiddlewaretoken" in answer.text:
                answer = self.sign_in(url)
            assert answer.status_code in (301, 302), answer.text[:500]
            url = urljoin(url, answer.headers["Location"])
        return url

    def confirm_sign_out(self, url: str, page: str):
        """Say yes when the provider asks whether to end its own session too."""
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
        fields = {name: html.unescape(value) for name, value in fields.items()}
        return self.session.post(
            url,
            data={**fields, "allow": "true"},
            headers={"Referer": url},
            allow_redirects=False,
            timeout=10,
        )

    def sign_in(self, url: str):
        self.session.get(url, timeout=10)
        next_url = urlsplit(url).query.partition("next=")[2]
        return self.session.post(
            url,
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.session.cookies["csrftoken"],
                "next": requests.utils.unquote(next_url),
            },
            headers={"Referer": url},
            allow_redirects=False,
            timeout=10,
        )


@pytest.fixture
def sign_in_at_provider(sso_settings):
    def sign_in(client, username: str, browser: ProviderBrowser | None = None):
        browser = browser or ProviderBrowser()
        browser.username = username
        start = client.get("/accounts/sso/start/")
        assert start.status_code == 302, start.status_code
        back = browser.follow(start["Location"])
        return client.get(local(back))

    return sign_in
