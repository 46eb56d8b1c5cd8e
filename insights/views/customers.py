"""Pages for customers, without an account: tell us we failed, and where your report stands."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from insights.customer_forms import CustomerReportForm, ReferenceForm, report_teams
from insights.customer_reports import file_report, form_started_token, over_limit, public_status
from insights.models import CustomerReport, Promise, PromiseVersion
from insights.promise_measures import applying_to

REFUSED = {
    "honeypot": _("We could not accept this report. If you are a person, please try again."),
    "expired": _("This form was open too long or was changed; please fill it in again."),
    "too-fast": _(
        "That was quicker than anyone types. Please check your report and send it again."
    ),
}


def current_promises(team=None) -> list[PromiseVersion]:
    """The current version of each promise made to everyone, and of the team's own."""
    promises = Promise.objects.prefetch_related(
        Prefetch("versions", queryset=PromiseVersion.objects.order_by("-number"))
    ).select_related("team")
    if team is not None:
        promises = promises.filter(applying_to(team))
    return [p.current for p in promises if p.current is not None]


def _page(request, template, context, status=200):
    return render(request, template, {**context, "public_page": True}, status=status)


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _too_many(request):
    minutes = max(1, settings.CUSTOMER_REPORT_WINDOW_SECONDS // 60)
    return _page(request, "insights/public/too_many.html", {"minutes": minutes}, status=429)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def tell_us(request, team_id=None):
    team = get_object_or_404(report_teams(), pk=team_id) if team_id is not None else None
    promises = current_promises(team)
    window = settings.CUSTOMER_REPORT_WINDOW_SECONDS
    if request.method != "POST":
        initial = {"started": form_started_token(), "team": team}
        promise_id = request.GET.get("promise", "")
        if promise_id.isdigit():
            initial["promise"] = next(
                (p for p in promises if p.promise_id == int(promise_id)), None
            )
        form = CustomerReportForm(initial=initial, promises=promises)
        return _page(request, "insights/public/tell_us.html", {"form": form, "team": team})

    # Every post counts against its address, refused or not, so a script gains nothing
    # by sending rubbish first.
    if over_limit("address", _address(request), settings.CUSTOMER_REPORT_ADDRESS_LIMIT, window):
        return _too_many(request)
    form = CustomerReportForm(request.POST, promises=promises)
    refusal = form.refusal()
    if refusal:
        # Shown again with a fresh start time, so a person who was merely quick can resend.
        data = request.POST.copy()
        data["started"], data["website"] = form_started_token(), ""
        form = CustomerReportForm(data, promises=promises)
        form.is_valid()
        context = {"form": form, "team": team, "refused": REFUSED[refusal]}
        return _page(request, "insights/public/tell_us.html", context, status=400)
    if not form.is_valid():
        return _page(
            request, "insights/public/tell_us.html", {"form": form, "team": team}, status=400
        )
    data = form.cleaned_data
    if over_limit("team", data["team"].pk, settings.CUSTOMER_REPORT_TEAM_LIMIT, window):
        return _too_many(request)
    report = file_report(
        team=data["team"],
        what_happened=data["what_happened"],
        touchpoint=data["touchpoint"],
        happened_on=data["happened_on"],
        contact=data["contact"],
        promise_version=data["promise"],
    )
    return redirect(f"{reverse('insights:report-status')}?reference={report.reference}&new=1")


@login_not_required
@require_safe
def public_promise(request, pk):
    promise = get_object_or_404(
        Promise.objects.prefetch_related(
            Prefetch("versions", queryset=PromiseVersion.objects.order_by("-number"))
        ),
        pk=pk,
    )
    versions = list(promise.versions.all())
    if not versions:
        raise Http404(_("This promise has not been published."))
    context = {"promise": promise, "current": versions[0], "versions": versions}
    return _page(request, "insights/public/promise_versions.html", context)


@login_not_required
@require_safe
def report_status(request):
    if "reference" not in request.GET:
        return _page(request, "insights/public/report_status.html", {"form": ReferenceForm()})
    window = settings.CUSTOMER_REPORT_WINDOW_SECONDS
    # Looking up is cheap, but guessing references must not be.
    if over_limit("lookup", _address(request), settings.CUSTOMER_REPORT_ADDRESS_LIMIT * 10, window):
        return _too_many(request)
    form = ReferenceForm(request.GET)
    report = None
    if form.is_valid():
        report = (
            CustomerReport.objects.select_related("observation", "team", "promise_version")
            .filter(reference=form.cleaned_data["reference"])
            .first()
        )
        if report is None:
            form.add_error(
                "reference", _("We have no report with this reference. Please check it.")
            )
    if report is None:
        return _page(request, "insights/public/report_status.html", {"form": form}, status=400)
    context = {
        "form": form,
        "report": report,
        "received_on": timezone.localtime(report.created_at).date(),
        "is_new": request.GET.get("new") == "1",
        **public_status(report),
    }
    return _page(request, "insights/public/report_status.html", context)
