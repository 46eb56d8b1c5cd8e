"""The list of re-visits behind the dashboard's figures: did the fix change the feeling?"""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from immersion.access import role_required
from immersion.models import Role
from insights.models import ReVisit
from insights.revisits import RevisitFilterForm

PAGE_SIZE = 25


@require_safe
@role_required(Role.CX_LEAD, Role.EXECUTIVE, Role.MANAGER)
def revisit_list(request):
    form = RevisitFilterForm(request.GET or None, user=request.user)
    revisits = ReVisit.objects.visible_to(request.user)
    status = 200
    if form.is_bound:
        if form.is_valid():
            revisits = form.apply(revisits)
        else:
            status, revisits = 400, revisits.none()
    revisits = revisits.select_related("action", "team", "persona", "answer").order_by(
        "-verified_at", "pk"
    )
    page = Paginator(revisits, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "insights/revisit_list.html", context, status=status)
