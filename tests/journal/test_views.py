import datetime as dt

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse

from journal import images
from journal.models import Observation, ObservationDeletion, Photo
from tests import factories
from tests.journal import corpus
from tests.journal.conftest import complete, start

pytestmark = pytest.mark.django_db

LIST = "/journal/"


def test_the_journal_searches_what_happened_and_quotes(client_as, cx_lead, session_a, manager):
    factories.ObservationFactory(session=session_a, what_happened="Queue at the tills", quote="")
    factories.ObservationFactory(
        session=session_a, what_happened="Lift broken", quote="I had to QUEUE for the stairs"
    )
    factories.ObservationFactory(session=session_a, what_happened="Lovely display")

    response = client_as(cx_lead).get(LIST, {"q": "queue"})

    found = {o.what_happened for o in response.context["page"].object_list}
    assert found == {"Queue at the tills", "Lift broken"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"touchpoint": "website"}, {"web"}),
        ({"emotion": "delighted"}, {"web"}),
        ({"kind": "idea"}, {"web"}),
        ({"impact": "high"}, {"web"}),
        ({"triage_state": "no_action"}, {"web"}),
    ],
)
def test_the_journal_filters_by_each_field(params, expected, client_as, cx_lead, session_a):
    factories.ObservationFactory(session=session_a, what_happened="store")
    factories.ObservationFactory(
        session=session_a,
        what_happened="web",
        touchpoint="website",
        emotion="delighted",
        kind="idea",
        impact="high",
        triage_state="no_action",
        triage_note="Already fixed last week.",
    )

    response = client_as(cx_lead).get(LIST, params)

    assert {o.what_happened for o in response.context["page"].object_list} == expected


def test_the_team_filter_includes_sub_teams(client_as, cx_lead, region, session_a, session_b):
    factories.ObservationFactory(session=session_a, what_happened="in A")
    factories.ObservationFactory(session=session_b, what_happened="in B")
    client = client_as(cx_lead)

    whole_region = client.get(LIST, {"team": region.pk}).context["page"].object_list
    store_a_only = client.get(LIST, {"team": session_a.team.pk}).context["page"].object_list

    assert {o.what_happened for o in whole_region} == {"in A", "in B"}
    assert [o.what_happened for o in store_a_only] == ["in A"]


def test_session_type_persona_and_period_filters(client_as, cx_lead, session_a, session_b):
    factories.ObservationFactory(session=session_a, what_happened="A")
    with time_machine.travel(dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)):
        factories.ObservationFactory(session=session_b, what_happened="B, in January")
    client = client_as(cx_lead)

    def found(params):
        return {o.what_happened for o in client.get(LIST, params).context["page"].object_list}

    assert found({"session_type": session_a.session_type.pk}) == {"A"}
    assert found({"persona": session_a.persona.pk}) == {"A"}
    assert found({"since": "2026-01-01", "until": "2026-01-31"}) == {"B, in January"}


def test_a_bad_filter_value_is_answered_with_400(client_as, cx_lead, session_a):
    response = client_as(cx_lead).get(LIST, {"since": "yesterday-ish", "team": "999999"})

    assert response.status_code == 400
    assert response.context["filter"].errors


def test_the_team_filter_offers_only_teams_in_reach(client_as, other_manager, store_a):
    response = client_as(other_manager).get(LIST, {"team": store_a.pk})

    assert response.status_code == 400


def test_the_journal_is_paginated(client_as, cx_lead, session_a):
    factories.ObservationFactory.create_batch(25, session=session_a)

    response = client_as(cx_lead).get(LIST, {"page": 2, "kind": "pain_point"})

    assert len(response.context["page"].object_list) == 5
    assert b"kind=pain_point&amp;page=1" in response.content


def make_observations(session, count, with_photo_every=2):
    made = factories.ObservationFactory.create_batch(count, session=session)
    for observation in made[::with_photo_every]:
        images.store_photo(corpus.upload("p.jpg", corpus.camera_jpeg()), session.lead, observation)
    return made


def test_journal_list_query_count_is_constant(
    client_as, cx_lead, session_a, session_b, django_assert_num_queries
):
    client = client_as(cx_lead)
    make_observations(session_a, 2)
    # user, role groups, teams, teams below, the chosen team (validated), count, the
    # filter's choices (teams, session types, personas, programmes, themes), the page
    # (with session, type, team, persona and author joined), the page's photos and themes.
    with django_assert_num_queries(14):
        client.get(LIST, {"q": "fitting", "team": session_a.team.pk})
    make_observations(session_b, 12)
    for observation in make_observations(session_a, 12):
        observation.themes.add(factories.ThemeFactory(), factories.ThemeFactory())
    with django_assert_num_queries(14):
        client.get(LIST, {"q": "fitting", "team": session_a.team.pk})


