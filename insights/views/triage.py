"""The triage queue and the decision on one observation."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from immersion.access import role_required
from immersion.models import Role
from insights import triage
from insights.access import get_triage_observation
from insights.forms import DuplicateForm, LinkActionForm, NewActionForm, NoActionForm
from insights.models import Action, ActionStateError

QUEUE_PAGE_SIZE = 20


@require_safe
@role_required(Role.CX_LEAD)
def queue(request):
    observations = triage.triage_queue(request.user)
    page = Paginator(observations, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "insights/triage_queue.html", {"page": page})


@require_safe
@role_required(Role.CX_LEAD, Role.EXECUTIVE, Role.MANAGER)
def observation(request, pk):
    obs = get_triage_observation(request.user, pk)
    return _render(request, obs)


def _render(request, obs, status=200, **bound):
    user = request.user
    context = {
        "observation": obs,
        "photos": list(obs.photos.all()),
        "actions": list(obs.actions.select_related("owner", "team").order_by("created_at", "pk")),
        "duplicates": list(obs.duplicates.order_by("pk").only("pk", "what_happened")),
        "can_triage": user.is_cx_lead,
    }
    if user.is_cx_lead and obs.triage_state in (
        obs.TriageState.UNTRIAGED,
        obs.TriageState.ACTIONED,
    ):
        context.update(
            new_form=bound.get("new_form") or NewActionForm(user=user, observation=obs),
            link_form=bound.get("link_form") or LinkActionForm(user=user),
        )
        if obs.triage_state == obs.TriageState.UNTRIAGED:
            context.update(
                duplicate_form=bound.get("duplicate_form")
                or DuplicateForm(user=user, observation=obs),
                no_action_form=bound.get("no_action_form") or NoActionForm(),
            )
    context["error"] = bound.get("error")
    return render(request, "insights/triage_observation.html", context, status=status)


def _next_in_queue(request):
    following = triage.triage_queue(request.user).values_list("pk", flat=True).first()
    if following is None:
        return redirect("insights:triage-queue")
    return redirect("insights:triage-observation", pk=following)


def _decide(request, obs, form_name, form, decide, success):
    if form.is_valid():
        try:
            result = decide(obs, form.cleaned_data)
        except ActionStateError as exc:
            return _render(request, obs, status=409, error=str(exc))
        messages.success(request, success(obs, result))
        return _next_in_queue(request)
    return _render(request, obs, status=400, **{form_name: form})


@require_POST
@role_required(Role.CX_LEAD)
def new_action(request, pk):
    obs = get_triage_observation(request.user, pk)
    form = NewActionForm(request.POST, user=request.user, observation=obs)

    def decide(o, data):
        return triage.create_action(o, by=request.user, **data)

    def success(o, action: Action):
        return f"Action \u201c{action.title}\u201d created for {action.owner}."

    return _decide(request, obs, "new_form", form, decide, success)


@require_POST
@role_required(Role.CX_LEAD)
def link_action(request, pk):
    obs = get_triage_observation(request.user, pk)
    form = LinkActionForm(request.POST, user=request.user)

    def decide(o, data):
        triage.link_to_action(o, data["action"], by=request.user)
        return data["action"]

    return _decide(
        request,
        obs,
        "link_form",
        form,
        decide,
        lambda o, action: f"Observation linked to \u201c{action.title}\u201d.",
    )


@require_POST
@role_required(Role.CX_LEAD)
def duplicate(request, pk):
    obs = get_triage_observation(request.user, pk)
    form = DuplicateForm(request.POST, user=request.user, observation=obs)

    def decide(o, data):
        triage.mark_duplicate(o, data["original"], by=request.user, note=data["note"])

    return _decide(
        request,
        obs,
        "duplicate_form",
        form,
        decide,
        lambda o, _: f"Observation marked as a duplicate of #{o.duplicate_of_id}.",
    )


@require_POST
@role_required(Role.CX_LEAD)
def no_action(request, pk):
    obs = get_triage_observation(request.user, pk)
    form = NoActionForm(request.POST)

    def decide(o, data):
        triage.decide_no_action(o, by=request.user, reason=data["reason"])

    return _decide(
        request, obs, "no_action_form", form, decide, lambda o, _: "Recorded: no action, with why."
    )
