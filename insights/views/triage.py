"""The triage queue and the decision on one observation.

The queue's filters and sort live in the query string. The observation page and its
decision form carry the same query string, so "previous", "next" and the observation
that opens after a decision all come from the queue the CX lead was working through.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST, require_safe

from immersion.access import role_required
from immersion.models import Role
from insights import similar, triage
from insights.access import get_triage_observation
from insights.filters import TriageFilter
from insights.forms import (
    BulkDuplicateForm,
    BulkObservationsForm,
    DuplicateForm,
    LinkActionForm,
    NewActionForm,
    NoActionForm,
)
from insights.models import Action, ActionStateError
from insights.theme_forms import ThemesForm
from insights.themes import suggestions

QUEUE_PAGE_SIZE = 50
QUEUE_PARAMETERS = tuple(TriageFilter.base_filters)
# Which of the four parts of the decision form a failed post reopens.
DECISION_OF_FORM = {
    "new_form": "new",
    "link_form": "link",
    "duplicate_form": "duplicate",
    "no_action_form": "none",
}


def _queue_query(request) -> str:
    """The queue's filters and sort from the request, without the page number."""
    query = request.GET.copy()
    for key in list(query):
        if key not in QUEUE_PARAMETERS:
            del query[key]
    return query.urlencode()


def _filtered(request, queryset):
    """The queryset under the request's queue filters; invalid filters are set aside."""
    filterset = TriageFilter(request.GET or None, queryset=queryset, user=request.user)
    if filterset.is_bound and filterset.is_valid():
        return filterset, filterset.qs
    return filterset, queryset


def _with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url


@require_safe
@role_required(Role.CX_LEAD)
def queue(request):
    return _render_queue(request)


