import datetime as dt
import uuid

import pytest
import time_machine
from django.urls import reverse

from journal.models import Observation, Photo
from tests import factories
from tests.journal import corpus
from tests.journal.conftest import complete

pytestmark = pytest.mark.django_db


def capture_url(session):
    return reverse("journal:capture", kwargs={"session_id": session.pk})


def fields(**overrides):
    return {
        "client_uuid": str(uuid.uuid4()),
        "touchpoint": "signage",
        "emotion": "confused",
        "intensity": "3",
        "what_happened": "  The sign to the accessible toilet pointed at a locked door.  ",
        "quote": "Where am I meant to go?",
        "kind": "pain_point",
        "impact": "medium",
        "journey_stage": "use",
        **overrides,
    }


def test_capture_page_offers_an_empty_form_with_a_fresh_client_uuid(client_as, manager, session_a):
    response = client_as(manager).get(capture_url(session_a))

    assert response.status_code == 200
    form = response.context["form"]
    assert isinstance(form.initial["client_uuid"], uuid.UUID)
    assert b'capture="environment"' in response.content
    assert b"walking as <strong>Wheelchair user</strong>" in response.content


def test_saving_returns_to_an_empty_form_with_a_running_count(client_as, manager, session_a):
    client = client_as(manager)
    client.post(capture_url(session_a), fields())

    response = client.post(capture_url(session_a), fields(), follow=True)

    observation = Observation.objects.first()
    saved_url = f"{capture_url(session_a)}?saved=1&observation={observation.pk}"
    assert response.redirect_chain == [(saved_url, 302)]
    assert b"Saved, add another." in response.content
    assert b"You have logged 2 observations in this session." in response.content
    assert observation.what_happened.startswith("The sign to the accessible toilet")
    assert (observation.author, observation.session) == (manager, session_a)


def test_a_script_gets_json_with_the_next_page(client_as, manager, session_a):
    response = client_as(manager).post(
        capture_url(session_a), fields(), headers={"accept": "application/json"}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["saved"] is True
    observation = Observation.objects.get()
    assert body["observation"] == observation.pk
    assert body["next"] == f"{capture_url(session_a)}?saved=1&observation={observation.pk}"


def test_invalid_fields_come_back_with_what_was_typed_and_nothing_stored(
    client_as, manager, session_a
):
    photo = corpus.upload("fine.jpg", corpus.camera_jpeg())

    response = client_as(manager).post(
        capture_url(session_a), fields(emotion="", what_happened="   ", photos=[photo])
    )

    assert response.status_code == 422
    form = response.context["form"]
    assert set(form.errors) == {"emotion", "what_happened"}
    assert b"Where am I meant to go?" in response.content
    assert (Observation.objects.count(), Photo.objects.count()) == (0, 0)


def test_invalid_fields_answer_json_errors_to_a_script(client_as, manager, session_a):
    response = client_as(manager).post(
        capture_url(session_a),
        fields(touchpoint="moon", intensity="9"),
        headers={"accept": "application/json"},
    )

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"touchpoint", "intensity"}


def test_a_missing_client_uuid_is_refused(client_as, manager, session_a):
    response = client_as(manager).post(capture_url(session_a), fields(client_uuid="not-a-uuid"))

    assert response.status_code == 422
    assert Observation.objects.count() == 0


def test_the_same_client_uuid_twice_stores_one_observation(
    client_as, manager, session_a, django_capture_on_commit_callbacks
):
    client = client_as(manager)
    data = fields()
    photo = corpus.camera_jpeg()

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(
            capture_url(session_a), {**data, "photos": [corpus.upload("a.jpg", photo)]}
        )
        again = client.post(
            capture_url(session_a), {**data, "photos": [corpus.upload("a.jpg", photo)]}
        )

    assert first.status_code == again.status_code == 302
    assert Observation.objects.count() == 1
    assert Photo.objects.count() == 1


def test_a_client_uuid_of_another_author_is_refused(client_as, session_a, observation_a):
    companion = factories.ManagerFactory(teams=[session_a.team])
    session_a.companions.add(companion)

    response = client_as(companion).post(
        capture_url(session_a), fields(client_uuid=str(observation_a.client_uuid))
    )

    assert response.status_code == 409
    assert Observation.objects.count() == 1


