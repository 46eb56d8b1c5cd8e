"""The action list grouped by theme: under each theme its actions, the unthemed last, a link to
all of a theme's actions when only the first are shown, in the same few queries however many."""

import pytest
from django.urls import reverse

from insights import action_groups
from tests import factories
from tests.insights.helpers import in_days

pytestmark = pytest.mark.django_db
LIST = reverse("insights:action-list")


@pytest.fixture
def themes():
    return {
        "signage": factories.ThemeFactory(name="Signage"),
        "waiting": factories.ThemeFactory(name="Waiting time"),
    }


def action(owner, team, *themes, **fields):
    made = factories.ActionFactory(owner=owner, team=team, **fields)
    made.themes.add(*themes)
    return made


def grouped(client):
    response = client.get(LIST, {"group": "theme"})
    assert response.status_code == 200
    return response.context["groups"]


def test_each_theme_holds_its_actions_and_one_with_two_themes_is_under_both(
    client_as, cx_lead, owner, store_a, themes
):
    both = action(owner, store_a, themes["signage"], themes["waiting"], title="Both")
    signs = action(owner, store_a, themes["signage"], title="Signs only")

    groups = grouped(client_as(cx_lead))

    assert [(g.theme.name, g.count, [a.pk for a in g.actions]) for g in groups] == [
        ("Signage", 2, [both.pk, signs.pk]),
        ("Waiting time", 1, [both.pk]),
    ]


def test_the_actions_without_a_theme_come_last(client_as, cx_lead, owner, store_a, themes):
    action(owner, store_a, themes["waiting"])
    bare = action(owner, store_a)

    groups = grouped(client_as(cx_lead))

    assert groups[-1].theme is None
    assert [a.pk for a in groups[-1].actions] == [bare.pk]
    assert "No theme" in client_as(cx_lead).get(LIST, {"group": "theme"}).text


def test_within_a_theme_the_soonest_due_comes_first(client_as, cx_lead, owner, store_a, themes):
    later = action(owner, store_a, themes["signage"], due_on=in_days(9))
    sooner = action(owner, store_a, themes["signage"], due_on=in_days(2))

    groups = grouped(client_as(cx_lead))

    assert [a.pk for a in groups[0].actions] == [sooner.pk, later.pk]


def test_a_theme_with_more_than_fit_links_to_all_of_them(
    client_as, cx_lead, owner, store_a, themes, monkeypatch
):
    monkeypatch.setattr(action_groups, "SHOWN_PER_GROUP", 2)
    for _ in range(3):
        action(owner, store_a, themes["signage"])
    client = client_as(cx_lead)

    group = grouped(client)[0]
    page = client.get(LIST + group.all_url)

    assert (group.count, len(group.actions)) == (3, 2)
    assert "All 3 under Signage" in client.get(LIST, {"group": "theme"}).text
    assert page.context["page"].paginator.count == 3


def test_the_link_to_the_unthemed_lists_only_them(client_as, cx_lead, owner, store_a, themes):
    action(owner, store_a, themes["signage"])
    bare = action(owner, store_a)

    response = client_as(cx_lead).get(LIST, {"theme": "null"})

    assert [a.pk for a in response.context["page"].object_list] == [bare.pk]


def test_grouping_keeps_to_the_users_reach_and_the_filters(
    client_as, manager, owner, store_a, store_b, themes
):
    mine = action(owner, store_a, themes["signage"], priority=3)
    action(owner, store_b, themes["signage"], priority=3)
    action(owner, store_a, themes["signage"], priority=1)

    response = client_as(manager).get(LIST, {"group": "theme", "priority": 3})

    assert [[a.pk for a in g.actions] for g in response.context["groups"]] == [[mine.pk]]


def test_an_unknown_grouping_is_a_400_with_the_reason(client_as, cx_lead):
    response = client_as(cx_lead).get(LIST, {"group": "owner"})

    assert response.status_code == 400
    assert "Select a valid choice." in response.text


def test_the_grouped_list_reads_the_same_however_many_actions_and_themes(
    client_as, cx_lead, owner, store_a, themes, django_assert_max_num_queries
):
    client = client_as(cx_lead)
    action(owner, store_a, themes["signage"])
    action(owner, store_a)
    with django_assert_max_num_queries(30) as few:
        client.get(LIST, {"group": "theme"})
    for n in range(6):
        action(owner, store_a, themes["waiting"], factories.ThemeFactory(name=f"Theme {n}"))
        action(owner, store_a)

    with django_assert_max_num_queries(len(few)):
        client.get(LIST, {"group": "theme"})
