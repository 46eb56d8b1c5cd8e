"""The capture page at 360 x 740: the shortest observation, photos added not replaced,
the kind following the feeling, and Undo or Edit right after saving."""

import io

import pytest
from PIL import Image

from journal.models import Observation
from tests import factories
from tests.browser.conftest import PHONE, artifacts_dir, assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def photo(colour: str) -> dict:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), colour).save(out, "JPEG", quality=90)
    return {"name": f"IMG_{colour}.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


@pytest.fixture
def session(manager, store_a):
    walk = factories.SessionFactory(team=store_a, lead=manager)
    walk.start(by=manager)
    return walk


@pytest.fixture
def capture_page(page, manager, session):
    login(page, manager)
    page.goto(f"/journal/sessions/{session.pk}/capture/")
    page.wait_for_selector("#capture-form[data-ready]")
    return page


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_save_is_in_reach_from_the_first_screen_and_three_taps_save(capture_page, session):
    page = capture_page
    save = page.get_by_role("button", name="Save observation")
    page.screenshot(path=str(artifacts_dir() / "capture-first-screen-phone.png"))
    assert in_view(page, save)

    page.get_by_label("Signage").tap()
    page.get_by_label("Delighted").tap()
    assert in_view(page, save)
    page.get_by_label("What happened?").fill("A colleague walked the customer to the lift.")
    save.tap()
    page.wait_for_url("**/capture/?saved=1&observation=*")

    observation = Observation.objects.get()
    assert (observation.kind, observation.impact) == (Observation.Kind.DELIGHT, "")


def test_the_kind_follows_the_feeling_until_the_manager_picks_one(capture_page):
    page = capture_page
    note = page.locator("#kind-note")

    page.get_by_label("Happy").check()
    assert note.inner_text() == "Kind: Delight, from the feeling. Change it under More detail."
    page.get_by_label("Angry").check()
    assert note.inner_text().startswith("Kind: Pain point, from the feeling.")
    page.get_by_label("Indifferent").check()
    assert note.inner_text() == "Choose the kind under More detail: this feeling does not say."

    page.get_by_text("More detail: strength").click()
    page.get_by_label("Idea").check()
    page.get_by_label("Delighted").check()
    assert page.get_by_label("Idea").is_checked()
    assert note.inner_text() == "Kind: Idea."
    assert_accessible(page)


def test_camera_shots_and_gallery_picks_add_up_and_can_be_removed(capture_page):
    page = capture_page
    camera = page.locator("#photo-camera")
    gallery = page.locator("#photo-gallery")
    assert camera.get_attribute("capture") == "environment"
    assert gallery.get_attribute("capture") is None
    assert gallery.get_attribute("multiple") is not None

    camera.set_input_files([photo("red")])
    page.get_by_text("1 of 10 photos added.").wait_for()
    gallery.set_input_files([photo("green"), photo("blue")])
    page.get_by_text("3 of 10 photos added.").wait_for()
    page.get_by_role("button", name="Remove photo 2").click()

    page.get_by_text("2 of 10 photos added.").wait_for()
    assert page.locator("#photo-previews img").count() == 2
    page.screenshot(path=str(artifacts_dir() / "capture-photos-phone.png"), full_page=True)
    assert_accessible(page)


def test_no_more_photos_than_an_observation_takes(capture_page, settings):
    page = capture_page
    page.locator("#photo-gallery").set_input_files([photo(c) for c in ("red", "green")])
    page.get_by_text("2 of 10 photos added.").wait_for()
    page.evaluate("() => { document.getElementById('capture-form').dataset.maxPhotos = 10; }")

    colours = ["navy", "olive", "maroon", "purple", "teal", "silver", "lime", "aqua", "fuchsia"]
    page.locator("#photo-gallery").set_input_files([photo(c) for c in colours])

    page.get_by_text("Only 10 photos fit in one observation.").wait_for()
    page.wait_for_function("() => document.querySelectorAll('#photo-previews img').length === 10")
    assert page.locator("#photo-gallery").is_disabled()


def test_undo_right_after_saving_deletes_it_and_edit_opens_it(capture_page, session):
    page = capture_page
    page.get_by_label("Signage").check()
    page.get_by_label("Confused").check()
    page.get_by_label("What happened?").fill("Lift sign points at a staff door.")
    page.get_by_role("button", name="Save observation").click()
    page.wait_for_url("**/capture/?saved=1&observation=*")
    screenshot(page, "capture-saved-undo-phone")
    assert_accessible(page)

    page.get_by_role("link", name="Edit it").click()
    page.wait_for_url("**/edit/")
    page.go_back()
    page.get_by_role("button", name="Undo").click()
    page.get_by_text("Observation deleted.").wait_for()

    assert page.url.endswith(f"/journal/sessions/{session.pk}/capture/")
    assert not Observation.objects.exists()


def test_a_planned_session_offers_its_start_before_the_form(page, manager, store_a):
    planned = factories.SessionFactory(team=store_a, lead=manager)
    login(page, manager)
    page.goto(f"/journal/sessions/{planned.pk}/capture/")

    assert page.get_by_role("button", name="Start the session").is_visible()
    assert not page.locator("#capture-form").is_visible()
    assert_accessible(page)


def test_a_phone_short_of_space_is_told_before_typing(page, manager, session):
    page.add_init_script(
        "navigator.storage.estimate = () => Promise.resolve({quota: 40e6, usage: 30e6});"
    )
    login(page, manager)
    page.goto(f"/journal/sessions/{session.pk}/capture/")

    warning = page.get_by_role("alert").filter(has_text="MB left for this app")
    warning.wait_for()
    assert "This phone has only 9 MB left" in warning.inner_text()
    assert page.get_by_label("What happened?").input_value() == ""
    assert_accessible(page)