def test_a_companion_may_log_observations(client_as, session_a):
    companion = factories.ManagerFactory(teams=[session_a.team])
    session_a.companions.add(companion)

    response = client_as(companion).post(capture_url(session_a), fields())

    assert response.status_code == 302
    assert Observation.objects.get().author == companion


def test_a_cx_lead_who_is_not_taking_part_cannot_log(client_as, cx_lead, session_a):
    assert client_as(cx_lead).get(capture_url(session_a)).status_code == 403
    assert client_as(cx_lead).post(capture_url(session_a), fields()).status_code == 403
    assert Observation.objects.count() == 0


def test_another_teams_manager_does_not_find_the_session(client_as, other_manager, session_a):
    assert client_as(other_manager).get(capture_url(session_a)).status_code == 404
    assert client_as(other_manager).post(capture_url(session_a), fields()).status_code == 404


def test_a_planned_session_does_not_take_observations_yet(client_as, manager, store_a):
    planned = factories.SessionFactory(team=store_a, lead=manager)

    page = client_as(manager).get(capture_url(planned))
    post = client_as(manager).post(capture_url(planned), fields())

    assert b"has not started yet" in page.content
    # The form is there, hidden, for the script to show once the session starts offline.
    assert b'id="capture-form" novalidate hidden' in page.content
    assert post.status_code == 409
    assert Observation.objects.count() == 0


def test_a_completed_session_takes_late_observations_within_the_window(
    client_as, manager, session_a, settings
):
    settings.OBSERVATION_EDIT_WINDOW_HOURS = 48
    complete(session_a)

    # Signed in afresh each time: a sign-in does not last two days.
    with time_machine.travel(dt.timedelta(hours=47)):
        inside = client_as(manager).post(capture_url(session_a), fields())
    with time_machine.travel(dt.timedelta(hours=49)):
        outside = client_as(manager).post(capture_url(session_a), fields())

    assert inside.status_code == 302
    assert outside.status_code == 409
    assert Observation.objects.count() == 1


def test_capture_page_query_count_does_not_grow_with_observations(
    client_as, manager, session_a, django_assert_num_queries
):
    client = client_as(manager)
    for _ in range(2):
        factories.ObservationFactory(session=session_a, author=manager)
    # user, the session they take part in, the running count, the latest observations,
    # their photos, their role groups (for the menu), the re-visits the session can answer.
    with django_assert_num_queries(7) as small:
        client.get(capture_url(session_a))
    for _ in range(8):
        factories.ObservationFactory(session=session_a, author=manager)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(capture_url(session_a))


def test_a_photo_without_exif_takes_the_time_the_browser_gives(client_as, manager, session_a):
    taken = dt.datetime(2026, 11, 1, 9, 30, tzinfo=dt.UTC)
    png = corpus.upload("shrunk.png", corpus.encode(corpus.two_tone(), "PNG"), "image/png")

    with time_machine.travel(taken + dt.timedelta(hours=2)):
        client_as(manager).post(
            capture_url(session_a),
            fields(photos=[png], photo_taken=str(int(taken.timestamp() * 1000))),
        )

    assert Photo.objects.get().captured_at == taken


def test_the_cameras_own_time_wins_over_the_browsers(client_as, manager, session_a):
    jpeg = corpus.upload("camera.jpg", corpus.camera_jpeg())

    client_as(manager).post(
        capture_url(session_a), fields(photos=[jpeg], photo_taken="1700000000000")
    )

    assert Photo.objects.get().captured_at == corpus.taken_at()


@pytest.mark.parametrize("stamp", ["soon", "-1", "99999999999999999", "4102444800000"])
def test_an_unbelievable_browser_time_is_ignored(stamp, client_as, manager, session_a):
    png = corpus.upload("shrunk.png", corpus.encode(corpus.two_tone(), "PNG"), "image/png")

    response = client_as(manager).post(
        capture_url(session_a), fields(photos=[png], photo_taken=stamp)
    )

    assert response.status_code == 302
    assert Photo.objects.get().captured_at is None


def test_the_session_types_usual_touchpoints_come_first(client_as, manager, session_a):
    session_a.session_type.suggested_touchpoints = ["packaging", "product"]
    session_a.session_type.save()

    response = client_as(manager).get(capture_url(session_a))

    choices = [value for value, _ in response.context["form"].fields["touchpoint"].choices]
    assert choices[:2] == ["product", "packaging"]
    assert len(choices) == len(set(choices)) == 15
