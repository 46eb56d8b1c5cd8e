"""The first minute: each role's home shows their work, and signing in lands on it."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from immersion import home
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
MIDDAY = dt.datetime(2026, 6, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def midday(time_machine):
    """A fixed noon, so "today" and "tomorrow" never straddle midnight."""
    time_machine.move_to(MIDDAY, tick=False)


def session_at(manager, team, hours_from_now: float, **fields):
    start = timezone.now() + dt.timedelta(hours=hours_from_now)
    return factories.SessionFactory(
        lead=manager, team=team, planned_start=start, planned_end=start + dt.timedelta(hours=1),
        **fields,
    )  # fmt: skip


def action_due(owner, team, days_from_today: int, **fields):
    return factories.ActionFactory(
        owner=owner, team=team, due_on=timezone.localdate() + dt.timedelta(days_from_today),
        **fields,
    )  # fmt: skip


def html_of(client, url="/") -> str:
    return client.get(url).content.decode()


# The manager's home.


def test_a_manager_sees_the_session_under_way_first_with_continue_to_capture(
    client_as, manager, store_a, midday
):
    session_at(manager, store_a, 2)
    running = session_at(manager, store_a, -0.5)
    running.start(by=manager)

    html = html_of(client_as(manager))

    sessions = html[html.index('id="h-home-sessions"') :]
    capture = reverse("journal:capture", kwargs={"session_id": running.pk})
    assert sessions.index(capture) < sessions.index("Planned")
    assert re.search(rf'href="{capture}">Continue', sessions)


def test_a_manager_can_start_todays_session_from_home(client_as, manager, store_a, midday):
    today = session_at(manager, store_a, 1)

    html = html_of(client_as(manager))

    assert f'action="{reverse("immersion:session-start", args=[today.pk])}"' in html


def test_a_session_on_a_later_day_is_listed_but_not_startable_yet(
    client_as, manager, store_a, midday
):
    later = session_at(manager, store_a, 48)

    html = html_of(client_as(manager))

    assert reverse("immersion:session-detail", args=[later.pk]) in html
    assert reverse("immersion:session-start", args=[later.pk]) not in html


def test_finished_and_other_peoples_sessions_stay_off_the_home(
    client_as, manager, other_manager, store_a, store_b, midday
):
    cancelled = session_at(manager, store_a, 3)
    cancelled.cancel(by=manager, reason="Refit.")
    theirs = session_at(other_manager, store_b, 3)

    html = html_of(client_as(manager))

    for session in (cancelled, theirs):
        assert reverse("immersion:session-detail", args=[session.pk]) not in html


def test_a_manager_sees_their_open_actions_the_overdue_first(client_as, manager, store_a, midday):
    soon = action_due(manager, store_a, 3, title="Soon")
    late = action_due(manager, store_a, -2, title="Late")
    done = action_due(manager, store_a, -5, title="Finished already")
    done.start(by=manager)
    done.complete(by=manager, note="Fixed.")

    html = html_of(client_as(manager))

    actions = html[html.index('id="h-home-actions"') :]
    assert actions.index(reverse("insights:action-detail", args=[late.pk])) < actions.index(
        reverse("insights:action-detail", args=[soon.pk])
    )
    assert "Overdue 2 days" in actions
    assert "2 open, 1 overdue" in actions
    assert "Finished already" not in html


def test_more_actions_than_the_home_shows_lead_to_all_of_them(client_as, manager, store_a):
    for _ in range(10):
        action_due(manager, store_a, 5)

    html = html_of(client_as(manager))

    assert "See all 10 of my actions" in html


# The action owner's home.


def test_an_action_owner_sees_their_actions_with_links(client_as, owner, store_a, midday):
    mine = action_due(owner, store_a, -1, title="Repaint the ramp edge")
    action_due(factories.UserFactory(), store_a, 1, title="Someone else's")

    html = html_of(client_as(owner))

    assert f'href="{reverse("insights:action-detail", args=[mine.pk])}"' in html
    assert "Overdue 1 day" in html
    assert "Someone else&#x27;s" not in html
    assert "it lands here" not in html


def test_an_action_owner_with_nothing_open_is_told_so(client_as, owner):
    assert "You own no open actions" in html_of(client_as(owner))


def test_other_homes_carry_only_their_own_panels(client_as, cx_lead, executive, store_a):
    action_due(cx_lead, store_a, 1, title="The lead's own")

    for user in (cx_lead, executive):
        html = html_of(client_as(user))
        assert 'id="h-home-sessions"' not in html
        assert 'id="h-home-actions"' not in html


# What the home costs.


def populate(manager, team, count: int) -> None:
    for n in range(count):
        session_at(manager, team, 1 + n * 20)
        action_due(manager, team, n - count // 2)
    running = session_at(manager, team, -0.5)
    running.start(by=manager)


@pytest.mark.parametrize("count", [1, 12], ids=["a-few", "many"])
def test_the_managers_home_costs_the_same_queries_whatever_the_data(
    client_as, manager, store_a, count, django_assert_num_queries
):
    populate(manager, store_a, count)
    client = client_as(manager)

    # 1. the signed-in user; 2. their groups; 3. their sessions with type, team and persona;
    # 4. their first open actions with teams; 5. how many open, how many overdue.
    with django_assert_num_queries(5):
        response = client.get("/")

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 12], ids=["a-few", "many"])
def test_the_owners_home_costs_the_same_queries_whatever_the_data(
    client_as, owner, store_a, count, django_assert_num_queries
):
    for n in range(count):
        action_due(owner, store_a, n - count // 2)
    client = client_as(owner)

    # 1. the signed-in user; 2. their groups; 3. their first open actions; 4. the counts.
    with django_assert_num_queries(4):
        response = client.get("/")

    assert response.status_code == 200


# Where signing in lands.


def sign_in(client, user, next_url: str | None = None):
    data = {"username": user.username, "password": PASSWORD}
    url = "/accounts/login/"
    if next_url:
        data["next"] = next_url
    return client.post(url, data)


def test_a_manager_with_a_session_under_way_lands_on_it(client, manager, store_a):
    running = session_at(manager, store_a, -0.5)
    running.start(by=manager)

    response = sign_in(client, manager)

    assert response["Location"] == reverse("immersion:session-detail", args=[running.pk])


def test_a_manager_with_nothing_under_way_lands_on_home(client, manager, store_a):
    session_at(manager, store_a, 2)

    assert sign_in(client, manager)["Location"] == "/"


def test_a_cx_lead_lands_on_triage_when_observations_wait(client, cx_lead, manager, store_a):
    factories.ObservationFactory(session=session_at(manager, store_a, -0.5))

    assert sign_in(client, cx_lead)["Location"] == reverse("insights:triage-queue")


def test_a_cx_lead_with_nothing_to_triage_lands_on_home(client, cx_lead):
    assert sign_in(client, cx_lead)["Location"] == "/"


def test_an_executive_lands_on_the_dashboard(client, executive):
    assert sign_in(client, executive)["Location"] == reverse("insights:dashboard")


def test_an_action_owner_lands_on_their_actions(client, owner):
    assert sign_in(client, owner)["Location"] == reverse("insights:my-actions")


@pytest.mark.parametrize("who", ["manager", "cx_lead", "executive", "owner"])
def test_a_next_parameter_still_wins(client, cast, who, manager, store_a):
    factories.ObservationFactory(session=session_at(manager, store_a, -0.5))

    response = sign_in(client, cast[who], next_url="/calendar/")

    assert response["Location"] == "/calendar/"


def test_a_session_under_way_outranks_the_triage_queue(client, cx_lead, store_a):
    factories.add_role(cx_lead, "manager")
    running = session_at(cx_lead, store_a, -0.5)
    running.start(by=cx_lead)
    factories.ObservationFactory(session=running)

    response = sign_in(client, cx_lead)

    assert response["Location"] == reverse("immersion:session-detail", args=[running.pk])


def test_without_any_landing_signing_in_goes_home(manager, monkeypatch):
    monkeypatch.setattr(home, "_landings", {})

    assert home.landing_for(manager) == "/"


def test_only_a_session_under_way_counts_for_the_landing(client, manager, store_a):
    done = session_at(manager, store_a, -3)
    done.start(by=manager)
    done.complete(by=manager, surprised_by="x", customer_feeling="y", would_change="z")

    assert sign_in(client, manager)["Location"] == "/"
