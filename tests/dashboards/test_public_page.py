"""The public "you said, we did" page: no login, only what was chosen for publication."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from insights.models import Action
from journal.models import Observation, Photo
from tests import factories
from tests.dashboards.conftest import action, at, finish, observation

pytestmark = pytest.mark.django_db

URL = reverse("insights:public")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def page(client_as):
    response = client_as(None).get(URL)
    assert response.status_code == 200
    return response


def test_anonymous_visitors_see_the_page_with_a_public_cache_header(client_as, db):
    response = page(client_as)
    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]


def test_signed_in_visitors_get_a_private_copy(client_as, cast):
    response = client_as(cast["executive"]).get(URL)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_published_verified_action_shows_its_public_wording(client_as, now, cast, crafted):
    body = page(client_as).content.decode()
    assert "The fitting rooms were locked." in body
    assert "A colleague now stays by the fitting rooms all day." in body
    assert "May 2026" in body


@pytest.fixture
def leaks(now, cast, store_a):
    """Every kind of thing that must stay inside, each carrying a marker word."""
    session = factories.SessionFactory(team=store_a, lead=cast["manager"])
    obs = observation(
        session,
        at(5, 1),
        what_happened="LEAK-OBSERVATION text",
        quote="LEAK-QUOTE",
        triage_note="LEAK-TRIAGE-NOTE",
    )
    photo = Photo.objects.create(
        observation=obs,
        uploaded_by=cast["manager"],
        original="photos/LEAK-PHOTO.jpg",
        width=10,
        height=10,
        byte_size=10,
        sha256="0" * 64,
    )
    shown = action(
        store_a,
        cast["owner"],
        at(5, 2),
        dt.date(2026, 5, 10),
        [obs],
        title="LEAK-TITLE",
        description="LEAK-DESCRIPTION",
    )
    finish(
        shown,
        at(5, 5),
        verified_at=at(5, 6),
        verifier=cast["cx_lead"],
        evidence_note="LEAK-EVIDENCE",
        is_published=True,
        you_said="Shown: you said",
        we_did="Shown: we did",
    )
    shown.evidence_photos.add(photo)
    unpublished = action(store_a, cast["owner"], at(5, 2), dt.date(2026, 5, 10))
    finish(
        unpublished,
        at(5, 5),
        verified_at=at(5, 6),
        verifier=cast["cx_lead"],
        you_said="LEAK-UNPUBLISHED you said",
        we_did="LEAK-UNPUBLISHED we did",
    )
    not_verified = action(store_a, cast["owner"], at(5, 2), dt.date(2026, 5, 10))
    finish(
        not_verified,
        at(5, 5),
        is_published=True,
        you_said="LEAK-NOT-VERIFIED you said",
        we_did="LEAK-NOT-VERIFIED we did",
    )
    dropped = action(store_a, cast["owner"], at(5, 2), dt.date(2026, 5, 10))
    Action.objects.filter(pk=dropped.pk).update(
        status=Action.Status.DROPPED,
        dropped_reason="LEAK-DROPPED-REASON",
        is_published=True,
        you_said="LEAK-DROPPED you said",
        we_did="LEAK-DROPPED we did",
    )
    return cast


def test_nothing_internal_or_unpublished_leaks(client_as, leaks):
    body = page(client_as).content.decode()
    assert "Shown: you said" in body
    assert "Shown: we did" in body
    assert "LEAK-" not in body


def test_no_person_is_named(client_as, leaks):
    body = page(client_as).content.decode()
    for user in leaks.values():
        if user is not None:
            assert user.get_full_name() not in body
            assert user.email not in body


def test_no_photo_is_shown(client_as, leaks):
    body = page(client_as).content.decode()
    assert "<img" not in body
    assert "photos/" not in body


def test_promise_months_count_issues_acted_on_within_30_days(client_as, now, cast, store_a):
    session = factories.SessionFactory(team=store_a, lead=cast["manager"])
    quick = observation(session, at(4, 10))
    slow = observation(session, at(4, 12))
    observation(session, at(4, 14), kind=Observation.Kind.DELIGHT)  # not a problem
    original = observation(session, at(4, 15))
    observation(  # counted once, through its original
        session,
        at(4, 16),
        triage_state=Observation.TriageState.DUPLICATE,
        duplicate_of=original,
    )
    observation(session, at(6, 1))  # its 30 days are not over yet
    fixed = action(store_a, cast["owner"], at(4, 11), dt.date(2026, 4, 30), [quick])
    finish(fixed, at(4, 20))
    late = action(store_a, cast["owner"], at(4, 13), dt.date(2026, 5, 30), [slow])
    finish(late, at(5, 30))
    context = page(client_as).context
    april = next(m for m in context["months"] if m["month"] == dt.date(2026, 4, 1))
    # quick (in time), slow (late), original (no action): 1 of 3.
    assert (april["issues"], april["acted"]) == (3, 1)
    assert context["issues"] == 3
    assert context["acted_share"] == pytest.approx(1 / 3)
    assert len(context["months"]) == 12


def test_page_is_cached_briefly_then_current(client_as, now, cast, crafted):
    assert "The fitting rooms were locked." in page(client_as).content.decode()
    Action.objects.update(is_published=False)
    # Within the minute the cached copy answers; after it, the change shows.
    with time_machine.travel(now + dt.timedelta(seconds=30), tick=False):
        assert "The fitting rooms were locked." in page(client_as).content.decode()
    with time_machine.travel(now + dt.timedelta(seconds=61), tick=False):
        assert "The fitting rooms were locked." not in page(client_as).content.decode()


def test_promise_chart_has_a_text_alternative(client_as, now, cast, crafted):
    body = page(client_as).content.decode()
    assert body.count('role="img"') == 1
    assert "<title id=" in body
    assert "May 2026: 50%" in body  # o1 in time, o3 not: see the public figures test
    assert "style=" not in body


def test_header_and_heading_name_the_organisation_not_the_tool(client_as, settings, db):
    settings.ORGANISATION_NAME = "Briggate Goods"
    body = page(client_as).content.decode()
    brand = body.split('class="navbar-brand', 1)[1].split("</a>", 1)[0]
    assert "Briggate Goods" in brand
    assert settings.SITE_NAME not in brand
    assert "Briggate Goods: you said, we did" in body


def test_each_fix_says_which_team_made_it(client_as, now, cast, crafted):
    body = page(client_as).content.decode()
    assert ">Store A</a>, May 2026" in body


def test_counts_say_what_they_count(client_as, now, cast, crafted):
    body = page(client_as).content.decode()
    assert "our managers met as customers in the last 12 months" in body
    assert "put right within 30 days" in body
    assert "made and checked, described below" in body


def test_months_without_data_are_marked_not_drawn_as_zero(client_as, now, cast, crafted):
    context = page(client_as).context
    january = next(m for m in context["months"] if m["month"] == dt.date(2026, 1, 1))
    assert january["share"] is None
    body = page(client_as).content.decode()
    assert "January 2026: no data" in body  # the chart's text alternative
    assert ">n/a</text>" in body  # the mark drawn in place of a bar
    assert '<td class="text-end">no data</td>' in body
