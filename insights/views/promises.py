"""The organisation's promises, written by CX leads: each change is published as a new version.

Every CX lead reads them all. A promise the whole organisation makes is changed by a CX lead
of a top-level team (as the shared catalogue is); a team's own promise by a CX lead whose
scope holds the team.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from immersion.access import can_change_catalogue, role_required
from immersion.models import Role, Team
from insights.customer_forms import PromiseForm
from insights.models import Promise
from insights.promise_measures import with_versions

NOT_YOURS = gettext_lazy(
    "Only a CX lead of a top-level team changes the organisation's promises, "
    "and only a CX lead of the team its own."
)


def may_change(user, team_id: int | None, top_level: bool | None = None) -> bool:
    """`top_level` may be given when already known, so a list asks it once."""
    if not user.is_cx_lead:
        return False
    if team_id is None:
        return can_change_catalogue(user) if top_level is None else top_level
    return team_id in user.scope_team_ids


@require_safe
@role_required(Role.CX_LEAD)
def promise_list(request):
    promises = list(with_versions())
    top_level = can_change_catalogue(request.user)
    rows = [(p, p.current, may_change(request.user, p.team_id, top_level)) for p in promises]
    return render(request, "insights/promise_list.html", {"rows": rows})


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.CX_LEAD)
def promise_create(request):
    teams = Team.objects.filter(pk__in=request.user.scope_team_ids).order_by("name")
    form = PromiseForm(request.POST or None, teams=teams)
    if request.method == "POST":
        if form.is_valid():
            team = form.cleaned_data.pop("team")
            if not may_change(request.user, team.pk if team else None):
                form.add_error("team", NOT_YOURS)
            else:
                wording = {k: form.cleaned_data[k] for k in PromiseForm.Meta.fields}
                with transaction.atomic():
                    promise = Promise.objects.create(team=team)
                    promise.revise(by=request.user, **wording)
                messages.success(request, _("“%(title)s” published.") % {"title": wording["title"]})
                return redirect("insights:promise-list")
        return render(request, "insights/promise_form.html", {"form": form}, status=400)
    return render(request, "insights/promise_form.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.CX_LEAD)
def promise_revise(request, pk):
    promise = get_object_or_404(with_versions(), pk=pk)
    if not may_change(request.user, promise.team_id):
        raise PermissionDenied(NOT_YOURS)
    current = promise.current
    if request.method != "POST":
        form = PromiseForm(instance=current, with_team=False)
        return render(request, "insights/promise_form.html", {"form": form, "promise": promise})
    form = PromiseForm(request.POST, with_team=False)
    if not form.is_valid():
        context = {"form": form, "promise": promise}
        return render(request, "insights/promise_form.html", context, status=400)
    version = promise.revise(by=request.user, **form.cleaned_data)
    messages.success(
        request,
        _("Version %(number)s of “%(title)s” published.")
        % {"number": version.number, "title": version.title},
    )
    return redirect("insights:promise-list")
