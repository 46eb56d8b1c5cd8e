"""A CX lead adds a chat webhook on a phone, sees its secret once, and sends a test event."""

import pytest

from insights.models import Webhook, WebhookDelivery
from tests.browser.conftest import assert_accessible, login, screenshot
from tests.insights.receiver import Receiver

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_cx_lead_adds_a_webhook_and_tests_it_from_a_phone(page, cx_lead, store_a):
    login(page, cx_lead)
    page.goto("/insights/webhooks/")
    assert_accessible(page)
    page.get_by_role("link", name="Add a webhook").click()
    with Receiver() as receiver:
        page.get_by_label("Name").fill("Store A channel")
        page.get_by_label("Team (and the teams below it)").select_option(label=str(store_a))
        page.get_by_label("Address to send to").fill(receiver.url)
        page.get_by_label("An action was escalated").check()
        assert_accessible(page)
        page.get_by_role("button", name="Save").click()

        hook = Webhook.objects.get()
        assert page.get_by_text(hook.secret).is_visible()
        screenshot(page, "webhook-created-phone")
        assert_accessible(page)
        page.get_by_role("button", name="Send a test event").click()
        page.get_by_role("rowheader", name="ping").wait_for()

    assert WebhookDelivery.objects.get().state == WebhookDelivery.State.SENT
    assert receiver.received[0].signed_with(hook.secret)
    assert not page.get_by_text(hook.secret).is_visible()
    assert_accessible(page)


def test_a_refused_form_says_what_to_fix(page, cx_lead, settings):
    settings.WEBHOOKS_ALLOW_HTTP = False
    login(page, cx_lead)
    page.goto("/insights/webhooks/new/")
    page.get_by_label("Name").fill("Plain")
    page.get_by_label("Address to send to").fill("http://example.com/in")
    page.get_by_role("button", name="Save").click()

    assert page.get_by_text("Use an https:// address").first.is_visible()
    assert page.get_by_text("Choose at least one event").first.is_visible()
    assert_accessible(page)
