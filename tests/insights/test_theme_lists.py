"""Themes on the lists: the action list, the journal and both CSV exports show and filter by
them; the demo files its triaged observations and their actions under themes."""

import io
import random

import pytest
from django.urls import reverse

from immersion import demo as immersion_demo
from insights import demo, demo_themes
from insights.models import Action, ActionTheme, ObservationTheme, ReVisit, Theme
from journal.models import Observation
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


@pytest.fixture
def demo_loaded(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from journal import demo as journal_demo

    immersion_demo.seed(io.StringIO(), random.Random(1))
    journal_demo.seed(io.StringIO(), random.Random(1))
    demo.seed(io.StringIO(), random.Random(2))


def test_the_demo_files_triaged_observations_and_their_actions_under_themes(demo_loaded):
    # Customer reports come in on their own; the demo triages some of them without themes.
    staff = Observation.objects.filter(source=Observation.Source.STAFF)
    triaged = staff.exclude(triage_state=Observation.TriageState.UNTRIAGED)
    untriaged = staff.filter(triage_state=Observation.TriageState.UNTRIAGED)

    assert triaged.exists()
    assert untriaged.exists()
    assert Theme.objects.count() == len(demo_themes.THEMES)
    assert not triaged.filter(themes__isnull=True).exists()
    # Untriaged, but for the re-visit answers still negative: they carry their action's.
    answers = ReVisit.objects.filter(answer__isnull=False).values("answer")
    assert not untriaged.exclude(pk__in=answers).filter(themes__isnull=False).exists()
    assert not untriaged.filter(pk__in=answers, themes__isnull=True).exists()
    assert not Action.objects.filter(themes__isnull=True).exists()


def test_the_demo_adds_no_themes_on_a_second_run(demo_loaded):
    links = (ObservationTheme.objects.count(), ActionTheme.objects.count())

    demo_themes.seed(io.StringIO())

    assert (ObservationTheme.objects.count(), ActionTheme.objects.count()) == links


def test_a_demo_triaged_before_themes_gets_them_on_its_next_run(demo_loaded):
    ObservationTheme.objects.all().delete()
    ActionTheme.objects.all().delete()
    Theme.objects.all().delete()

    demo.seed(io.StringIO(), random.Random(3))

    assert Theme.objects.count() == len(demo_themes.THEMES)
    assert not Action.objects.filter(themes__isnull=True).exists()
