"""The journey view: how customers would feel along the journey, for executives and CX leads."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from immersion.access import role_required
from immersion.models import Role
from insights import journey
from insights.dashboard_filters import DashboardFilterForm


@require_safe
@role_required(Role.EXECUTIVE, Role.CX_LEAD)
def journey_view(request):
    form = DashboardFilterForm(request.GET, user=request.user, today=timezone.localdate())
    # The programme filter narrows sessions as on the dashboard; team, period, session type
    # and persona make sense here too, so the dashboard's form is used whole.
    if not form.is_valid():
        return render(request, "insights/journey/journey.html", {"form": form}, status=400)
    filters = form.filters()
    return render(
        request,
        "insights/journey/journey.html",
        {"form": form, "filters": filters, **journey.build(filters)},
    )
