"""The capture page on a phone: photos shrunk in the browser, progress, a safe retry."""

import io

import pytest
from PIL import Image

from journal.models import Observation, Photo
from tests import factories
from tests.browser.conftest import assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def camera_photo(colour: str) -> dict:
    """A 6-megapixel JPEG, as a phone camera would hand it over."""
    out = io.BytesIO()
    Image.new("RGB", (3000, 2000), colour).save(out, "JPEG", quality=92)
    return {"name": f"IMG_{colour}.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


@pytest.fixture
def session(manager, store_a):
    persona = factories.PersonaFactory(name="Parent with a buggy")
    planned = factories.SessionFactory(team=store_a, lead=manager, persona=persona)
    planned.start(by=manager)
    return planned


def fill_observation(page):
    page.get_by_label("Signage").check()
    page.get_by_label("Confused").check()
    page.get_by_text("More detail: strength").click()
    page.get_by_label("4", exact=True).check()
    page.get_by_label("What happened?").fill("The lift sign points to a door marked staff only.")
    page.get_by_label("The customer's words").fill("Where is the lift, then?")


def test_manager_captures_an_observation_with_two_photos_on_a_phone(page, manager, session):
    login(page, manager)
    page.goto(f"/journal/sessions/{session.pk}/capture/")
    screenshot(page, "journal-capture-phone")
    assert_accessible(page)

    fill_observation(page)
    page.set_input_files("#photo-camera", [camera_photo("red")])
    page.set_input_files("#photo-gallery", [camera_photo("blue")])
    page.get_by_role("img", name="Photo 2").wait_for()

    # The first answer is lost on the way back: the server stored it, the phone never heard.
    def lose_the_answer(route):
        route.fetch()
        route.abort()

    page.route("**/capture/", lose_the_answer)
    page.get_by_role("button", name="Save observation").click()
    page.locator("#kept-banner").filter(has_text="Kept on this phone.").wait_for()
    assert page.locator("#sync-state-text").inner_text().startswith("1 observation waiting")
    screenshot(page, "journal-capture-retry-phone")
    page.unroute("**/capture/")

    # The signal comes back: the same observation is sent again, and stored once.
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.locator("#sync-state-text").filter(has_text="All saved").wait_for()
    page.goto(f"/journal/sessions/{session.pk}/capture/")

    assert page.get_by_label("What happened?").input_value() == ""
    thumbnails = page.locator('img[src*="/thumbnail/"]')
    assert thumbnails.count() == 2
    thumbnails.last.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('img[src*=\"/thumbnail/\"]')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )
    screenshot(page, "journal-capture-saved-phone")
    assert_accessible(page)

    observation = Observation.objects.get()
    assert observation.author == manager
    photos = list(Photo.objects.filter(observation=observation))
    assert len(photos) == 2
    # Shrunk on the phone before upload: longest side 2048 px instead of 3000.
    assert {(p.width, p.height) for p in photos} == {(2048, 1365)}
    # The canvas dropped the EXIF; the files' own time was sent in its place.
    assert all(p.captured_at is not None for p in photos)


def test_invalid_capture_keeps_what_was_typed_and_says_what_to_fix(page, manager, session):
    login(page, manager)
    page.goto(f"/journal/sessions/{session.pk}/capture/")
    page.get_by_label("What happened?").fill("Queue out of the door")
    page.get_by_label("Signage").check()
    page.get_by_label("Confused").check()
    page.set_input_files(
        "#photo-gallery",
        [{"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"not a photo at all"}],
    )
    page.get_by_text("1 of 10 photos added.").wait_for()

    page.get_by_role("button", name="Save observation").click()

    summary = page.get_by_role("alert").filter(has_text="Nothing was saved")
    summary.wait_for()
    assert "notes.jpg: this is not a JPEG, PNG, WebP or HEIC photo" in summary.inner_text()
    assert page.get_by_label("What happened?").input_value() == "Queue out of the door"
    assert page.get_by_role("button", name="Save observation").is_enabled()
    screenshot(page, "journal-capture-errors-phone")
    assert_accessible(page)
    assert Observation.objects.count() == 0


def test_cx_lead_searches_the_journal_and_opens_an_observation(page, cx_lead, manager, session):
    factories.ObservationFactory(
        session=session, author=manager, what_happened="Fitting rooms locked at noon"
    )
    factories.ObservationFactory(session=session, author=manager, what_happened="Lift broken")
    login(page, cx_lead)
    page.goto("/journal/")
    screenshot(page, "journal-list-phone")
    assert_accessible(page)

    page.get_by_label("Search the journal").fill("fitting")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("link", name="Fitting rooms locked at noon").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Fitting rooms locked at noon"
    assert page.get_by_text("Parent with a buggy").is_visible()
    screenshot(page, "journal-detail-phone")
    assert_accessible(page)


def test_saving_twice_in_a_row_sends_one_observation(page, manager, session):
    login(page, manager)
    page.goto(f"/journal/sessions/{session.pk}/capture/")
    fill_observation(page)
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))

    # Two submissions before the first answer, as an impatient double tap makes.
    page.evaluate(
        "() => { const form = document.getElementById('capture-form');"
        " form.requestSubmit(); form.requestSubmit(); }"
    )
    page.wait_for_url("**/capture/?saved=1&observation=*")

    assert len(posts) == 1
    assert Observation.objects.count() == 1
    assert page.get_by_text("You have logged 1 observation in this session.").is_visible()


def test_the_author_edits_then_deletes_an_observation_on_a_phone(page, manager, session):
    observation = factories.ObservationFactory(
        session=session, author=manager, what_happened="Trolley bay blocked"
    )
    login(page, manager)
    page.goto(f"/journal/observations/{observation.pk}/edit/")
    assert_accessible(page)
    page.get_by_label("Staff").check()
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Observation updated.").wait_for()

    page.get_by_role("link", name="Delete").click()
    screenshot(page, "journal-delete-phone")
    assert_accessible(page)
    page.get_by_label("Why?").fill("Logged in the wrong session")
    page.get_by_role("button", name="Delete observation").click()
    page.get_by_text("Observation deleted.").wait_for()

    assert not Observation.objects.exists()
