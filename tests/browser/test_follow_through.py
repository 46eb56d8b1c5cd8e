"""Follow-through on a laptop: three actions verified from the queue, the policy pages and
an action's time in status, each page axe clean."""

import pytest
from django.contrib.auth.models import Group

from immersion.models import Role
from insights.models import Action, ServicePolicy
from tests import factories
from tests.browser.conftest import DESKTOP, assert_accessible, login
from tests.insights.helpers import done

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    # A transactional test empties every table afterwards, the role groups included.
    for role in Role:
        Group.objects.get_or_create(name=role.label)


@pytest.fixture
def laptop(new_page):
    return new_page(**DESKTOP)


def test_a_cx_lead_verifies_three_actions_from_the_queue_one_after_another(
    laptop, cx_lead, owner, store_a
):
    actions = []
    for number in range(3):
        action = factories.ActionFactory(
            owner=owner, team=store_a, created_by=cx_lead, title=f"Fix number {number}"
        )
        actions.append(done(action, owner))
    login(laptop, cx_lead)

    laptop.goto("/")
    laptop.get_by_role("link", name="Check the evidence").click()
    laptop.wait_for_url("**/insights/verify/")
    assert_accessible(laptop)
    for action in actions:
        assert laptop.get_by_role("heading", name=action.title).is_visible()
        laptop.get_by_role("button", name="Verify it was done").click()
        laptop.wait_for_load_state()
        assert laptop.get_by_text(f"Verified \u201c{action.title}\u201d.").is_visible()

    assert laptop.get_by_text("Nothing is waiting for you to verify.").is_visible()
    assert set(Action.objects.values_list("status", flat=True)) == {Action.Status.VERIFIED}


def test_sending_back_without_a_reason_says_why_on_the_page(laptop, cx_lead, owner, store_a):
    done(factories.ActionFactory(owner=owner, team=store_a, created_by=cx_lead), owner)
    login(laptop, cx_lead)

    laptop.goto("/insights/verify/")
    laptop.get_by_role("button", name="Send back to the owner").click()

    assert laptop.get_by_text("Say why it goes back to the owner.").first.is_visible()
    assert_accessible(laptop)


def test_a_top_level_cx_lead_changes_a_policy(laptop, cx_lead):
    login(laptop, cx_lead)

    laptop.goto("/insights/policies/")
    assert_accessible(laptop)
    laptop.get_by_role("link", name="Change the high policy").click()
    assert_accessible(laptop)
    laptop.get_by_label("Days to the due date").fill("5")
    laptop.get_by_role("button", name="Save the policy").click()
    laptop.wait_for_url("**/insights/policies/")

    assert ServicePolicy.objects.get(priority=Action.Priority.HIGH).days_to_due == 5


def test_an_action_page_with_its_time_in_status_is_accessible(laptop, cx_lead, owner, store_a):
    action = done(factories.ActionFactory(owner=owner, team=store_a, created_by=cx_lead), owner)
    login(laptop, cx_lead)

    laptop.goto(f"/insights/actions/{action.pk}/")

    assert laptop.get_by_role("heading", name="Time in each status").is_visible()
    assert_accessible(laptop)
