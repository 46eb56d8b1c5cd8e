"""The board pack: the dashboard for the chosen filters, as a PDF to download."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from immersion.access import role_required
from immersion.models import Role
from insights import board_pack, chart_feelings
from insights.dashboard_filters import DashboardFilterForm


@require_safe
@role_required(Role.EXECUTIVE, Role.CX_LEAD, Role.MANAGER)
def board_pack_pdf(request):
    form = DashboardFilterForm(request.GET, user=request.user, today=timezone.localdate())
    if not form.is_valid():
        # The dashboard page shows what was wrong with the filters, field by field.
        return render(request, "insights/dashboard/dashboard.html", {"form": form}, status=400)
    filters = form.filters()
    feelings = request.GET.get("feelings")
    feelings = feelings if feelings in chart_feelings.MODES else chart_feelings.COUNTS
    response = HttpResponse(
        board_pack.render_pdf(filters, feelings), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{board_pack.filename(filters)}"'
    return response
