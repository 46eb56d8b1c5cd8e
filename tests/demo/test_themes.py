"""The demo files its triaged observations and their actions under themes, once."""

import io
import random

import pytest

from insights import demo as insights_demo
from insights import demo_themes
from insights.models import Action, ActionTheme, ObservationTheme, ReVisit, Theme
from journal.models import Observation

pytestmark = pytest.mark.django_db


def test_the_demo_files_triaged_observations_and_their_actions_under_themes(demo):
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


def test_the_demo_adds_no_themes_on_a_second_run(demo):
    links = (ObservationTheme.objects.count(), ActionTheme.objects.count())

    demo_themes.seed(io.StringIO())

    assert (ObservationTheme.objects.count(), ActionTheme.objects.count()) == links


def test_a_demo_triaged_before_themes_gets_them_on_its_next_run(demo):
    ObservationTheme.objects.all().delete()
    ActionTheme.objects.all().delete()
    Theme.objects.all().delete()

    insights_demo.seed(io.StringIO(), random.Random(3))

    assert Theme.objects.count() == len(demo_themes.THEMES)
    assert not Action.objects.filter(themes__isnull=True).exists()
