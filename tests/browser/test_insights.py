"""The follow-up journey in a real browser: seen on a phone, triaged on a laptop, done, verified."""

import io

import pytest
from django.contrib.auth.models import Group
from PIL import Image

from immersion.models import Role
from insights.models import Action
from journal.models import Observation
from tests import factories
from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, login, screenshot
from tests.insights.helpers import in_days

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    # A transactional test empties every table afterwards, the role groups included.
    for role in Role:
        Group.objects.get_or_create(name=role.label)


def camera_photo(colour: str) -> dict:
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), colour).save(out, "JPEG", quality=90)
    return {"name": f"IMG_{colour}.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


@pytest.fixture
def walk(manager, store_a):
    session = factories.SessionFactory(team=store_a, lead=manager)
    session.start(by=manager)
    return session


def test_seen_on_a_phone_triaged_on_a_laptop_done_with_a_photo_and_verified(
    new_page, manager, cx_lead, owner, walk
):
    # A manager logs what they saw, on a phone, with a photo.
    phone = new_page(**PHONE)
    login(phone, manager)
    phone.goto(f"/journal/sessions/{walk.pk}/capture/")
    phone.get_by_label("Store", exact=True).check()
    phone.get_by_label("Frustrated").check()
    phone.get_by_label("What happened?").fill("The fitting rooms were locked, nobody to ask.")
    phone.set_input_files("#photo-camera", [camera_photo("red")])
    phone.get_by_role("button", name="Save observation").click()
    phone.wait_for_url("**/capture/?saved=1&observation=*")
    observation = Observation.objects.get()

    # The CX lead triages it on a laptop, from the queue, into an action for the owner.
    laptop = new_page(**DESKTOP)
    login(laptop, cx_lead)
    laptop.goto("/insights/triage/")
    assert laptop.get_by_text(
        "The fitting rooms were locked, nobody to ask.", exact=True
    ).is_visible()
    screenshot(laptop, "insights-triage-queue-laptop")
    assert_accessible(laptop)
    laptop.get_by_role("link", name=f"Triage #{observation.pk}").click()
    laptop.wait_for_url(f"**/insights/triage/{observation.pk}/")
    laptop.keyboard.press("n")
    title = laptop.get_by_label("Title")
    assert title.evaluate("el => el === document.activeElement")
    title.fill("Keep a fitting-room attendant on the floor")
    laptop.get_by_label("Owner").select_option(str(owner.pk))
    laptop.get_by_label("Due date").fill(in_days(7).isoformat())
    laptop.get_by_label("Priority").select_option(label="High")
    screenshot(laptop, "insights-triage-observation-laptop")
    assert_accessible(laptop)
    laptop.get_by_role("button", name="Create action").click()
    laptop.get_by_text("created for").wait_for()
    action = Action.objects.get()
    assert list(action.observations.all()) == [observation]
    assert action.owner == owner

    # The owner starts it and completes it with a photo from the phone camera.
    owner_phone = new_page(**PHONE)
    login(owner_phone, owner)
    owner_phone.goto("/insights/actions/mine/")
    screenshot(owner_phone, "insights-my-actions-phone")
    assert_accessible(owner_phone)
    owner_phone.get_by_role("button", name="Start Keep a fitting-room attendant").click()
    owner_phone.get_by_text("Marked as in progress.").wait_for()
    owner_phone.goto("/insights/actions/mine/")
    owner_phone.get_by_role("link", name="Complete with evidence").click()
    owner_phone.get_by_label("What was done").fill("An attendant is rostered every weekend hour.")
    owner_phone.set_input_files('input[name="photos"]', [camera_photo("green")])
    screenshot(owner_phone, "insights-complete-phone")
    assert_accessible(owner_phone)
    owner_phone.get_by_role("button", name="Mark as done").click()
    owner_phone.get_by_text("the CX lead will check the evidence").wait_for()
    assert not owner_phone.get_by_role("button", name="Verify it was done").count()
    screenshot(owner_phone, "insights-action-done-owner-phone")
    assert_accessible(owner_phone)

    # The CX lead checks the evidence and verifies it.
    laptop.goto(f"/insights/actions/{action.pk}/")
    assert laptop.get_by_text("An attendant is rostered every weekend hour.").first.is_visible()
    laptop.get_by_role("button", name="Verify it was done").click()
    laptop.get_by_text("Verified.").wait_for()
    screenshot(laptop, "insights-action-verified-laptop")
    assert_accessible(laptop)

    action.refresh_from_db()
    assert action.status == Action.Status.VERIFIED
    assert action.verified_by == cx_lead
    assert action.evidence_photos.count() == 1
    assert list(action.events.values_list("kind", flat=True)) == [
        "created", "status", "status", "status",
    ]  # fmt: skip


def test_triage_with_a_past_due_date_says_so_on_the_field(new_page, cx_lead, owner, walk):
    observation = factories.ObservationFactory(session=walk)
    laptop = new_page(**DESKTOP)
    login(laptop, cx_lead)
    laptop.goto(f"/insights/triage/{observation.pk}/")
    laptop.get_by_label("Owner").select_option(str(owner.pk))
    laptop.get_by_label("Due date").fill(in_days(-1).isoformat())
    laptop.get_by_role("button", name="Create action").click()

    assert (
        laptop.locator(".invalid-feedback")
        .get_by_text("The due date cannot be in the past.")
        .is_visible()
    )
    screenshot(laptop, "insights-triage-error-laptop")
    assert_accessible(laptop)
    assert not Action.objects.exists()


@pytest.mark.parametrize(("size", "label"), [(PHONE, "phone"), (DESKTOP, "laptop")])
def test_action_list_and_page_read_on_phone_and_laptop(
    new_page, executive, owner, cx_lead, store_a, walk, size, label
):
    for days in (-3, 2, 9):
        made = factories.ActionFactory(
            owner=owner, team=store_a, created_by=cx_lead, due_on=in_days(days)
        )
        made.observations.add(factories.ObservationFactory(session=walk))
    made.comment(by=owner, text="Waiting for the rota to be signed off.")
    page = new_page(**size)
    login(page, executive)
    page.goto("/insights/actions/")
    screenshot(page, f"insights-action-list-{label}")
    assert_accessible(page)
    page.get_by_role("link", name=made.title).click()
    assert page.get_by_text("Waiting for the rota to be signed off.").is_visible()
    assert not page.get_by_role("button", name="Start").count()
    screenshot(page, f"insights-action-page-{label}")
    assert_accessible(page)


def test_cx_lead_publishes_the_public_wording_and_reads_the_outcome(
    new_page, cx_lead, owner, store_a, walk
):
    observation = factories.ObservationFactory(session=walk)
    made = Action.create(
        by=cx_lead, observations=[observation], title="Unlock the fitting rooms",
        owner=owner, team=store_a, due_on=in_days(5),
    )  # fmt: skip
    laptop = new_page(**DESKTOP)
    login(laptop, cx_lead)
    laptop.goto(f"/insights/actions/{made.pk}/edit/")
    laptop.get_by_label("You said", exact=True).fill("The fitting rooms were locked.")
    laptop.get_by_label("Show on the public").check()
    laptop.get_by_role("button", name="Save changes").click()
    assert laptop.locator(".invalid-feedback").get_by_text("before publishing").is_visible()
    screenshot(laptop, "insights-action-edit-error-laptop")
    assert_accessible(laptop)

    laptop.get_by_label("We did", exact=True).fill("Someone now looks after them all day.")
    laptop.get_by_role("button", name="Save changes").click()
    laptop.get_by_text("Changes saved.").wait_for()
    assert laptop.get_by_text("Publication changed").is_visible()

    laptop.goto(f"/insights/triage/{observation.pk}/")
    assert laptop.get_by_role("link", name="Unlock the fitting rooms").is_visible()
    screenshot(laptop, "insights-observation-outcome-laptop")
    assert_accessible(laptop)
