"""Service-level policies: every CX lead reads them; a CX lead of a top-level team changes them.

Staff without a role keep them in the admin, which is where their menu leads.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from immersion.access import role_required
from immersion.models import Role
from insights.models import Action, ServicePolicy, may_change_policies
from insights.policy_forms import PolicyForm, step_formset

ONLY_TOP_LEADS = "Only a CX lead of a top-level team can change the service-level policies."


@require_safe
@role_required(Role.CX_LEAD)
def policy_list(request):
    policies = ServicePolicy.all_by_priority()
    return render(
        request,
        "insights/policy_list.html",
        {
            "policies": [policies[p] for p in sorted(policies, reverse=True)],
            "can_change": may_change_policies(request.user),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def policy_edit(request, priority):
    if priority not in Action.Priority.values:
        raise Http404("No such priority.")
    if not may_change_policies(request.user):
        raise PermissionDenied(ONLY_TOP_LEADS)
    policy = ServicePolicy.for_priority(priority)
    if request.method != "POST":
        context = {"policy": policy, "form": PolicyForm(instance=policy)}
        return render(
            request, "insights/policy_edit.html", {**context, "steps": step_formset(policy)}
        )
    form = PolicyForm(request.POST, instance=policy)
    steps = step_formset(policy, request.POST)
    status = 400
    if form.is_valid() and steps.is_valid():
        try:
            with transaction.atomic():
                saved = form.save(commit=False)
                saved.updated_by = request.user
                saved.save()
                steps.instance = saved
                steps.save()
        except IntegrityError:
            # Another lead saved this priority's first policy at the same moment.
            form.add_error(None, _("Someone saved this policy meanwhile. Check it and try again."))
            status = 409
        else:
            messages.success(request, _("%(name)s saved.") % {"name": saved})
            return redirect("insights:policy-list")
    context = {"policy": policy, "form": form, "steps": steps}
    return render(request, "insights/policy_edit.html", context, status=status)
