"""The auditor's pages: start an audit of a month with a random sample, check each sampled
fix or report against its evidence, and sign; and the signed statement, in public.

An auditor reads every team's records, but only through the items sampled into their own
audits; every request they make is logged (``insights.audit_log``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from immersion.access import role_required
from immersion.models import Role
from insights.audit_forms import AuditStartForm, FindingForm, SignForm
from insights.audits import auditable_months, draw_sample, frozen_figures, month_rows
from insights.models import (
    Action,
    ActionEvent,
    Audit,
    AuditError,
    AuditItem,
    CustomerReport,
    MonthSnapshot,
)
from insights.promise_measures import report_outcomes
from insights.views.public import forget_public_pages
from journal.images import serve_photo
from journal.models import Observation, Photo

PENDING = AuditItem.Finding.PENDING


def _own_audit(request, pk) -> Audit:
    # Another auditor's working papers are theirs until signed and published.
    return get_object_or_404(Audit, pk=pk, auditor=request.user)


def _start_form(request, data=None):
    last = request.user.audits.order_by("-created_at").first()
    initial = {"auditor_organisation": last.auditor_organisation} if last else {}
    return AuditStartForm(data, initial=initial, months=auditable_months(timezone.localdate()))


def _list(request, form, status=200):
    audits = request.user.audits.annotate(
        sampled=Count("items"), pending=Count("items", filter=Q(items__finding=PENDING))
    )
    return render(
        request, "insights/audits/list.html", {"audits": audits, "form": form}, status=status
    )


@require_safe
@role_required(Role.AUDITOR)
def audit_list(request):
    return _list(request, _start_form(request))


@require_POST
@role_required(Role.AUDITOR)
def audit_create(request):
    form = _start_form(request, request.POST)
    if not form.is_valid():
        return _list(request, form, status=400)
    with transaction.atomic():
        audit = form.save(commit=False)
        audit.auditor = request.user
        audit.save()
        drawn = draw_sample(audit, form.cleaned_data["fixes"], form.cleaned_data["reports"])
        if not drawn:
            transaction.set_rollback(True)
    if not drawn:
        form.add_error(
            "month",
            _("Nothing was verified or reported in %(month)s.")
            % {"month": date_format(audit.month, "F Y")},
        )
        return _list(request, form, status=400)
    messages.success(
        request,
        _("%(count)s items drawn at random for %(month)s.")
        % {"count": drawn, "month": date_format(audit.month, "F Y")},
    )
    return redirect("insights:audit-detail", audit.pk)


def _detail(request, audit, sign_form, status=200):
    items = list(audit.items.select_related("action__team", "report__team"))
    pending = [item for item in items if item.finding == PENDING]
    preview = None
    if not audit.is_signed:
        # What signing will freeze, so the auditor signs the figures they have seen.
        preview = frozen_figures(month_rows(audit.month, timezone.now()))
    context = {
        "audit": audit,
        "items": items,
        "pending": len(pending),
        "next_item": pending[0] if pending else None,
        "sign_form": sign_form,
        "preview": preview,
    }
    return render(request, "insights/audits/detail.html", context, status=status)


@require_safe
@role_required(Role.AUDITOR)
def audit_detail(request, pk):
    return _detail(request, _own_audit(request, pk), SignForm())


@require_POST
@role_required(Role.AUDITOR)
def audit_sign(request, pk):
    audit = _own_audit(request, pk)
    form = SignForm(request.POST)
    if not form.is_valid():
        return _detail(request, audit, form, status=400)
    try:
        audit.sign(form.cleaned_data["statement"], month_rows(audit.month, timezone.now()))
    except AuditError as error:
        form.add_error(None, str(error))
        return _detail(request, audit, form, status=409)
    forget_public_pages()
    messages.success(
        request,
        _("Signed: the figures for %(month)s are now frozen.")
        % {"month": date_format(audit.month, "F Y")},
    )
    return redirect("insights:audit-detail", audit.pk)


def _item(audit, item_pk) -> AuditItem:
    return get_object_or_404(audit.items.all(), pk=item_pk)


def _evidence(item: AuditItem) -> dict:
    """Everything the auditor checks one item against, read in a fixed number of queries."""
    observations = Observation.objects.select_related("session__team", "author").prefetch_related(
        "photos"
    )
    if item.kind == AuditItem.Kind.FIX:
        action = (
            Action.objects.select_related("team", "owner", "created_by", "verified_by")
            .prefetch_related(
                Prefetch("observations", queryset=observations),
                "evidence_photos",
                Prefetch("events", queryset=ActionEvent.objects.select_related("actor")),
            )
            .get(pk=item.action_id)
        )
        return {"action": action}
    report = CustomerReport.objects.select_related(
        "team", "promise_version", "observation__session__team"
    ).get(pk=item.report_id)
    just_this = CustomerReport.objects.filter(pk=report.pk, promise_version__isnull=False)
    outcome = next(report_outcomes(just_this, timezone.now()), None)
    actions = Action.objects.filter(
        Q(observations=report.observation_id) | Q(observations__duplicates=report.observation_id)
    ).distinct()
    return {"report": report, "outcome": outcome, "report_actions": list(actions)}


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.AUDITOR)
def audit_item(request, pk, item_pk):
    audit = _own_audit(request, pk)
    item = _item(audit, item_pk)
    form = FindingForm(request.POST or None, instance=item)
    status = 200
    if request.method == "POST":
        if audit.is_signed:
            messages.error(request, _("This audit is signed: its findings can no longer change."))
            return redirect("insights:audit-detail", audit.pk)
        if form.is_valid():
            audit.record(item, finding=form.cleaned_data["finding"], note=form.cleaned_data["note"])
            following = audit.items.filter(finding=PENDING).exclude(pk=item.pk).first()
            if following is not None:
                return redirect("insights:audit-item", audit.pk, following.pk)
            messages.success(request, _("Every item is checked: read the figures and sign."))
            return redirect("insights:audit-detail", audit.pk)
        status = 400
    context = {"audit": audit, "item": item, "form": form, **_evidence(item)}
    return render(request, "insights/audits/item.html", context, status=status)


@require_safe
@role_required(Role.AUDITOR)
def audit_photo(request, pk, item_pk, photo_id, variant):
    item = _item(_own_audit(request, pk), item_pk)
    if item.kind == AuditItem.Kind.FIX:
        reachable = Q(evidence_for=item.action_id) | Q(observation__actions=item.action_id)
    else:
        reachable = Q(observation=item.report.observation_id)
    photo = Photo.objects.filter(reachable, pk=photo_id).first()
    if photo is None:
        raise Http404("This photo is not part of the item.")
    return serve_photo(request, photo, variant)


@login_not_required
@require_safe
def audit_statement(request, pk):
    snapshot = get_object_or_404(MonthSnapshot.objects.select_related("audit"), audit_id=pk)
    context = {
        "audit": snapshot.audit,
        "sample": snapshot.sample,
        "figures": frozen_figures(snapshot.rows),
        "public_page": True,
    }
    return render(request, "insights/public/audit_statement.html", context)
