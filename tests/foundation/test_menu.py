"""The menu reaches every page a role may use.

Every URL without a parameter is asked for as each member of the cast. Each page that
answers 200 with HTML is either in that person's menu (the top bar, the phone bar and
the account menu), or declared below as something one reaches from another page, which
the test then finds linked from a page of that person's menu.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from immersion import navigation
from immersion.models import Role

pytestmark = pytest.mark.django_db

PEOPLE = ["manager", "cx_lead", "executive", "owner", "staff"]

# Forms opened from the list they add to: they must be linked from a page in the menu.
OPENED_FROM_A_PAGE = {
    "/sessions/new/": "Plan a session, on Today, the home page and the schedule",
    "/programmes/new/": "on the programmes page",
    "/session-types/new/": "on the session types page",
    "/personas/new/": "on the session types page",
    "/insights/webhooks/new/": "on the webhooks page",
    "/insights/themes/new/": "on the themes page",
    "/insights/promises/new/": "on the promises page",
    "/api/docs/": "on the API tokens page",
}
# Steps of a flow that starts elsewhere, and the page for customers.
NOT_DESTINATIONS = {
    "/accounts/login/": "signing in, for people not signed in yet",
    "/admin/login/": "the admin's sign-in, reached from the admin",
    "/accounts/password_change/done/": "after changing a password",
    "/accounts/password_reset/": "from the sign-in page",
    "/accounts/password_reset/done/": "after asking for a reset",
    "/accounts/reset/done/": "after resetting",
    "/insights/you-said-we-did/": "the public page, for customers",
    "/insights/tell-us/": "the customers' report form, linked from the public page",
    "/insights/tell-us/status/": "where a customer's report stands, for customers",
}


def parameterless_paths(patterns=None, prefix="/"):
    """Every URL of the site that takes no parameter, the admin's inner pages aside."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = str(entry.pattern)
        if "<" in route or "(" in route:
            continue
        path = prefix + route.lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            if path != "/admin/":
                yield from parameterless_paths(entry.url_patterns, path)
            else:
                yield path
        elif isinstance(entry, URLPattern):
            yield path


@pytest.fixture
def people(cast, staff):
    return {**cast, "staff": staff}


def menu_links(html: str) -> set[str]:
    """The paths the header (top menu and account menu) and the phone bar link to."""
    header = re.search(r"<header.*?</header>", html, re.S).group(0)
    bar = re.search(r'<nav class="bottom-nav.*?</nav>', html, re.S)
    links = re.findall(r'href="([^"#?]+)', header + (bar.group(0) if bar else ""))
    return {link for link in links if link.startswith("/")}


def pages_answering(client) -> set[str]:
    pages = set()
    for path in set(parameterless_paths()):
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.add(path)
    return pages


@pytest.mark.parametrize("who", PEOPLE)
def test_each_page_a_role_may_use_is_in_its_menu(client_as, people, who):
    client = client_as(people[who])
    menu = menu_links(client.get("/").content.decode())

    usable = pages_answering(client) - set(OPENED_FROM_A_PAGE) - set(NOT_DESTINATIONS)

    assert usable - menu == set()


@pytest.mark.parametrize("who", PEOPLE)
def test_each_form_a_role_may_open_is_linked_from_a_page_of_its_menu(client_as, people, who):
    client = client_as(people[who])
    menu = menu_links(client.get("/").content.decode())
    linked = set()
    for page in menu:
        linked |= set(re.findall(r'href="([^"#?]+)', client.get(page).content.decode()))

    forms = pages_answering(client) & set(OPENED_FROM_A_PAGE)

    assert forms - linked == set()


@pytest.mark.parametrize("who", PEOPLE)
def test_nothing_in_a_roles_menu_is_refused_to_it(client_as, people, who):
    client = client_as(people[who])

    for path in menu_links(client.get("/").content.decode()):
        assert client.get(path).status_code == 200, path


def test_a_manager_finds_the_schedule_and_the_teams_actions(client_as, manager):
    menu = menu_links(client_as(manager).get("/").content.decode())

    assert {"/sessions/", "/insights/actions/"} <= menu


@pytest.mark.parametrize(
    ("who", "bar"),
    [
        ("manager", ["Home", "Today", "My actions", "Journal"]),
        ("cx_lead", ["Home", "Triage", "Actions", "Schedule"]),
        ("executive", ["Home", "Dashboard", "Actions", "Journal"]),
        ("owner", ["Home", "My actions"]),
    ],
)
def test_each_roles_phone_bar_holds_what_it_uses_most(people, who, bar):
    entries = navigation.items_for(people[who], "/")

    assert [entry["label"] for entry in navigation.split_for_phone(entries)[0]] == bar


def test_someone_with_two_roles_gets_each_entry_at_its_earliest_place(manager, monkeypatch):
    from tests.factories import add_role

    monkeypatch.setattr(navigation, "_items", {})
    navigation.register("Home", "home", None, order=0)
    navigation.register("Late for managers", "health", None, 10, order_for={Role.MANAGER: 90})
    navigation.register("Middle", "login", None, order=50)
    add_role(manager, "cx_lead")
    manager.__dict__.pop("roles", None)

    assert [e["label"] for e in navigation.items_for(manager)] == [
        "Home",
        "Late for managers",
        "Middle",
    ]


def test_account_entries_stay_out_of_the_main_menu(owner):
    main = [entry["url"] for entry in navigation.items_for(owner)]
    account = [entry["url"] for entry in navigation.items_for(owner, menu=navigation.ACCOUNT)]

    assert "/calendar/" in account
    assert "/calendar/" not in main
