"""The capture form stores what the manager said, never a default in its place; and a
saved observation can be undone or edited from the page that saved it."""

import uuid

import pytest
from django.urls import reverse

from journal.models import Observation
from tests import factories

pytestmark = pytest.mark.django_db


def capture_url(session):
    return reverse("journal:capture", kwargs={"session_id": session.pk})


def minimum(**overrides):
    """Touchpoint, feeling, one sentence: the shortest observation there is."""
    return {
        "client_uuid": str(uuid.uuid4()),
        "touchpoint": "signage",
        "emotion": "delighted",
        "intensity": "3",
        "what_happened": "A colleague walked the customer to the right aisle.",
        **overrides,
    }


def post_json(client, session, data):
    return client.post(capture_url(session), data, headers={"accept": "application/json"})


def test_kind_and_impact_start_unchosen(client_as, manager, session_a):
    form = client_as(manager).get(capture_url(session_a)).context["form"]

    assert form["kind"].value() is None
    assert form["impact"].value() is None
    assert form.fields["kind"].required is False


def test_a_good_feeling_left_without_a_kind_is_stored_as_a_delight(client_as, manager, session_a):
    response = post_json(client_as(manager), session_a, minimum())

    assert response.status_code == 200
    observation = Observation.objects.get()
    assert observation.kind == Observation.Kind.DELIGHT
    assert observation.impact == ""


def test_a_bad_feeling_left_without_a_kind_is_stored_as_a_pain_point(client_as, manager, session_a):
    post_json(client_as(manager), session_a, minimum(emotion="frustrated"))

    assert Observation.objects.get().kind == Observation.Kind.PAIN_POINT


def test_a_kind_the_manager_chose_wins_over_the_feeling(client_as, manager, session_a):
    post_json(client_as(manager), session_a, minimum(emotion="delighted", kind="idea"))

    assert Observation.objects.get().kind == Observation.Kind.IDEA


def test_a_neutral_feeling_needs_a_kind_and_nothing_is_stored_without_one(
    client_as, manager, session_a
):
    response = post_json(client_as(manager), session_a, minimum(emotion="indifferent"))

    assert response.status_code == 422
    message = response.json()["errors"]["kind"][0]["message"]
    assert message == "Choose what kind of observation this is: “Indifferent” does not say."
    assert Observation.objects.count() == 0


def test_an_impact_the_manager_chose_is_stored(client_as, manager, session_a):
    post_json(client_as(manager), session_a, minimum(impact="high"))

    assert Observation.objects.get().impact == Observation.Impact.HIGH


@pytest.mark.parametrize(
    ("field", "value"), [("kind", "catastrophe"), ("impact", "enormous"), ("emotion", "")]
)
def test_a_value_outside_the_choices_is_refused_with_nothing_stored(
    client_as, manager, session_a, field, value
):
    response = post_json(client_as(manager), session_a, minimum(**{field: value}))

    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert Observation.objects.count() == 0


def test_editing_keeps_a_rated_impact_and_allows_not_rated(client_as, manager, observation_a):
    url = reverse("journal:observation-edit", kwargs={"pk": observation_a.pk})
    data = {
        "touchpoint": observation_a.touchpoint,
        "emotion": observation_a.emotion,
        "intensity": "4",
        "what_happened": observation_a.what_happened,
        "quote": "",
        "kind": "pain_point",
        "impact": "",
        "journey_stage": "",
    }

    response = client_as(manager).post(url, data)

    assert response.status_code == 302
    observation_a.refresh_from_db()
    assert observation_a.impact == ""


def test_the_saved_page_offers_undo_and_edit_for_what_was_just_saved(client_as, manager, session_a):
    client = client_as(manager)
    next_url = post_json(client, session_a, minimum()).json()["next"]
    observation = Observation.objects.get()

    page = client.get(next_url).content.decode()

    assert "Saved, add another." in page
    assert f'href="/journal/observations/{observation.pk}/edit/">Edit it</a>' in page
    assert f'action="/journal/observations/{observation.pk}/delete/"' in page


def test_the_saved_page_offers_nothing_for_someone_elses_observation(client_as, manager, session_a):
    theirs = factories.ObservationFactory()

    page = (
        client_as(manager)
        .get(f"{capture_url(session_a)}?saved=1&observation={theirs.pk}")
        .content.decode()
    )

    assert "Saved, add another." in page
    assert "Edit it" not in page
    assert f"/journal/observations/{theirs.pk}/delete/" not in page


def test_the_saved_page_ignores_an_observation_id_that_is_not_a_number(
    client_as, manager, session_a
):
    response = client_as(manager).get(f"{capture_url(session_a)}?saved=1&observation=x")

    assert response.status_code == 200
    assert b"Edit it" not in response.content


def test_undo_deletes_it_and_comes_back_to_capture(client_as, manager, session_a):
    client = client_as(manager)
    post_json(client, session_a, minimum())
    observation = Observation.objects.get()

    response = client.post(
        reverse("journal:observation-delete", kwargs={"pk": observation.pk}),
        {"reason": "Undone right after saving.", "next": capture_url(session_a)},
    )

    assert response.status_code == 302
    assert response["Location"] == capture_url(session_a)
    assert Observation.objects.count() == 0


def test_undo_never_sends_the_user_to_another_site(client_as, manager, observation_a):
    response = client_as(manager).post(
        reverse("journal:observation-delete", kwargs={"pk": observation_a.pk}),
        {"next": "https://evil.example/"},
    )

    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.example")


def test_a_resend_after_the_session_closed_still_gets_its_confirmation(
    client_as, manager, session_a, settings
):
    settings.OBSERVATION_EDIT_WINDOW_HOURS = 0
    client = client_as(manager)
    data = minimum()
    first = post_json(client, session_a, data)
    session_a.complete(
        by=manager, surprised_by="Queues.", customer_feeling="Ignored.", would_change="Tills."
    )

    again = post_json(client, session_a, data)
    fresh = post_json(client, session_a, minimum())

    assert again.status_code == 200
    assert again.json()["observation"] == first.json()["observation"]
    assert fresh.status_code == 409
    assert Observation.objects.count() == 1


def test_an_unrated_impact_says_so_on_the_observation(client_as, manager, session_a):
    observation = factories.ObservationFactory(session=session_a, author=manager, impact="")

    page = client_as(manager).get(
        reverse("journal:observation-detail", kwargs={"pk": observation.pk})
    )

    assert b"Impact not rated" in page.content
