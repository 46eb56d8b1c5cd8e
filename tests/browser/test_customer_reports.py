"""A customer on their phone reads our promises, tells us we failed, and looks the report up."""

import re
from urllib.parse import urlsplit

import cv2
import numpy
import pytest
from django.core.cache import cache

from insights.models import Promise
from tests.browser.conftest import PHONE, assert_accessible, login, screenshot
from tests.insights.test_promises import WORDING


def decode_qr(png: bytes) -> str:
    image = cv2.imdecode(numpy.frombuffer(png, numpy.uint8), cv2.IMREAD_GRAYSCALE)
    text, _points, _code = cv2.QRCodeDetector().detectAndDecode(image)
    return text


@pytest.fixture
def promise(cx_lead, store_a, settings):
    # The browser is quicker than the time-to-fill check; it is tested in the unit suite.
    settings.CUSTOMER_REPORT_MIN_SECONDS = 0
    settings.ORGANISATION_NAME = "Briggate Goods"
    made = Promise.objects.create()
    made.revise(by=cx_lead, **{**WORDING, "title": "We answer within five days"})
    made.revise(by=cx_lead, **WORDING)
    return made


def test_the_public_page_shows_the_promise_at_360_px(new_page, promise):
    page = new_page(**PHONE)
    page.goto("/insights/you-said-we-did/")

    assert page.get_by_role("link", name="Briggate Goods").is_visible()
    assert page.get_by_role("heading", name=WORDING["title"]).is_visible()
    page.get_by_text("How we kept it, month by month").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "customers-public-phone")
    assert_accessible(page)


def test_earlier_versions_are_readable_at_360_px(new_page, promise):
    page = new_page(**PHONE)
    page.goto(f"/insights/you-said-we-did/promises/{promise.pk}/")

    assert page.get_by_role("heading", name="Version 1: We answer within five days").is_visible()
    screenshot(page, "customers-promise-versions-phone")
    assert_accessible(page)


def test_a_customer_reports_a_failure_and_looks_it_up(new_page, promise, store_a):
    page = new_page(**PHONE)
    page.goto("/insights/you-said-we-did/")
    page.get_by_role("link", name="Tell us we broke this promise").click()

    assert page.get_by_label("Which of our promises did we break?").input_value() != ""
    page.get_by_label("Where did it happen?").select_option(label=store_a.name)
    page.get_by_label("What was it about?").select_option(label="In a store")
    page.get_by_label("What happened?").fill("Nobody was at the collection desk.")
    page.get_by_label("When did it happen?").fill("2026-01-10")
    page.get_by_label("How can we reach you? (optional)").fill("me@example.com")
    screenshot(page, "customers-tell-us-phone")
    assert_accessible(page)
    page.get_by_role("button", name="Send my report").click()

    assert page.get_by_role("heading", name="Thank you: we have your report").is_visible()
    reference = page.locator(".report-reference").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", reference)
    screenshot(page, "customers-report-sent-phone")
    assert_accessible(page)

    page.goto("/insights/tell-us/status/")
    page.get_by_label("Your reference").fill(reference.lower())
    page.get_by_role("button", name="Look it up").click()
    assert page.locator(".report-status").inner_text().startswith("Received")


def test_the_form_shows_what_is_missing_at_360_px(new_page, promise):
    page = new_page(**PHONE)
    page.goto("/insights/tell-us/")
    page.get_by_role("button", name="Send my report").click()

    assert page.get_by_text("Tell us what happened.").first.is_visible()
    screenshot(page, "customers-tell-us-errors-phone")
    assert_accessible(page)


def test_an_unknown_reference_is_explained_at_360_px(new_page, db):
    page = new_page(**PHONE)
    page.goto("/insights/tell-us/status/?reference=ZZZZ-9999")

    assert page.get_by_text("We have no report with this reference").first.is_visible()
    screenshot(page, "customers-status-unknown-phone")
    assert_accessible(page)


