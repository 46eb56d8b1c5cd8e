"""The webhook pages: CX leads only, for the teams they reach; bad input refused whole."""

import pytest
from django.urls import reverse

from insights.models import Webhook, WebhookDelivery
from tests import factories

pytestmark = pytest.mark.django_db


def form(team, **overrides) -> dict:
    return {
        "name": "Store channel",
        "team": team.pk,
        "url": "https://hooks.example.com/immersion",
        "format": "slack",
        "events": ["action.overdue", "action.escalated"],
        "active": "on",
        **overrides,
    }


@pytest.fixture
def hook(store_a, cx_lead):
    return Webhook.objects.create(
        team=store_a, name="Ops", url="https://ops.example.com/in", events=["action.done"]
    )


@pytest.mark.parametrize("who", ["manager", "executive", "owner"])
def test_only_cx_leads_open_the_webhook_pages(client_as, cast, hook, who):
    client = client_as(cast[who])

    for url in (
        reverse("insights:webhook-list"),
        reverse("insights:webhook-create"),
        reverse("insights:webhook-detail", args=[hook.pk]),
    ):
        assert client.get(url).status_code == 403


def test_a_cx_lead_adds_a_webhook_and_sees_its_secret_once(client_as, cx_lead, store_a):
    client = client_as(cx_lead)

    response = client.post(reverse("insights:webhook-create"), form(store_a), follow=True)

    hook = Webhook.objects.get()
    assert (hook.team, hook.format, hook.created_by) == (store_a, "slack", cx_lead)
    assert hook.events == ["action.overdue", "action.escalated"]
    assert hook.secret in response.content.decode()
    again = client.get(reverse("insights:webhook-detail", args=[hook.pk]))
    assert hook.secret not in again.content.decode()


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"url": "http://hooks.example.com/in"}, "Use an https:// address"),
        ({"url": "not an address"}, "Give a whole web address"),
        ({"events": []}, "Choose at least one event"),
        ({"events": ["action.exploded"]}, "Select a valid choice"),
        ({"name": ""}, "Give the webhook a name"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    client_as, cx_lead, store_a, settings, bad, message
):
    settings.WEBHOOKS_ALLOW_HTTP = False

    response = client_as(cx_lead).post(reverse("insights:webhook-create"), form(store_a, **bad))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Webhook.objects.exists()


def test_a_team_out_of_reach_cannot_be_chosen(client_as, cx_lead):
    elsewhere = factories.TeamFactory(name="Other region")

    response = client_as(cx_lead).post(reverse("insights:webhook-create"), form(elsewhere))

    assert response.status_code == 400
    assert not Webhook.objects.exists()


def test_a_webhook_of_a_team_out_of_reach_is_not_found(client_as, store_b):
    theirs = Webhook.objects.create(team=store_b, name="B", url="https://b.example.com", events=[])
    lead_of_a = factories.CxLeadFactory(teams=[factories.TeamFactory(name="Store C")])
    client = client_as(lead_of_a)

    assert client.get(reverse("insights:webhook-detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("insights:webhook-ping", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("insights:webhook-rotate", args=[theirs.pk])).status_code == 404
    delivery = WebhookDelivery.objects.create(webhook=theirs, event="ping", payload={})
    assert client.post(reverse("insights:delivery-resend", args=[delivery.pk])).status_code == 404


def test_the_list_shows_only_webhooks_within_reach(client_as, cx_lead, hook):
    Webhook.objects.create(
        team=factories.TeamFactory(name="Far away"),
        name="Theirs",
        url="https://x.example",
        events=[],
    )

    html = client_as(cx_lead).get(reverse("insights:webhook-list")).content.decode()

    assert "Ops" in html
    assert "Theirs" not in html


def test_making_a_new_secret_replaces_the_old_one_and_shows_it_once(client_as, cx_lead, hook):
    old = hook.secret

    response = client_as(cx_lead).post(
        reverse("insights:webhook-rotate", args=[hook.pk]), follow=True
    )

    hook.refresh_from_db()
    assert hook.secret != old
    assert hook.secret in response.content.decode()


def test_sending_again_puts_a_failed_delivery_back_in_line(
    client_as, cx_lead, hook, django_capture_on_commit_callbacks
):
    delivery = WebhookDelivery.objects.create(
        webhook=hook, event="action.done", payload={}, state="failed", attempts=8
    )

    with django_capture_on_commit_callbacks() as queued:
        response = client_as(cx_lead).post(reverse("insights:delivery-resend", args=[delivery.pk]))

    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("pending", 0)
    assert len(queued) == 1


def test_a_test_event_is_recorded_for_the_webhook(
    client_as, cx_lead, hook, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        client_as(cx_lead).post(reverse("insights:webhook-ping", args=[hook.pk]))

    ping = WebhookDelivery.objects.get()
    assert (ping.webhook, ping.event) == (hook, "ping")
    assert "this webhook works" in ping.payload["data"]["message"]


def test_editing_pauses_a_webhook(client_as, cx_lead, hook, store_a):
    data = form(store_a, name="Ops", events=["action.done"])
    del data["active"]

    response = client_as(cx_lead).post(reverse("insights:webhook-edit", args=[hook.pk]), data)

    assert response.status_code == 302
    hook.refresh_from_db()
    assert not hook.active


def test_the_webhook_page_costs_the_same_with_many_deliveries(
    client_as, cx_lead, hook, django_assert_max_num_queries
):
    client = client_as(cx_lead)
    url = reverse("insights:webhook-detail", args=[hook.pk])
    WebhookDelivery.objects.create(webhook=hook, event="ping", payload={})
    with django_assert_max_num_queries(50) as few:
        client.get(url)
    for _ in range(30):
        WebhookDelivery.objects.create(webhook=hook, event="ping", payload={})

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_list_costs_the_same_with_many_webhooks(
    client_as, cx_lead, store_a, django_assert_max_num_queries
):
    client = client_as(cx_lead)
    url = reverse("insights:webhook-list")
    Webhook.objects.create(team=store_a, name="One", url="https://a.example", events=[])
    with django_assert_max_num_queries(50) as few:
        client.get(url)
    for n in range(20):
        Webhook.objects.create(team=store_a, name=f"Hook {n}", url="https://a.example", events=[])

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
