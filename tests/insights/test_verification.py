"""Waiting for me to verify: the CX lead's queue of done actions, one open at a time."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from insights.models import Action, ActionEvent
from journal.models import Photo
from tests import factories
from tests.insights.helpers import EVIDENCE, done

pytestmark = pytest.mark.django_db
QUEUE = reverse("insights:verify-queue")


def verify_url(action):
    return reverse("insights:verify-queue-verify", args=[action.pk])


def send_back_url(action):
    return reverse("insights:verify-queue-send-back", args=[action.pk])


def photo(by, observation=None) -> Photo:
    return Photo.objects.create(
        observation=observation,
        uploaded_by=by,
        original="photos/original.jpg",
        width=640,
        height=480,
        byte_size=1024,
        sha256="0" * 64,
        state=Photo.State.READY,
        thumbnail="photos/thumbnail.jpg",
        display="photos/display.jpg",
    )


@pytest.fixture
def make_done(owner, store_a, cx_lead, session_a, manager):
    """make_done(days_ago) -> an action of store A done that many days ago, with photos."""

    def make(days_ago: int, **fields) -> Action:
        observation = factories.ObservationFactory(session=session_a)
        photo(manager, observation)
        action = factories.ActionFactory(
            team=fields.pop("team", store_a),
            owner=fields.pop("owner", owner),
            created_by=cx_lead,
            observations=[observation],
            **fields,
        )
        with time_machine.travel(timezone.now() - dt.timedelta(days=days_ago)):
            done(action, action.owner)
        action.evidence_photos.add(photo(action.owner))
        return Action.objects.get(pk=action.pk)

    return make


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("manager", 403),
        ("other_manager", 403),
        ("cx_lead", 200),
        ("executive", 403),
        ("owner", 403),
        ("anonymous", 302),
    ],
)
def test_who_opens_the_queue(client_as, cast, who, expected):
    assert client_as(cast[who]).get(QUEUE).status_code == expected


@pytest.fixture
def lead_elsewhere():
    """A CX lead of another region: the cast's actions are outside their scope."""
    return factories.CxLeadFactory(teams=[factories.RegionFactory(name="South")])


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("manager", 403),
        ("other_manager", 403),
        ("cx_lead", 302),
        ("lead_elsewhere", 404),
        ("executive", 403),
        ("owner", 403),
        ("anonymous", 302),
    ],
)
@pytest.mark.parametrize(
    ("url", "data", "after"),
    [
        (verify_url, {}, Action.Status.VERIFIED),
        (send_back_url, {"send-back-reason": "The sign is gone again."}, Action.Status.IN_PROGRESS),
    ],
)
def test_who_verifies_or_sends_back_from_the_queue(
    client_as, cast, lead_elsewhere, make_done, who, expected, url, data, after
):
    action = make_done(1)
    people = {**cast, "lead_elsewhere": lead_elsewhere}
    version_field = "send-back-version" if data else "version"

    response = client_as(people[who]).post(url(action), {version_field: action.version, **data})

    assert response.status_code == expected
    status = Action.objects.get(pk=action.pk).status
    assert status == (after if who == "cx_lead" else Action.Status.DONE)


def test_the_queue_opens_the_oldest_done_action_and_lists_the_rest(client_as, cx_lead, make_done):
    newer = make_done(1, title="Newer")
    older = make_done(5, title="Older")

    response = client_as(cx_lead).get(QUEUE)

    assert response.context["current"] == older
    assert response.context["listed"] == [older, newer]
    assert response.context["total"] == 2


def test_the_queue_leaves_out_own_unfinished_and_other_scopes_actions(
    client_as, cx_lead, make_done, action, other_manager
):
    make_done(2, owner=cx_lead, title="Mine")
    factories.ActionFactory(team=factories.RegionFactory(), status="open")

    response = client_as(cx_lead).get(QUEUE)

    assert response.context["total"] == 0
    assert "Nothing is waiting for you to verify" in response.content.decode()


