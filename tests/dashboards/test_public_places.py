"""Each place's public page, its poster with QR codes, the Atom feeds, and the logo."""

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import segno
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from insights.customer_reports import file_report
from insights.models import Promise
from tests import factories
from tests.dashboards.conftest import action, at, finish

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def place_url(team):
    return reverse("insights:public-place", args=[team.pk])


def get(client_as, url):
    response = client_as(None).get(url)
    assert response.status_code == 200
    return response


@pytest.fixture
def store_b_fix(now, cast, store_b):
    made = action(store_b, cast["owner"], at(5, 20), dt.date(2026, 6, 1))
    finish(
        made,
        at(5, 25),
        verified_at=at(5, 26),
        verifier=cast["cx_lead"],
        is_published=True,
        you_said="Nobody picked up the phone at lunch.",
        we_did="Calls at lunch now go to the next store.",
    )
    return made


def promise_of(team, title, cx_lead):
    made = Promise.objects.create(team=team)
    made.revise(
        by=cx_lead,
        title=title,
        can_count_on="Something you can count on.",
        we_expect="Tell us where.",
        if_we_fail="We put it right.",
        answer_within_days=2,
        put_right_within_days=10,
    )
    return made


def test_a_places_page_shows_its_own_fixes_only(client_as, now, cast, crafted, store_a,
                                                store_b_fix):  # fmt: skip
    body = get(client_as, place_url(store_a)).content.decode()

    assert "The fitting rooms were locked." in body
    assert "Nobody picked up the phone at lunch." not in body


def test_a_regions_page_gathers_the_fixes_of_its_places(client_as, now, cast, crafted, region,
                                                        store_b_fix):  # fmt: skip
    body = get(client_as, place_url(region)).content.decode()

    assert "The fitting rooms were locked." in body
    assert "Nobody picked up the phone at lunch." in body


def test_a_places_page_is_headed_with_the_organisation_and_the_place(client_as, settings,
                                                                     store_a):  # fmt: skip
    settings.ORGANISATION_NAME = "Briggate Goods"

    body = get(client_as, place_url(store_a)).content.decode()

    assert f"Briggate Goods, {store_a.name}: you said, we did" in body


def test_a_places_report_button_opens_the_form_for_that_place(client_as, store_a):
    body = get(client_as, place_url(store_a)).content.decode()

    assert f'href="{reverse("insights:tell-us-team", args=[store_a.pk])}"' in body


def test_an_unknown_place_is_not_found(client_as, db):
    assert client_as(None).get(reverse("insights:public-place", args=[9999])).status_code == 404


def test_a_place_shows_everyones_promises_its_own_and_its_regions_not_another_stores(
    client_as, cx_lead, region, store_a, store_b
):
    promise_of(None, "For everyone", cx_lead)
    promise_of(region, "For the region", cx_lead)
    promise_of(store_a, "For store A", cx_lead)
    promise_of(store_b, "For store B", cx_lead)

    body = get(client_as, place_url(store_a)).content.decode()

    assert "For everyone" in body
    assert "For the region" in body
    assert "For store A" in body
    assert "For store B" not in body


def test_a_places_promise_figures_count_only_its_own_reports(client_as, cx_lead, store_a,
                                                            store_b):  # fmt: skip
    promise = promise_of(None, "For everyone", cx_lead)
    for team in (store_a, store_b, store_b):
        report = file_report(
            team=team,
            what_happened="Nobody came to the desk.",
            touchpoint="store",
            happened_on=timezone.localdate(),
            contact="",
            promise_version=promise.current,
        )
        report.created_at -= dt.timedelta(days=40)
        report.save(update_fields=["created_at"])

    context = get(client_as, place_url(store_a)).context
    months = context["customer_promises"][0]["months"]

    assert sum(month["answer_due"] for month in months) == 1


def test_the_organisations_page_lists_the_places_with_fixes(client_as, now, cast, crafted,
                                                           store_a, store_b):  # fmt: skip
    body = get(client_as, reverse("insights:public")).content.decode()

    section = body.split('id="h-places"', 1)[1]
    assert f'href="{place_url(store_a)}">{store_a.name}</a>' in section
    assert f'href="{place_url(store_b)}"' not in section


def test_the_poster_carries_qr_codes_of_the_places_form_and_page(client_as, settings, store_a):
    settings.SITE_URL = "https://tracker.example.com"

    body = get(client_as, reverse("insights:public-poster", args=[store_a.pk])).content.decode()

    for name in ("insights:tell-us-team", "insights:public-place"):
        url = "https://tracker.example.com" + reverse(name, args=[store_a.pk])
        drawn = segno.make(url, error="m").svg_inline(scale=8, border=2, omitsize=True)
        path = drawn.split(' d="', 1)[1].split('"', 1)[0]
        assert path in body
        assert url in body
    assert body.count('<svg role="img"') == 2


def test_the_poster_is_set_for_a4_and_carries_no_inline_script(client_as, store_a):
    body = get(client_as, reverse("insights:public-poster", args=[store_a.pk])).content.decode()

    css = Path(finders.find("css/poster.css")).read_text()

    assert "size: A4" in css
    assert "<script>" not in body


def test_the_logo_is_shown_on_public_pages_when_set(client_as, settings, store_a):
    settings.ORGANISATION_LOGO = "img/demo-logo.svg"

    for url in (
        reverse("insights:public"),
        place_url(store_a),
        reverse("insights:tell-us"),
        reverse("insights:public-poster", args=[store_a.pk]),
    ):
        assert "img/demo-logo" in get(client_as, url).content.decode(), url


def test_without_a_logo_the_name_stands_alone(client_as, settings, db):
    settings.ORGANISATION_LOGO = ""

    body = get(client_as, reverse("insights:public")).content.decode()

    assert "organisation-logo" not in body


def entries(client_as, url):
    response = get(client_as, url)
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - the site's own feed, in a test
    return feed.findall(f"{ATOM}entry")


def test_the_feed_lists_published_fixes_in_their_public_words_only(
    client_as, now, cast, crafted, store_b_fix
):
    found = entries(client_as, reverse("insights:public-feed"))

    texts = [ET.tostring(entry, encoding="unicode") for entry in found]
    assert len(found) == 2
    assert "Nobody picked up the phone at lunch." in texts[0]  # newest first
    assert "A colleague now stays by the fitting rooms all day." in texts[1]
    hidden = crafted["actions"][0]
    hidden.refresh_from_db()
    assert hidden.title
    assert hidden.evidence_note
    assert hidden.title not in "".join(texts)
    assert hidden.evidence_note not in "".join(texts)


def test_a_places_feed_lists_its_fixes_only(client_as, now, cast, crafted, store_a,
                                            store_b_fix):  # fmt: skip
    found = entries(client_as, reverse("insights:public-place-feed", args=[store_a.pk]))

    assert len(found) == 1
    link = found[0].find(f"{ATOM}link").get("href")
    assert link.endswith(f"{place_url(store_a)}#fix-{crafted['actions'][0].pk}")


def test_the_feed_leaves_out_unpublished_and_unverified_fixes(client_as, now, cast, crafted):
    factories.ActionFactory(is_published=False)

    assert len(entries(client_as, reverse("insights:public-feed"))) == 1


def test_public_pages_point_to_their_feed(client_as, store_a):
    body = get(client_as, place_url(store_a)).content.decode()

    feed = reverse("insights:public-place-feed", args=[store_a.pk])
    assert f'type="application/atom+xml" title="{store_a.name}: new changes" href="{feed}"' in body
