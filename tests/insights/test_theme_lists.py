"""Themes on the lists: the action list, the journal and both CSV exports show and filter by
them; the demo files its triaged observations and their actions under themes."""

import pytest
from django.urls import reverse

from insights.models import Theme
from tests import factories
from tests.insights.test_exports import read_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def signage():
    return factories.ThemeFactory(name="Signage")


@pytest.fixture
def themed_action(action, observation, signage):
    action.themes.add(signage)
    observation.themes.add(signage)
    return action


def test_the_action_list_filters_by_theme_and_shows_it(
    client_as, cx_lead, themed_action, owner, store_a
):
    factories.ActionFactory(owner=owner, team=store_a, title="Unthemed")
    theme = themed_action.themes.get()

    response = client_as(cx_lead).get(reverse("insights:action-list"), {"theme": theme.pk})

    assert [a.pk for a in response.context["page"].object_list] == [themed_action.pk]
    assert "Signage" in response.content.decode()


def test_an_unknown_theme_on_the_action_list_is_a_400(client_as, cx_lead):
    response = client_as(cx_lead).get(reverse("insights:action-list"), {"theme": "x"})

    assert response.status_code == 400


def test_the_actions_csv_carries_themes_and_filters_by_them(
    client_as, cx_lead, themed_action, owner, store_a
):
    factories.ActionFactory(owner=owner, team=store_a, title="Unthemed")
    themed_action.themes.add(factories.ThemeFactory(name="Waiting time"))
    theme = Theme.objects.get(name="Signage")

    rows = read_csv(client_as(cx_lead).get(reverse("insights:export-actions"), {"theme": theme.pk}))

    header, *body = rows
    assert [row[0] for row in body] == [str(themed_action.pk)]
    assert body[0][header.index("themes")] == "Signage; Waiting time"


def test_the_observations_csv_carries_themes_and_filters_by_them(
    client_as, cx_lead, themed_action, observation, session_a, signage
):
    factories.ObservationFactory(session=session_a)

    rows = read_csv(
        client_as(cx_lead).get(reverse("insights:export-observations"), {"theme": signage.pk})
    )

    header, *body = rows
    assert [row[0] for row in body] == [str(observation.pk)]
    assert body[0][header.index("themes")] == "Signage"


@pytest.mark.parametrize("name", ["insights:export-observations", "insights:export-actions"])
def test_an_unknown_theme_exports_nothing(client_as, cx_lead, name):
    response = client_as(cx_lead).get(reverse(name), {"theme": "999"})

    assert response.status_code == 400
    assert b"Nothing was exported" in response.content


def test_the_journal_filters_by_theme_and_shows_it(
    client_as, cx_lead, themed_action, observation, session_a, signage
):
    factories.ObservationFactory(session=session_a)

    response = client_as(cx_lead).get(reverse("journal:list"), {"theme": signage.pk})

    assert [o.pk for o in response.context["page"].object_list] == [observation.pk]
    assert "Signage" in response.content.decode()


def test_an_unknown_theme_on_the_journal_is_a_400(client_as, cx_lead):
    assert client_as(cx_lead).get(reverse("journal:list"), {"theme": "999"}).status_code == 400


def test_the_observation_page_shows_its_themes(client_as, cx_lead, observation, signage):
    observation.themes.add(signage)

    response = client_as(cx_lead).get(observation.get_absolute_url())

    assert "Signage" in response.content.decode()