def _render_queue(request, status=200, error=None, **bound):
    user = request.user
    filterset, observations = _filtered(request, triage.triage_queue(user))
    page = Paginator(observations, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    summary = triage.queue_summary(user)
    oldest = summary["oldest"]
    context = {
        "filter": filterset,
        "page": page,
        "query": _queue_query(request),
        "waiting": summary["waiting"],
        "oldest_days": (timezone.now() - oldest).days if oldest else None,
        "error": error,
        "selected": {str(pk) for pk in request.POST.getlist("observations")},
        **_bulk_forms(user, bound),
    }
    valid = not filterset.is_bound or filterset.is_valid()
    context["filtered"] = filterset.is_bound and any(
        value for name, value in filterset.form.cleaned_data.items() if name != "sort"
    )
    if status == 200 and not valid:
        status = 400
    return render(request, "insights/triage_queue.html", context, status=status)


def _bulk_forms(user, bound) -> dict:
    """The four decisions for several observations, each its own form under its own prefix."""
    return {
        "bulk_new": bound.get("new") or NewActionForm(user=user, prefix="bulk-new"),
        "bulk_link": bound.get("link") or LinkActionForm(user=user, prefix="bulk-link"),
        "bulk_duplicate": bound.get("duplicate")
        or BulkDuplicateForm(user=user, prefix="bulk-duplicate"),
        "bulk_none": bound.get("none") or NoActionForm(prefix="bulk-none"),
        "bulk_themes": bound.get("themes") or ThemesForm(prefix="bulk-themes"),
    }


@require_POST
@role_required(Role.CX_LEAD)
def bulk(request):
    """One decision for several observations of the queue, all of them or none."""
    user = request.user
    posted = request.POST.getlist("observations")
    if not all(value.isdigit() for value in posted):
        return _render_queue(request, status=400, error="Select observations from the queue.")
    # An observation outside the CX lead's reach is not theirs to know about.
    wanted = {int(value) for value in posted}
    if triage.observations_in_scope(user).filter(pk__in=wanted).count() != len(wanted):
        raise Http404(gettext("No such observation in your teams."))
    chosen = BulkObservationsForm(request.POST, user=user)
    decision = request.POST.get("decision")
    forms = {
        "new": lambda: NewActionForm(request.POST, user=user, prefix="bulk-new"),
        "link": lambda: LinkActionForm(request.POST, user=user, prefix="bulk-link"),
        "duplicate": lambda: BulkDuplicateForm(request.POST, user=user, prefix="bulk-duplicate"),
        "none": lambda: NoActionForm(request.POST, prefix="bulk-none"),
    }
    if decision not in forms:
        return _render_queue(request, status=400, error="Choose what to do with them.")
    form = forms[decision]()
    themes_form = _posted_themes(request, None, prefix="bulk-themes")
    chosen_ok, form_ok = chosen.is_valid(), form.is_valid()
    bound = {decision: form, "themes": themes_form}
    if not chosen_ok:
        error = " ".join(chosen.errors["observations"])
        return _render_queue(request, status=400, error=error, **bound)
    if not form_ok or (themes_form is not None and not themes_form.is_valid()):
        return _render_queue(request, status=400, **bound)
    observations = list(chosen.cleaned_data["observations"].order_by("created_at", "pk"))
    data = form.cleaned_data
    # Added to what each observation already carries; a new action takes them all.
    themes = themes_form.cleaned_data["themes"] if themes_form is not None else None
    count = len(observations)
    try:
        if decision == "new":
            action = triage.create_action_for_all(observations, by=user, themes=themes, **data)
            done = gettext("Action “%(title)s” created for %(owner)s") % {
                "title": action.title,
                "owner": action.owner,
            }
        elif decision == "link":
            triage.link_all(observations, data["action"], by=user, themes=themes)
            done = gettext("Linked to “%(title)s”") % {"title": data["action"].title}
        elif decision == "duplicate":
            # The original may be among those selected: it keeps its place in the queue.
            repeating = [o for o in observations if o.pk != data["original"].pk]
            count = len(repeating)
            triage.mark_all_duplicates(repeating, data["original"], by=user, themes=themes)
            done = gettext("Marked duplicates of #%(number)s") % {"number": data["original"].pk}
        else:
            triage.decide_no_action_for_all(
                observations, by=user, reason=data["reason"], themes=themes
            )
            done = gettext("Recorded no action, with why")
    except ActionStateError as exc:
        return _render_queue(request, status=409, error=str(exc), **bound)
    counted = ngettext("%(count)d observation", "%(count)d observations", count) % {"count": count}
    messages.success(request, f"{done}: {counted}.")
    return redirect(_with_query(reverse("insights:triage-queue"), _queue_query(request)))


@require_safe
@role_required(Role.CX_LEAD, Role.EXECUTIVE, Role.MANAGER)
def observation(request, pk):
    obs = get_triage_observation(request.user, pk)
    return _render(request, obs)


def _render(request, obs, status=200, **bound):
    user = request.user
    query = _queue_query(request)
    # Read once for the page and for the themes form.
    prefetch_related_objects([obs], "themes")
    context = {
        "observation": obs,
        "themes": list(obs.themes.all()),
        "photos": list(obs.photos.all()),
        "actions": list(obs.actions.select_related("owner", "team").order_by("created_at", "pk")),
        "duplicates": list(obs.duplicates.order_by("pk").only("pk", "what_happened")),
        "can_triage": user.is_cx_lead,
        "query": query,
        "queue_url": _with_query(reverse("insights:triage-queue"), query),
    }
    if user.is_cx_lead:
        _, ordered = _filtered(request, triage.triage_queue(user))
        previous, following = triage.neighbours(ordered, obs.pk)
        context.update(previous_pk=previous, next_pk=following)
    if user.is_cx_lead and obs.triage_state in (
        obs.TriageState.UNTRIAGED,
        obs.TriageState.ACTIONED,
    ):
        everyone = request.GET.get("owners") == "everyone"
        alike_actions = similar.similar_actions(obs, user)
        alike_observations = similar.similar_observations(obs, user)
        suggested = suggestions(obs, user, [*alike_actions, *alike_observations])
        context.update(
            similar_actions=alike_actions,
            similar_observations=alike_observations,
            suggested_themes=suggested,
            themes_form=bound.get("themes_form")
            or ThemesForm(observation=obs, suggested=[s["theme"] for s in suggested]),
        )
        context.update(
            new_form=bound.get("new_form")
            or NewActionForm(user=user, observation=obs, everyone=everyone),
            link_form=bound.get("link_form") or LinkActionForm(user=user),
            everyone=everyone,
        )
        if obs.triage_state == obs.TriageState.UNTRIAGED:
            context.update(
                duplicate_form=bound.get("duplicate_form")
                or DuplicateForm(user=user, observation=obs),
                no_action_form=bound.get("no_action_form") or NoActionForm(),
            )
        failed = next((name for name in DECISION_OF_FORM if name in bound), "new_form")
        context["chosen"] = DECISION_OF_FORM[failed]
    context["error"] = bound.get("error")
    return render(request, "insights/triage_observation.html", context, status=status)


def _next_in_queue(request, obs):
    """The observation after the one just decided, in the same filtered and sorted queue."""
    _, ordered = _filtered(request, triage.queue_with(request.user, obs.pk))
    following = triage.next_after(ordered, obs.pk)
    query = _queue_query(request)
    if following is None:
        return redirect(_with_query(reverse("insights:triage-queue"), query))
    return redirect(
        _with_query(reverse("insights:triage-observation", kwargs={"pk": following}), query)
    )


def _posted_themes(request, obs, prefix=None):
    """The themes form of a decision, or None when the post carried no themes to set (a
    one-tap link or "same as" from the similar items leaves the themes as they are)."""
    marker = f"{prefix}-themes-shown" if prefix else "themes-shown"
    if marker not in request.POST:
        return None
    return ThemesForm(request.POST, observation=obs, prefix=prefix)


def _decide(request, obs, form_name, form, decide, success):
    themes_form = _posted_themes(request, obs)
    themes_ok = themes_form is None or themes_form.is_valid()
    if form.is_valid() and themes_ok:
        themes = themes_form.cleaned_data["themes"] if themes_form is not None else None
        try:
            result = decide(obs, {**form.cleaned_data, "themes": themes})
        except ActionStateError as exc:
            return _render(request, obs, status=409, error=str(exc))
        messages.success(request, success(obs, result))
        return _next_in_queue(request, obs)
    return _render(request, obs, status=400, **{form_name: form, "themes_form": themes_form})


@require_POST
@role_required(Role.CX_LEAD)
def new_action(request, pk):
    obs = get_triage_observation(request.user, pk)
    everyone = request.GET.get("owners") == "everyone"
    form = NewActionForm(request.POST, user=request.user, observation=obs, everyone=everyone)

    def decide(o, data):
        return triage.create_action(o, by=request.user, **data)

    def success(o, action: Action):
        return gettext("Action “%(title)s” created for %(owner)s.") % {
            "title": action.title,
            "owner": action.owner,
        }

    return _decide(request, obs, "new_form", form, decide, success)


@require_POST
@role_required(Role.CX_LEAD)
def link_action(request, pk):
    obs = get_triage_observation(request.user, pk)
    form = LinkActionForm(request.POST, user=request.user)

    def decide(o, data):
        triage.link_to_action(o, data["action"], by=request.user, themes=data["themes"])
        return data["action"]

    return _decide(
        request,
        obs,
        "link_form",
        form,
        decide,
        lambda o, action: gettext("Observation linked to “%(title)s”.") % {"title": action.title},
    )


@require_POST
@role_required(Role.CX_LEAD)
def duplicate(request, pk):
    obs = get_triage_observation(request.user, pk)
    form = DuplicateForm(request.POST, user=request.user, observation=obs)

    def decide(o, data):
        triage.mark_duplicate(
            o, data["original"], by=request.user, note=data["note"], themes=data["themes"]
        )

    return _decide(
        request,
        obs,
        "duplicate_form",
        form,
        decide,
        lambda o, _: (
            gettext("Observation marked as a duplicate of #%(number)s.")
            % {"number": o.duplicate_of_id}
        ),
    )


@require_POST
@role_required(Role.CX_LEAD)
def no_action(request, pk):
    obs = get_triage_observation(request.user, pk)
    form = NoActionForm(request.POST)

    def decide(o, data):
        triage.decide_no_action(o, by=request.user, reason=data["reason"], themes=data["themes"])

    return _decide(
        request,
        obs,
        "no_action_form",
        form,
        decide,
        lambda o, _: gettext("Recorded: no action, with why."),
    )
