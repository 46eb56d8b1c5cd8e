"""The per-user iCalendar feed at a secret address."""

import datetime as dt

import icalendar
import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def feed_url(user):
    return reverse("immersion:calendar-feed", args=[user.calendar_token])


def test_feed_parses_and_holds_exactly_the_users_sessions(
    client, manager, store_a, other_manager, store_b
):
    led = factories.SessionFactory(lead=manager, team=store_a, place="Tills")
    joined = factories.SessionFactory(team=store_a, planned_start=led.planned_end)
    joined.companions.add(manager)
    factories.SessionFactory(team=store_a)
    factories.SessionFactory(lead=other_manager, team=store_b)

    response = client.get(feed_url(manager))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert {str(e["uid"]).split("@")[0] for e in events} == {
        f"session-{led.pk}",
        f"session-{joined.pk}",
    }
    first = next(e for e in events if str(e["uid"]).startswith(f"session-{led.pk}@"))
    # iCalendar keeps whole seconds.
    assert first.decoded("dtstart") == led.planned_start.replace(microsecond=0)
    assert first.decoded("dtend") == led.planned_end.replace(microsecond=0)
    assert "Tills" in str(first["location"])


def test_cancelled_sessions_are_marked_cancelled(client, manager, store_a):
    session = factories.SessionFactory(lead=manager, team=store_a)
    session.cancel(by=manager, reason="Ill.")

    calendar = icalendar.Calendar.from_ical(client.get(feed_url(manager)).content)

    assert [str(e["status"]) for e in calendar.walk("VEVENT")] == ["CANCELLED"]


def test_feed_needs_no_login_but_an_unknown_token_is_404(client, manager):
    assert client.get(feed_url(manager)).status_code == 200
    assert client.get(reverse("immersion:calendar-feed", args=["nope"])).status_code == 404


def test_regenerated_token_makes_the_old_address_404(client_as, manager):
    old = feed_url(manager)
    client = client_as(manager)

    response = client.post(reverse("immersion:calendar-regenerate"))

    assert response.status_code == 302
    manager.refresh_from_db()
    assert client.get(old).status_code == 404
    assert client.get(feed_url(manager)).status_code == 200


def test_regenerate_is_post_only(client_as, manager):
    token = manager.calendar_token

    response = client_as(manager).get(reverse("immersion:calendar-regenerate"))

    assert response.status_code == 405
    manager.refresh_from_db()
    assert manager.calendar_token == token


def test_calendar_page_shows_the_users_own_address(client_as, manager):
    response = client_as(manager).get(reverse("immersion:calendar"))

    assert manager.calendar_token in response.content.decode()


def test_an_inactive_users_feed_is_404(client, manager):
    manager.is_active = False
    manager.save()

    assert client.get(feed_url(manager)).status_code == 404


def test_feed_leaves_out_sessions_older_than_a_year(client, manager, store_a):
    factories.SessionFactory(
        lead=manager,
        team=store_a,
        planned_start=dt.datetime(2020, 1, 1, 9, tzinfo=dt.UTC),
        planned_end=dt.datetime(2020, 1, 1, 10, tzinfo=dt.UTC),
    )

    calendar = icalendar.Calendar.from_ical(client.get(feed_url(manager)).content)

    assert calendar.walk("VEVENT") == []
