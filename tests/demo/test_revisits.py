"""The demo shows re-visits answered both ways, and one due on a Leeds capture page."""

import pytest

from insights.models import ReVisit
from insights.revisit_prompts import RevisitPrompts

pytestmark = pytest.mark.django_db


def test_the_demo_has_revisits_answered_both_ways(demo):
    answered = ReVisit.objects.filter(answer__isnull=False)

    assert answered.filter(improved=True).exists()
    assert answered.filter(improved=False, answer__triage_state="untriaged").exists()


def test_the_demo_asks_a_revisit_in_an_upcoming_leeds_session(demo):
    due = ReVisit.objects.pending().filter(team__name="Leeds Briggate").latest("verified_at")
    session = (
        due.team.sessions.open()
        .filter(planned_start__gte=due.verified_at)
        .order_by("planned_start")
        .first()
    )

    assert due.team.name == "Leeds Briggate"
    assert str(due.pk) in [p.key for p in RevisitPrompts().prompts(session, session.lead)]
