"""Webhooks, kept by CX leads for the teams they reach: register, see every delivery,
send one again, test, rotate the secret."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from immersion.access import role_required
from immersion.models import Role
from insights import webhooks
from insights.models import Webhook, WebhookDelivery, new_secret
from insights.webhook_forms import WebhookForm

SHOWN_DELIVERIES = 50
SHOW_ONCE = "webhook-shown-once"


def webhook_or_404(user, pk) -> Webhook:
    return get_object_or_404(
        Webhook.objects.select_related("team"), pk=pk, team_id__in=user.scope_team_ids
    )


@require_safe
@role_required(Role.CX_LEAD)
def webhook_list(request):
    hooks = Webhook.objects.filter(team_id__in=request.user.scope_team_ids).select_related("team")
    return render(request, "insights/webhook_list.html", {"webhooks": hooks})


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.CX_LEAD)
def webhook_create(request):
    form = WebhookForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            hook = form.save(commit=False)
            hook.created_by = request.user
            hook.save()
            request.session[SHOW_ONCE] = hook.pk
            messages.success(request, _("Webhook “%(name)s” saved.") % {"name": hook.name})
            return redirect("insights:webhook-detail", pk=hook.pk)
        return render(request, "insights/webhook_form.html", {"form": form}, status=400)
    return render(request, "insights/webhook_form.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.CX_LEAD)
def webhook_edit(request, pk):
    hook = webhook_or_404(request.user, pk)
    form = WebhookForm(request.POST or None, instance=hook, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Webhook “%(name)s” saved.") % {"name": hook.name})
            return redirect("insights:webhook-detail", pk=hook.pk)
        context = {"form": form, "webhook": hook}
        return render(request, "insights/webhook_form.html", context, status=400)
    return render(request, "insights/webhook_form.html", {"form": form, "webhook": hook})


@require_safe
@role_required(Role.CX_LEAD)
def webhook_detail(request, pk):
    hook = webhook_or_404(request.user, pk)
    # The secret is shown once, right after it was made; afterwards it can only be replaced.
    show_secret = request.session.pop(SHOW_ONCE, None) == hook.pk
    context = {
        "webhook": hook,
        "show_secret": show_secret,
        "event_labels": [_(webhooks.EVENTS[e]) if e in webhooks.EVENTS else e for e in hook.events],
        "deliveries": hook.deliveries.all()[:SHOWN_DELIVERIES],
    }
    return render(request, "insights/webhook_detail.html", context)


@require_POST
@role_required(Role.CX_LEAD)
def webhook_ping(request, pk):
    hook = webhook_or_404(request.user, pk)
    with transaction.atomic():
        webhooks.queue_ping(hook, request.user)
    messages.success(request, _("A test event is on its way; its delivery is listed below."))
    return redirect("insights:webhook-detail", pk=hook.pk)


@require_POST
@role_required(Role.CX_LEAD)
def webhook_rotate(request, pk):
    hook = webhook_or_404(request.user, pk)
    hook.secret = new_secret()
    hook.save(update_fields=["secret"])
    request.session[SHOW_ONCE] = hook.pk
    messages.success(request, _("A new secret replaces the old one from now on."))
    return redirect("insights:webhook-detail", pk=hook.pk)


@require_POST
@role_required(Role.CX_LEAD)
def delivery_resend(request, pk):
    delivery = get_object_or_404(
        WebhookDelivery, pk=pk, webhook__team_id__in=request.user.scope_team_ids
    )
    with transaction.atomic():
        webhooks.send_again(delivery)
    messages.success(
        request, _("Delivery %(number)s is being sent again.") % {"number": delivery.pk}
    )
    return redirect("insights:webhook-detail", pk=delivery.webhook_id)
