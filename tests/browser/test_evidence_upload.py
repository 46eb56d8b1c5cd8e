"""Evidence photos for a finished action leave the phone as capture photos do."""

import io

import pytest
from django.contrib.auth.models import Group
from PIL import Image

from immersion.models import Role
from insights.models import Action
from tests import factories
from tests.browser.conftest import assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    for role in Role:
        Group.objects.get_or_create(name=role.label)


def camera_photo() -> dict:
    out = io.BytesIO()
    Image.new("RGB", (3000, 2000), "teal").save(out, "JPEG", quality=92)
    return {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def test_evidence_is_shrunk_shows_progress_and_survives_a_lost_upload(page, owner, store_a):
    action = factories.ActionFactory(owner=owner, team=store_a)
    action.start(by=owner)
    login(page, owner)
    page.goto(f"/insights/actions/{action.pk}/complete/")
    page.get_by_label("What was done").fill("The ramp is clear and marked.")
    page.set_input_files('input[name="photos"]', [camera_photo()])
    posts = []

    def lose_the_first(route):
        posts.append(route.request.post_data_buffer)
        if len(posts) == 1:
            route.abort()
        else:
            route.continue_()

    page.route("**/complete/", lose_the_first)
    page.get_by_role("button", name="Mark as done").click()
    retry = page.get_by_role("button", name="Retry upload")
    retry.wait_for()
    assert "did not get through" in page.locator(".upload-status").inner_text()
    assert page.locator("progress").is_visible()
    screenshot(page, "insights-complete-retry-phone")
    assert_accessible(page)

    retry.click()
    page.get_by_text("the CX lead will check the evidence").wait_for()

    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    photo = action.evidence_photos.get()
    # Shrunk on the phone: 2048 px on the longest side, as the capture page sends.
    assert (photo.width, photo.height) == (2048, 1365)
    assert len(posts) == 2
    assert len(posts[1]) < 1_000_000
