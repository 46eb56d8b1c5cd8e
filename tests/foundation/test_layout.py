"""The base layout: language, skip link, navigation per role, messages, and the home page's cost."""

import re

import pytest
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import include, path

from immersion import navigation
from immersion.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def say_it_worked(request):
    messages.success(request, "Session saved.")
    messages.error(request, "The photo could not be read.")
    return render(request, "immersion/home_no_role.html")


def extra_place(request):
    return render(request, "immersion/home_no_role.html")


urlpatterns = [
    path("messages/", login_not_required(say_it_worked)),
    *[path(f"place-{n}/", extra_place, name=f"place-{n}") for n in range(7)],
    path("", include("immersion.urls")),
]


@pytest.fixture
def extra_places(monkeypatch, settings):
    """Six more menu entries: two for every role, four for CX leads only."""
    settings.ROOT_URLCONF = __name__
    monkeypatch.setattr(navigation, "_items", {})
    navigation.register("Home", "place-0", Role.values, order=0)
    navigation.register("Sessions", "place-1", Role.values, order=10)
    for n in range(2, 6):
        navigation.register(f"Lead place {n}", f"place-{n}", [Role.CX_LEAD], order=n * 10)
    navigation.register("Owners only", "place-6", [], order=99)


def phone_bar(html: str) -> str:
    return re.search(r'<nav class="bottom-nav[^>]*>(.*?)</nav>', html, re.S).group(1)


def test_pages_declare_their_language(client):
    html = client.get("/accounts/login/").content.decode()

    assert '<html lang="en-gb">' in html


def test_the_first_thing_a_keyboard_reaches_is_a_skip_link_to_the_content(client):
    html = client.get("/accounts/login/").content.decode()
    body = html[html.index("<body") :]

    first_link = re.search(r"<a\b[^>]*>", body).group(0)
    assert 'href="#main"' in first_link
    assert '<main id="main"' in html


def test_signed_out_visitors_get_no_menu(client):
    html = client.get("/accounts/login/").content.decode()

    assert "bottom-nav" not in html
    assert "Account menu" not in html


def test_a_manager_sees_the_entries_for_managers_only(client_as, manager, extra_places):
    html = client_as(manager).get("/place-1/").content.decode()

    bar = phone_bar(html)
    assert re.findall(r">([^<>]+)</a>", bar) == ["Home", "Sessions"]
    assert 'href="/place-1/" aria-current="page"' in bar
    assert "Lead place" not in html
    assert "More" not in bar


def test_more_than_five_entries_put_the_rest_under_more_on_phones(client_as, cx_lead, extra_places):
    html = client_as(cx_lead).get("/place-5/").content.decode()

    bar = phone_bar(html)
    top_level = re.findall(r'<li><a href="([^"]+)"', bar)
    more = re.search(r'<ul class="dropdown-menu[^"]*">(.*?)</ul>', bar, re.S).group(1)
    assert top_level == ["/place-0/", "/place-1/", "/place-2/", "/place-3/"]
    assert re.findall(r'href="([^"]+)"', more) == ["/place-4/", "/place-5/"]
    assert 'class="bottom-nav-more is-current"' in bar
    assert "Owners only" not in html


def test_a_deeper_page_marks_its_section_as_current(manager, extra_places):
    entries = navigation.items_for(manager, "/place-1/42/edit/")

    assert [(e["url"], e["current"]) for e in entries] == [
        ("/place-0/", False),
        ("/place-1/", True),
    ]


def test_home_is_current_only_on_the_home_page(manager):
    home = next(e for e in navigation.items_for(manager, "/accounts/") if e["url"] == "/")

    assert home["current"] is False


def test_staff_find_the_admin_in_the_account_menu(client_as, staff, manager):
    assert b'href="/admin/"' in client_as(staff).get("/").content
    assert b'href="/admin/"' not in client_as(manager).get("/").content


def test_messages_are_shown_in_a_status_region_with_their_level(client, extra_places):
    html = client.get("/messages/").content.decode()

    region = re.search(r'<div class="messages" role="status">(.*?)</main>', html, re.S).group(1)
    assert re.search(r"alert-success[^>]*>\s*Session saved\.", region)
    assert re.search(r"alert-danger[^>]*>\s*The photo could not be read\.", region)


def test_sign_out_is_a_form_post_with_a_csrf_token(client_as, manager):
    html = client_as(manager).get("/").content.decode()

    form = re.search(r'<form method="post" action="/accounts/logout/">(.*?)</form>', html, re.S)
    assert form is not None
    assert "csrfmiddlewaretoken" in form.group(1)


@pytest.mark.parametrize("teams", [1, 12], ids=["one-team", "twelve-teams"])
def test_home_costs_the_same_queries_whatever_the_data(
    client_as, region, teams, django_assert_num_queries
):
    stores = [factories.TeamFactory(parent=region) for _ in range(teams)]
    manager = factories.ManagerFactory(teams=stores)
    factories.ManagerFactory.create_batch(teams, teams=stores)
    client = client_as(manager)

    # 1. the signed-in user; 2. their groups, for the role, the home page and the menu;
    # 3. their sessions; 4. their open actions; 5. how many, and how many overdue.
    # The session comes from the cache.
    with django_assert_num_queries(5):
        response = client.get("/")

    assert response.status_code == 200


def test_an_entry_for_everyone_reaches_users_without_a_role(owner, monkeypatch):
    monkeypatch.setattr(navigation, "_items", {})
    navigation.register("Home", "home", None, order=0)
    navigation.register("Journal", "health", [Role.MANAGER], order=10)

    assert [e["label"] for e in navigation.items_for(owner)] == ["Home"]
