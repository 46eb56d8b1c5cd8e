"""Time in status: on the action page, in the list and the export, worked out in SQL."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse

from insights.models import Action
from insights.timing import duration_label, time_in_status
from tests import factories
from tests.insights.helpers import EVIDENCE

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def at(days: float):
    return time_machine.travel(T0 + dt.timedelta(days=days), tick=False)


@pytest.fixture
def lived(owner, store_a, cx_lead):
    """Raised at T0, started a day later, done at 3, sent back at 4, done at 6, verified at 7."""
    with at(0):
        action = Action.create(
            by=cx_lead,
            title="Mend the ramp",
            owner=owner,
            team=store_a,
            due_on=dt.date(2026, 12, 1),
        )
    with at(1):
        action.start(by=owner)
    with at(3):
        action.complete(by=owner, note=EVIDENCE)
    with at(4):
        action.reopen(by=cx_lead, reason="The ramp is loose again.")
    with at(6):
        action.complete(by=owner, note=EVIDENCE)
    with at(7):
        action.verify(by=cx_lead)
    return action


def test_time_in_each_status_adds_up_every_spell_from_the_history(lived):
    spells = time_in_status(lived, lived.events.all(), now=T0 + dt.timedelta(days=30))

    assert [(s.status, s.spent.days, s.current) for s in spells] == [
        ("open", 1, False),
        ("in_progress", 4, False),
        ("done", 2, False),
        ("verified", 0, True),
    ]
    assert spells[-1].since == T0 + dt.timedelta(days=7)


def test_the_current_unfinished_status_counts_up_to_now(owner, store_a, cx_lead):
    with at(0):
        action = Action.create(
            by=cx_lead,
            title="Mend the ramp",
            owner=owner,
            team=store_a,
            due_on=dt.date(2026, 12, 1),
        )

    spells = time_in_status(action, action.events.all(), now=T0 + dt.timedelta(hours=5))

    assert [(s.status, s.spent, s.current) for s in spells] == [
        ("open", dt.timedelta(hours=5), True)
    ]


def test_the_action_page_shows_the_time_in_each_status(client_as, cx_lead, lived):
    with at(30):
        html = client_as(cx_lead).get(reverse("insights:action-detail", args=[lived.pk])).text

    assert "Open: 24 h" in html
    assert "In progress: 4 days" in html
    assert "Done: 2 days" in html
    assert "Verified: since 9 Nov 2026" in html


def test_times_to_start_done_and_verified_come_from_the_database(lived):
    annotated = Action.objects.with_status_times().get(pk=lived.pk)

    assert annotated.time_to_start == dt.timedelta(days=1)
    assert annotated.time_to_done == dt.timedelta(days=6)
    assert annotated.time_to_verified == dt.timedelta(days=7)


def test_an_action_not_yet_started_has_no_times(action):
    annotated = Action.objects.with_status_times().get(pk=action.pk)

    assert (annotated.time_to_start, annotated.time_to_done, annotated.time_to_verified) == (
        None, None, None,
    )  # fmt: skip


def test_the_action_list_carries_the_times(client_as, cx_lead, lived):
    with at(30):
        html = client_as(cx_lead).get(reverse("insights:action-list")).text

    assert '<th scope="col">To start</th>' in html
    assert "<td>24 h</td>" in html
    assert "<td>6 days</td>" in html
    assert "<td>7 days</td>" in html


def test_the_export_carries_the_times_in_hours(client_as, cx_lead, lived):
    response = client_as(cx_lead).get(reverse("insights:export-actions"))

    header, row = csv.reader(io.StringIO(b"".join(response.streaming_content).decode()))
    times = [row[header.index(f"hours_to_{what}")] for what in ("start", "done", "verified")]
    assert times == ["24.0", "144.0", "168.0"]


def lived_actions(size, owner, store_a, cx_lead):
    for _ in range(size):
        action = factories.ActionFactory(owner=owner, team=store_a, created_by=cx_lead)
        action.start(by=owner)
        action.complete(by=owner, note=EVIDENCE)
        action.verify(by=cx_lead)


@pytest.mark.parametrize("size", [1, 10])
def test_the_action_list_with_times_queries(
    client_as, cx_lead, owner, store_a, size, django_assert_num_queries
):
    lived_actions(size, owner, store_a, cx_lead)
    client = client_as(cx_lead)
    # user, groups, teams, subtree; the page count; the filter's owner, team, session type,
    # persona, programme and theme choices; one page of actions with owner, team and their
    # times; their themes
    with django_assert_num_queries(13):
        response = client.get(reverse("insights:action-list"), {"status": "verified"})
    assert response.context["page"].paginator.count == size


@pytest.mark.parametrize("size", [1, 10])
def test_the_export_with_times_queries(
    client_as, cx_lead, owner, store_a, size, django_assert_num_queries
):
    lived_actions(size, owner, store_a, cx_lead)
    client = client_as(cx_lead)
    # user, groups, teams, subtree; the actions with their times; their observations
    with django_assert_num_queries(6):
        response = client.get(reverse("insights:export-actions"))
        rows = b"".join(response.streaming_content).decode().splitlines()
    assert len(rows) == size + 1


@pytest.mark.parametrize(
    ("duration", "label"),
    [
        (dt.timedelta(minutes=40), "40 min"),
        (dt.timedelta(hours=5, minutes=59), "5 h"),
        (dt.timedelta(days=3, hours=4), "3 days 4 h"),
        (dt.timedelta(days=3), "3 days"),
        (dt.timedelta(days=12, hours=4), "12 days"),
        (None, ""),
    ],
)
def test_durations_read_as_people_say_them(duration, label):
    assert duration_label(duration) == label
