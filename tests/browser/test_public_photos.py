"""Photos for the public page in Chromium at 360 px: a CX lead drags a box over the photo,
previews the blurred copy, publishes it, and the public page shows it; every page axe clean."""

import json

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from PIL import Image
from skimage import data

from immersion.models import Role
from insights.models import Action, PublicPhoto
from tests import factories
from tests.browser.conftest import PHONE, assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)
ALT = "A shopper waiting by the locked fitting rooms, face blurred."


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    # A transactional test empties every table afterwards, the role groups included.
    for role in Role:
        Group.objects.get_or_create(name=role.label)


@pytest.fixture
def fix(manager, owner, cx_lead, store_a):
    """A verified, published fix whose observation came with a photo of a face."""
    session = factories.SessionFactory(team=store_a, lead=manager)
    observation = factories.ObservationFactory(session=session)
    factories.PhotoFactory(
        image=Image.fromarray(data.astronaut()), observation=observation, uploaded_by=manager
    )
    action = Action.create(
        by=cx_lead,
        observations=[observation],
        title="Keep the fitting rooms open",
        owner=owner,
        team=store_a,
        due_on=timezone.localdate(),
    )
    action.start(by=owner)
    action.complete(by=owner, note="Opened and staffed every hour.")
    action.verify(by=cx_lead)
    action.edit(
        by=cx_lead,
        you_said="The fitting rooms were locked.",
        we_did="They stay open with a colleague nearby.",
        is_published=True,
    )
    return action


def drag(page, selector, start, end) -> None:
    """Drag across an element between two points given as shares of its size."""
    box = page.locator(selector).bounding_box()
    page.mouse.move(box["x"] + box["width"] * start[0], box["y"] + box["height"] * start[1])
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * end[0], box["y"] + box["height"] * end[1], steps=5)
    page.mouse.up()


def test_a_cx_lead_drags_a_box_previews_and_publishes_at_360_px(new_page, cx_lead, fix):
    page = new_page(**PHONE)
    login(page, cx_lead)
    page.goto(f"/insights/actions/{fix.pk}/")
    page.get_by_role("link", name="Photos for the public page").click()
    assert_accessible(page)
    screenshot(page, "public-photos-list-phone")

    page.get_by_role("link", name="Blur and preview before photo 1").click()
    page.locator(".blur-layer").wait_for()
    # The face found on its own is outlined before anything is drawn.
    assert page.locator(".blur-box-detected").count() >= 1
    drag(page, ".blur-layer", (0.6, 0.6), (0.9, 0.9))

    drawn = json.loads(page.get_by_label("Extra areas to blur").input_value())
    assert len(drawn) == 1
    left, top, width, height = drawn[0]
    # Dragged from 0.6 to 0.9 of the photo's width and height: pixels of the 512 px original.
    assert 280 < left < 340
    assert 280 < top < 340
    assert min(width, height) > 100
    assert page.get_by_role("status").filter(has_text="Box 1 added").is_visible()
    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state()
    preview = page.locator("img.blur-preview")
    assert "boxes=" in preview.get_attribute("src")
    assert page.evaluate("document.querySelector('img.blur-preview').naturalWidth") == 512
    assert page.locator(".blur-box-drawn").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    screenshot(page, "public-photo-preview-phone")

    page.get_by_label("What the photo shows").fill(ALT)
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(f"**/insights/actions/{fix.pk}/public-photos/")
    assert page.get_by_text("The before photo is on the public page.").is_visible()

    public = PublicPhoto.objects.get()
    assert public.drawn_boxes == drawn
    # A customer on their own phone, signed out.
    customer = new_page(**PHONE)
    customer.goto("/insights/you-said-we-did/")
    customer.get_by_role("img", name=ALT).scroll_into_view_if_needed()
    customer.wait_for_function(
        "alt => [...document.images].some(i => i.alt === alt && i.complete && i.naturalWidth)",
        arg=ALT,
    )
    assert customer.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(customer)
    screenshot(customer, "public-page-with-photo-phone")


def test_boxes_typed_without_dragging_are_checked_and_explained(page, cx_lead, fix):
    photo = fix.observations.get().photos.get()
    login(page, cx_lead)
    page.goto(f"/insights/actions/{fix.pk}/public-photos/{photo.pk}/")

    page.get_by_label("Extra areas to blur").fill("[[500, 500, 80, 80]]")
    page.get_by_role("button", name="Preview").click()

    assert page.get_by_text("Box 1 goes outside the photo").first.is_visible()
    assert_accessible(page)
    screenshot(page, "public-photo-bad-box-phone")
    page.get_by_label("Extra areas to blur").fill("[[300, 300, 80, 80]]")
    page.get_by_role("button", name="Preview").click()
    page.locator(".blur-box-drawn").wait_for()
    assert not PublicPhoto.objects.exists()


def test_removing_a_photo_takes_it_off_the_public_page(page, cx_lead, fix):
    photo = fix.observations.get().photos.get()
    PublicPhoto.publish(action=fix, photo=photo, by=cx_lead, drawn_boxes=[], alt_text=ALT)
    login(page, cx_lead)
    page.goto(f"/insights/actions/{fix.pk}/public-photos/{photo.pk}/")
    assert_accessible(page)

    page.get_by_role("button", name="Remove from the public page").click()
    page.wait_for_url(f"**/insights/actions/{fix.pk}/public-photos/")

    assert page.get_by_text("Not public").is_visible()
    page.goto("/insights/you-said-we-did/")
    assert page.get_by_role("img", name=ALT).count() == 0
