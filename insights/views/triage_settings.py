"""Per-team triage settings: the CX lead names who new actions of each team go to."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from immersion.access import role_required
from immersion.models import Role, Team
from insights.forms import TeamTriageSettingsForm
from insights.models import TeamTriageSettings


@require_safe
@role_required(Role.CX_LEAD)
def team_list(request):
    teams = Team.objects.filter(pk__in=request.user.scope_team_ids).select_related(
        "triage_settings__default_owner"
    )
    return render(request, "insights/triage_teams.html", {"teams": teams})


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.CX_LEAD)
def team_settings(request, team_id):
    team = get_object_or_404(Team, pk=team_id)
    if team.pk not in request.user.scope_team_ids:
        raise PermissionDenied("This team is not one you look after.")
    current = TeamTriageSettings.objects.filter(team=team).first() or TeamTriageSettings(team=team)
    form = TeamTriageSettingsForm(
        request.POST or None, instance=current, user=request.user, team=team
    )
    if request.method == "POST":
        if form.is_valid():
            saved = form.save(commit=False)
            saved.updated_by = request.user
            saved.save()
            owner = saved.default_owner
            messages.success(
                request,
                _("New actions for %(team)s now go to %(owner)s.") % {"team": team, "owner": owner}
                if owner
                else _("%(team)s has no default action owner.") % {"team": team},
            )
            return redirect("insights:triage-teams")
        return render(
            request, "insights/triage_team_settings.html", {"team": team, "form": form}, status=400
        )
    return render(request, "insights/triage_team_settings.html", {"team": team, "form": form})
