"""Waiting for me to verify: a CX lead's done actions, oldest first, one open at a time.

Each shows its evidence beside the photos of what was first seen, and is verified or
sent back (reopened with a reason) in one step; then the next one opens. The queue holds
the done actions of the lead's scope that they do not own, since an owner never verifies
their own action.
"""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from immersion.access import role_required
from immersion.models import Role
from insights import access
from insights.forms import ReasonForm, VerifyForm
from insights.models import Action, ActionStateError
from journal.models import Observation, Photo

# The titles listed under the open one; the count says how many there are in all.
LISTED = 30


def send_back_form(data=None, **kwargs) -> ReasonForm:
    form = ReasonForm(data, prefix="send-back", **kwargs)
    form.fields["reason"].label = _("Why it goes back (kept in the history, the owner sees it)")
    form.fields["reason"].error_messages["required"] = _("Say why it goes back to the owner.")
    return form


def waiting_for(user):
    """The done actions a CX lead may verify, oldest done first."""
    return (
        Action.objects.filter(status=Action.Status.DONE, team_id__in=user.scope_team_ids)
        .exclude(owner=user)
        .order_by("done_at", "pk")
    )


def _with_evidence(queryset):
    photos = Photo.objects.order_by("created_at", "pk")
    return queryset.select_related("owner", "team").prefetch_related(
        Prefetch("evidence_photos", queryset=photos),
        Prefetch(
            "observations",
            queryset=Observation.objects.select_related("session__team", "session__session_type")
            .prefetch_related(Prefetch("photos", queryset=photos))
            .order_by("created_at", "pk"),
        ),
    )


@require_safe
@role_required(Role.CX_LEAD)
def queue(request):
    return _render(request, _open_one(request.user, request.GET.get("action")))


def _open_one(user, chosen: str | None):
    """The chosen action if it is still waiting, else the oldest."""
    waiting = _with_evidence(waiting_for(user))
    if chosen and chosen.isdigit():
        picked = waiting.filter(pk=int(chosen)).first()
        if picked is not None:
            return picked
    return waiting.first()


def _render(request, current, status=200, **bound):
    waiting = waiting_for(request.user).select_related("team")
    context = {
        "current": current,
        "total": waiting.count(),
        "listed": list(waiting[:LISTED]),
        "error": bound.get("error"),
    }
    if current is not None:
        version = {"version": current.version}
        context["verify_form"] = bound.get("verify_form") or VerifyForm(initial=version)
        context["send_back_form"] = bound.get("send_back_form") or send_back_form(initial=version)
    return render(request, "insights/verify_queue.html", context, status=status)


def _decide(request, pk, form, form_name, change, done):
    action = access.get_action(request.user, pk)
    access.require_manage(request.user, action)
    bound = form(request.POST)
    if bound.is_valid():
        try:
            change(action, bound.cleaned_data)
        except ActionStateError as exc:
            # Verified or sent back by someone else meanwhile: show the queue as it is now.
            return _render(request, _open_one(request.user, None), status=409, error=str(exc))
        messages.success(request, done % {"title": action.title})
        return redirect("insights:verify-queue")
    current = _with_evidence(Action.objects.filter(pk=action.pk)).get()
    return _render(request, current, status=400, **{form_name: bound})


@require_POST
@role_required(Role.CX_LEAD)
def verify(request, pk):
    return _decide(
        request,
        pk,
        VerifyForm,
        "verify_form",
        lambda a, d: a.verify(by=request.user, version=d["version"], note=d["note"]),
        gettext_lazy("Verified “%(title)s”."),
    )


@require_POST
@role_required(Role.CX_LEAD)
def send_back(request, pk):
    return _decide(
        request,
        pk,
        send_back_form,
        "send_back_form",
        lambda a, d: a.reopen(by=request.user, version=d["version"], reason=d["reason"]),
        gettext_lazy("Sent “%(title)s” back to its owner."),
    )
