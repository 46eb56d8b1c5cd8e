"""Role-by-URL matrix for the foundation's own pages.

Each row is (url, who, expected status): who is a member of the `cast` (manager,
other_manager, cx_lead, executive, owner, anonymous) or "staff". Apps keep the same
shape in their own folders for their URLs, adding the objects the URLs point at, so
every URL is checked against every role.
"""

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db

EVERYONE = ["manager", "other_manager", "cx_lead", "executive", "owner", "staff"]
SIGN_IN = 302
# The shared catalogue in the admin is for staff; the site's pages for it are in the
# scheduling matrix (tests/immersion/test_access_matrix.py).
CATALOGUE_ADMIN = ["/admin/immersion/sessiontype/", "/admin/immersion/persona/"]

MATRIX = [
    *[("/", who, 200) for who in EVERYONE],
    ("/", "anonymous", SIGN_IN),
    *[("/accounts/password_change/", who, 200) for who in EVERYONE],
    ("/accounts/password_change/", "anonymous", SIGN_IN),
    ("/admin/", "staff", 200),
    *[("/admin/", who, SIGN_IN) for who in EVERYONE if who != "staff"],
    ("/admin/", "anonymous", SIGN_IN),
    *[(url, "staff", 200) for url in CATALOGUE_ADMIN],
    *[(url, who, SIGN_IN) for url in CATALOGUE_ADMIN for who in EVERYONE if who != "staff"],
    *[(url, "anonymous", SIGN_IN) for url in CATALOGUE_ADMIN],
    *[("/health/", who, 200) for who in [*EVERYONE, "anonymous"]],
    ("/accounts/login/", "anonymous", 200),
    *[("/accounts/language/", who, 200) for who in EVERYONE],
    ("/accounts/language/", "anonymous", SIGN_IN),
    *[("/jsi18n/fr/", who, 200) for who in [*EVERYONE, "anonymous"]],
]


@pytest.fixture
def people(cast, staff):
    return {**cast, "staff": staff}


@pytest.mark.parametrize(("url", "who", "expected"), MATRIX)
def test_each_role_gets_what_it_may_have(client_as, people, url, who, expected):
    response = client_as(people[who]).get(url)

    assert response.status_code == expected
    if expected == SIGN_IN:
        assert urlsplit(response["Location"]).path in {"/accounts/login/", "/admin/login/"}


@pytest.mark.parametrize(
    ("who", "landing"),
    [
        ("manager", "Your sessions"),
        ("other_manager", "Your sessions"),
        ("cx_lead", "Triage every observation"),
        ("executive", "Promises kept"),
        ("owner", "Actions you own"),
        ("staff", "Actions you own"),
    ],
)
def test_home_is_the_landing_page_of_the_users_role(client_as, people, who, landing):
    response = client_as(people[who]).get("/")

    assert landing in response.content.decode()


def test_a_cx_lead_who_is_also_a_manager_lands_on_the_cx_lead_page(client_as, cx_lead):
    from tests.factories import add_role

    add_role(cx_lead, "manager")

    response = client_as(cx_lead).get("/")

    assert "Triage every observation" in response.content.decode()