def test_detail_shows_persona_photos_and_what_became_of_it(
    client_as, executive, observation_a, manager
):
    images.store_photo(corpus.upload("p.jpg", corpus.camera_jpeg()), manager, observation_a)
    factories.ActionFactory(title="Unlock the fitting rooms", observations=[observation_a])

    response = client_as(executive).get(observation_a.get_absolute_url())

    assert b"Wheelchair user" in response.content
    assert b"Preparing photo" in response.content
    assert b"Unlock the fitting rooms" in response.content
    assert b"Untriaged" in response.content
    assert b">Edit<" not in response.content


def test_the_author_edits_within_the_window(client_as, manager, observation_a):
    url = reverse("journal:observation-edit", kwargs={"pk": observation_a.pk})
    data = {
        "touchpoint": "staff",
        "emotion": "happy",
        "intensity": "2",
        "what_happened": "Staff opened the fitting room straight away.",
        "kind": "delight",
        "impact": "low",
    }

    response = client_as(manager).post(url, data)

    assert response.status_code == 302
    observation_a.refresh_from_db()
    assert (observation_a.touchpoint, observation_a.emotion) == ("staff", "happy")


def test_edit_with_bad_input_changes_nothing(client_as, manager, observation_a):
    url = reverse("journal:observation-edit", kwargs={"pk": observation_a.pk})

    response = client_as(manager).post(url, {"touchpoint": "staff", "what_happened": " "})

    assert response.status_code == 422
    observation_a.refresh_from_db()
    assert observation_a.touchpoint == "store"


def test_the_author_cannot_edit_after_the_window(client_as, manager, observation_a, settings):
    settings.OBSERVATION_EDIT_WINDOW_HOURS = 48
    complete(observation_a.session)
    url = reverse("journal:observation-edit", kwargs={"pk": observation_a.pk})

    with time_machine.travel(dt.timedelta(hours=47)):
        assert client_as(manager).get(url).status_code == 200
    with time_machine.travel(dt.timedelta(hours=49)):
        assert client_as(manager).get(url).status_code == 403


def test_the_author_deletes_and_the_deletion_is_recorded(
    client_as, manager, observation_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        photo = images.store_photo(
            corpus.upload("p.jpg", corpus.camera_jpeg()), manager, observation_a
        )
    photo.refresh_from_db()
    url = reverse("journal:observation-delete", kwargs={"pk": observation_a.pk})

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(manager).post(url, {"reason": "Logged twice"})

    assert response.status_code == 302
    assert not Observation.objects.exists()
    assert not Photo.objects.exists()
    record = ObservationDeletion.objects.get()
    assert (record.deleted_by, record.author, record.reason) == (manager, manager, "Logged twice")
    assert record.snapshot["what_happened"] == observation_a.what_happened
    assert record.snapshot["photos"] == 1
    assert not images.default_storage.exists(photo.original.name)


def test_a_cx_lead_may_delete_an_observation(client_as, cx_lead, observation_a):
    url = reverse("journal:observation-delete", kwargs={"pk": observation_a.pk})

    assert client_as(cx_lead).post(url).status_code == 302
    assert ObservationDeletion.objects.get().deleted_by == cx_lead


def test_a_companion_who_is_not_the_author_cannot_delete(client_as, observation_a):
    companion = factories.ManagerFactory(teams=[observation_a.session.team])
    observation_a.session.companions.add(companion)
    url = reverse("journal:observation-delete", kwargs={"pk": observation_a.pk})

    assert client_as(companion).post(url).status_code == 403
    assert Observation.objects.exists()


def render_partial(session, user):
    template = Template("{% load journal_tags %}{% session_observations session user %}")
    return template.render(Context({"session": session, "user": user}))


def test_session_partial_lists_observations_and_the_gallery(session_a, manager, observation_a):
    with_photo = factories.ObservationFactory(session=session_a, what_happened="Ramp too steep")
    images.store_photo(corpus.upload("p.jpg", corpus.camera_jpeg()), manager, with_photo)

    html = render_partial(session_a, manager)

    assert "Observations (2)" in html
    assert "Ramp too steep" in html
    assert "Preparing photo" in html
    assert reverse("journal:capture", kwargs={"session_id": session_a.pk}) in html


def test_session_partial_shows_nothing_to_someone_out_of_reach(session_a, other_manager):
    factories.ObservationFactory(session=session_a, what_happened="Ramp too steep")

    html = render_partial(session_a, other_manager)

    assert "Ramp too steep" not in html
    assert "Log an observation" not in html


def test_session_partial_query_count_is_constant(
    session_a, manager, django_assert_num_queries, store_a
):
    make_observations(session_a, 2)
    user = type(manager).objects.get(pk=manager.pk)
    # role groups, teams, teams below (for visible_to), observations with authors,
    # their photos.
    with django_assert_num_queries(5):
        render_partial(session_a, user)
    make_observations(session_a, 10)
    user = type(manager).objects.get(pk=manager.pk)
    with django_assert_num_queries(5):
        render_partial(session_a, user)


def test_planned_sessions_offer_no_capture_link(manager, store_a):
    planned = factories.SessionFactory(team=store_a, lead=manager)

    assert "Log an observation" not in render_partial(planned, manager)
    start(planned)
    assert "Log an observation" in render_partial(planned, manager)