def test_the_open_action_shows_its_evidence_beside_the_photos_first_seen(
    client_as, cx_lead, make_done
):
    action = make_done(1)
    before = action.observations.get().photos.get()
    after = action.evidence_photos.get()

    html = client_as(cx_lead).get(QUEUE).content.decode()

    assert EVIDENCE in html
    assert html.index("Before: what was seen") < html.index(str(before.pk))
    assert html.index("After: the evidence") < html.index(str(after.pk))


def test_verifying_opens_the_next_one(client_as, cx_lead, make_done):
    older = make_done(5, title="Older")
    newer = make_done(1, title="Newer")
    client = client_as(cx_lead)

    response = client.post(verify_url(older), {"version": older.version, "note": "Seen it."})

    assert response.url == QUEUE
    assert Action.objects.get(pk=older.pk).verified_by == cx_lead
    assert client.get(QUEUE).context["current"] == newer


def test_sending_back_reopens_with_the_reason_in_the_history(client_as, cx_lead, make_done):
    action = make_done(1)

    client_as(cx_lead).post(
        send_back_url(action),
        {"send-back-version": action.version, "send-back-reason": "The sign is gone again."},
    )

    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    event = action.events.filter(kind=ActionEvent.Kind.STATUS).last()
    assert (event.old_value, event.note) == ("done", "The sign is gone again.")


def test_a_chosen_action_opens_first_and_a_bad_choice_falls_back_to_the_oldest(
    client_as, cx_lead, make_done
):
    older = make_done(5)
    newer = make_done(1)
    client = client_as(cx_lead)

    assert client.get(QUEUE, {"action": newer.pk}).context["current"] == newer
    assert client.get(QUEUE, {"action": "nonsense"}).context["current"] == older
    assert client.get(QUEUE, {"action": "999999"}).context["current"] == older


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"send-back-reason": ""}, "Say why it goes back to the owner."),
        ({"send-back-reason": "x" * 2001}, "at most 2000 characters"),
        ({"send-back-version": "old"}, "Enter a whole number"),
    ],
)
def test_a_send_back_with_bad_input_is_refused_and_keeps_the_action_open(
    client_as, cx_lead, make_done, data, message
):
    action = make_done(1)
    posted = {"send-back-version": action.version, "send-back-reason": "Gone.", **data}

    response = client_as(cx_lead).post(send_back_url(action), posted)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["current"] == action
    assert Action.objects.get(pk=action.pk).status == Action.Status.DONE


def test_a_verify_without_its_version_is_a_bad_request(client_as, cx_lead, make_done):
    action = make_done(1)

    response = client_as(cx_lead).post(verify_url(action), {"note": "x"})

    assert response.status_code == 400
    assert Action.objects.get(pk=action.pk).status == Action.Status.DONE


def test_an_action_verified_meanwhile_is_refused_and_the_queue_moves_on(
    client_as, cx_lead, region, make_done
):
    action = make_done(2)
    other = make_done(1)
    stale = action.version
    action.verify(by=factories.CxLeadFactory(teams=[region]))

    response = client_as(cx_lead).post(verify_url(action), {"version": stale})

    assert response.status_code == 409
    assert "changed while you had it open" in response.content.decode()
    assert response.context["current"] == other


def test_a_lead_cannot_verify_their_own_action_from_the_queue(client_as, cx_lead, make_done):
    action = make_done(1, owner=cx_lead)

    response = client_as(cx_lead).post(verify_url(action), {"version": action.version})

    assert response.status_code == 409
    assert Action.objects.get(pk=action.pk).status == Action.Status.DONE


def test_the_cx_leads_home_links_to_the_queue_with_its_count(client_as, cx_lead, make_done):
    make_done(1)
    make_done(2, owner=cx_lead)

    response = client_as(cx_lead).get("/")

    assert QUEUE in response.content.decode()
    assert 'href="/insights/verify/"' in response.content.decode()


@pytest.mark.parametrize("size", [1, 10])
def test_the_queue_page_queries(client_as, cx_lead, make_done, size, django_assert_num_queries):
    for days in range(size):
        make_done(days + 1)
    client = client_as(cx_lead)
    # user, groups, teams, subtree; the open action with owner and team, its evidence
    # photos, its observations with their session, their photos; the count and the list
    with django_assert_num_queries(10):
        response = client.get(QUEUE)
    assert response.status_code == 200