def test_a_cx_lead_changes_a_promise_into_a_new_version(new_page, promise, cx_lead):
    page = new_page(**PHONE)
    login(page, cx_lead)
    page.goto("/insights/promises/")
    screenshot(page, "customers-promise-list-phone")
    assert_accessible(page)
    page.get_by_role("link", name="Change it (new version)").click()
    page.get_by_label("Title").fill("We answer within a day")
    page.get_by_label("We answer within (days)").fill("0")
    page.get_by_role("button", name="Publish").click()
    assert page.get_by_text("Give at least one day.").first.is_visible()
    screenshot(page, "customers-promise-form-errors-phone")
    assert_accessible(page)
    page.get_by_label("We answer within (days)").fill("1")
    page.get_by_role("button", name="Publish").click()

    assert page.get_by_text("Version 3 of “We answer within a day” published.").is_visible()


def test_a_customer_follows_a_places_poster_to_its_form_and_reports(
    new_page, promise, store_a, settings
):
    settings.ORGANISATION_LOGO = "img/demo-logo.svg"
    page = new_page(**PHONE)
    page.goto(f"/insights/you-said-we-did/places/{store_a.pk}/poster/")

    assert page.get_by_role("heading", name=store_a.name).is_visible()
    code = page.get_by_role("img", name=f"Tell {store_a.name} we failed")
    # The printed code, read as a phone's camera would: it opens this place's report form.
    scanned = decode_qr(code.screenshot())
    assert urlsplit(scanned).path == f"/insights/tell-us/{store_a.pk}/"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "customers-poster-phone")
    assert_accessible(page)
    page.get_by_role("link", name=f"Back to the page for {store_a.name}").click()

    assert page.get_by_role(
        "heading", name=f"Briggate Goods, {store_a.name}: you said, we did"
    ).is_visible()
    screenshot(page, "customers-place-phone")
    assert_accessible(page)
    page.get_by_role("link", name=f"Tell us we failed at {store_a.name}").click()
    assert page.get_by_label("Where did it happen?").input_value() == str(store_a.pk)
    page.get_by_label("What was it about?").select_option(label="In a store")
    page.get_by_label("What happened?").fill("The lift to the first floor was out of order.")
    page.get_by_label("When did it happen?").fill("2026-01-10")
    page.get_by_role("button", name="Send my report").click()

    reference = page.locator(".report-reference").inner_text()
    page.goto(f"/insights/tell-us/status/?reference={reference}")
    assert page.locator(".report-status").inner_text().startswith("Received")


def test_a_french_customer_reads_the_promise_and_reports_in_french(new_page, promise, store_a):
    page = new_page(**PHONE, locale="fr-FR")
    page.goto("/insights/you-said-we-did/")

    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", name="Nos promesses envers vous").is_visible()
    screenshot(page, "customers-public-phone-fr")
    assert_accessible(page)
    page.get_by_role("link", name="Dites-nous que nous n’avons pas tenu cette promesse").click()
    page.get_by_label("Où cela s’est-il passé ?").select_option(label=store_a.name)
    page.get_by_label("De quoi s’agissait-il ?").select_option(label="Dans un magasin")
    page.get_by_label("Que s’est-il passé ?").fill("Personne au comptoir de retrait.")
    page.get_by_label("Quand cela s’est-il passé ?").fill("2026-01-10")
    page.get_by_role("button", name="Envoyer mon signalement").click()

    assert page.get_by_role(
        "heading", name="Merci : nous avons reçu votre signalement"
    ).is_visible()
    assert page.locator(".report-status").inner_text().startswith("Reçu")
    assert_accessible(page)


def test_the_page_for_too_many_reports_is_accessible_at_360_px(new_page, promise, settings):
    settings.CUSTOMER_REPORT_ADDRESS_LIMIT = 1
    cache.clear()  # earlier posts from this address must not count
    page = new_page(**PHONE)
    page.goto("/insights/tell-us/")
    for _ in range(2):
        page.get_by_role("button", name="Send my report").click()

    assert page.get_by_role("heading", name="Too many reports at once").is_visible()
    screenshot(page, "customers-too-many-phone")
    assert_accessible(page)
