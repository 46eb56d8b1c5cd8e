"""The session page on a phone: capturing leads while a session is under way, and the
reflection does not ask again what the observations already say."""

import re

import pytest
from django.urls import reverse

from immersion.models import ImmersionSession
from journal.models import Emotion
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(manager, store_a):
    return factories.SessionFactory(lead=manager, team=store_a)


@pytest.fixture
def running(session, manager):
    session.start(by=manager)
    return session


def detail(client, session) -> str:
    return client.get(reverse("immersion:session-detail", args=[session.pk])).content.decode()


def first_button(html: str) -> str:
    """The first big button in the page's content: what a phone shows first."""
    main = html[html.index("<main") :]
    return re.search(r'<(a|button)[^>]*class="btn [^"]*btn-big[^"]*"[^>]*>([^<]*)<', main).group(2)


def test_a_session_under_way_leads_with_log_an_observation(client_as, manager, running):
    html = detail(client_as(manager), running)

    assert first_button(html) == "Log an observation"
    capture = reverse("journal:capture", kwargs={"session_id": running.pk})
    assert re.search(rf'<a class="btn btn-primary btn-big[^"]*" href="{capture}">', html)


def test_complete_comes_after_what_was_logged_and_is_secondary(client_as, manager, running):
    html = detail(client_as(manager), running)

    complete = reverse("immersion:session-complete", args=[running.pk])
    assert html.index('id="h-session-observations"') < html.index(complete)
    assert re.search(rf'<a class="btn btn-outline-secondary[^"]*" href="{complete}"', html)
    assert "btn-success" not in html


def test_a_planned_session_leads_with_start(client_as, manager, session):
    html = detail(client_as(manager), session)

    assert first_button(html) == "Start the session"
    assert reverse("immersion:session-complete", args=[session.pk]) not in html


def test_someone_not_doing_the_session_gets_neither_button(client_as, cx_lead, running):
    html = detail(client_as(cx_lead), running)

    assert reverse("journal:capture", kwargs={"session_id": running.pk}) not in html
    assert reverse("immersion:session-complete", args=[running.pk]) not in html


def test_continue_the_session_on_today_goes_straight_to_capture(client_as, manager, running):
    html = client_as(manager).get(reverse("immersion:today")).content.decode()

    capture = reverse("journal:capture", kwargs={"session_id": running.pk})
    assert re.search(rf'href="{capture}">Continue the session<', html)


# The reflection.

REFLECTION = {
    "surprised_by": "The queue at the till.",
    "customer_feeling": "Ignored.",
    "would_change": "Open a second till at lunchtime.",
}


def complete_url(session) -> str:
    return reverse("immersion:session-complete", args=[session.pk])


def test_without_observations_the_reflection_asks_how_the_customer_would_feel(
    client_as, manager, running
):
    html = client_as(manager).get(complete_url(running)).content.decode()

    assert "How would the customer feel?" in html


def test_with_observations_the_reflection_shows_the_feelings_instead_of_asking(
    client_as, manager, running
):
    factories.ObservationFactory.create_batch(2, session=running, emotion=Emotion.FRUSTRATED)
    factories.ObservationFactory(session=running, emotion=Emotion.DELIGHTED)

    html = client_as(manager).get(complete_url(running)).content.decode()

    assert "How would the customer feel?" not in html
    assert "Customers would have felt: Frustrated (2), Delighted (1)." in html


def test_completing_stores_the_feelings_the_observations_gave(client_as, manager, running):
    factories.ObservationFactory(session=running, emotion=Emotion.CONFUSED)
    data = {key: value for key, value in REFLECTION.items() if key != "customer_feeling"}

    response = client_as(manager).post(complete_url(running), data)

    assert response.status_code == 302
    running.refresh_from_db()
    assert running.status == ImmersionSession.Status.COMPLETED
    assert running.customer_feeling == "Customers would have felt: Confused (1)."


def test_a_feeling_posted_anyway_does_not_override_the_observations(client_as, manager, running):
    factories.ObservationFactory(session=running, emotion=Emotion.CONFUSED)

    client_as(manager).post(complete_url(running), REFLECTION)

    running.refresh_from_db()
    assert running.customer_feeling == "Customers would have felt: Confused (1)."


def test_a_reflection_missing_its_other_answers_is_refused(client_as, manager, running):
    factories.ObservationFactory(session=running)

    response = client_as(manager).post(complete_url(running), {"surprised_by": "The queue."})

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"would_change"}
    running.refresh_from_db()
    assert running.status == ImmersionSession.Status.IN_PROGRESS
