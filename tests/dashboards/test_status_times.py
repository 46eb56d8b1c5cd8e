"""The dashboard's medians of time to start, to done and to verified, by team."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from insights.models import Action
from tests.dashboards.conftest import NOW, PERIOD, at
from tests.insights.helpers import EVIDENCE

pytestmark = pytest.mark.django_db


def lived(team, owner, lead, raised, start_after, done_after=None, verified_after=None):
    with time_machine.travel(raised, tick=False):
        action = Action.create(
            by=lead, title="Mend the ramp", owner=owner, team=team, due_on=raised.date()
        )
    with time_machine.travel(raised + dt.timedelta(days=start_after), tick=False):
        action.start(by=owner)
    if done_after is not None:
        with time_machine.travel(raised + dt.timedelta(days=done_after), tick=False):
            action.complete(by=owner, note=EVIDENCE)
    if verified_after is not None:
        with time_machine.travel(raised + dt.timedelta(days=verified_after), tick=False):
            action.verify(by=lead)
    return action


def test_medians_by_team_from_raised_to_each_step(
    client_as, executive, cx_lead, owner, other_manager, store_a, store_b
):
    lived(store_a, owner, cx_lead, at(5, 11), start_after=1, done_after=4, verified_after=6)
    lived(store_a, owner, cx_lead, at(5, 18), start_after=3, done_after=8)
    lived(store_b, other_manager, cx_lead, at(5, 20), start_after=5)

    with time_machine.travel(NOW, tick=False):
        response = client_as(executive).get(reverse("insights:dashboard"), PERIOD)

    rows = {row["team"].name: row for row in response.context["status_times"]}
    assert (rows["Store A"]["to_start"], rows["Store A"]["to_done"]) == (2.0, 6.0)
    assert rows["Store A"]["to_verified"] == 6.0
    assert (rows["Store B"]["to_start"], rows["Store B"]["to_done"]) == (5.0, None)
    assert "How long actions take, per team" in response.text


def test_a_period_without_actions_says_so(client_as, executive, store_a):
    with time_machine.travel(NOW, tick=False):
        response = client_as(executive).get(reverse("insights:dashboard"), PERIOD)

    assert response.context["status_times"] == []
    assert "No actions raised in this period." in response.text


def test_time_to_start_counts_from_the_first_start_through_a_reopening(
    client_as, executive, cx_lead, owner, store_a
):
    action = lived(store_a, owner, cx_lead, at(5, 11), start_after=1, done_after=2)
    with time_machine.travel(at(5, 15), tick=False):
        action.reopen(by=cx_lead, reason="The ramp moves again.")

    timed = Action.objects.with_status_times().get(pk=action.pk)

    assert timed.time_to_start == dt.timedelta(days=1)
    assert timed.started_at == action.events.filter(new_value="in_progress").earliest("at").at
