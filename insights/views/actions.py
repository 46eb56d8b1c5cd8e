"""Action pages: the list, one action with its timeline, "my actions", and every change."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from immersion.access import role_required
from immersion.models import Role
from insights import access, action_groups
from insights.filters import ActionFilter
from insights.forms import (
    CommentForm,
    CompleteForm,
    EditActionForm,
    ReasonForm,
    StartForm,
    VerifyForm,
)
from insights.models import Action, ActionEvent, ActionStateError
from insights.themes import edit_action
from insights.timing import time_in_status
from insights.views._common import safe_next
from journal.images import photo_transaction, serve_photo

LIST_PAGE_SIZE = 25
# Small pages: each card carries its own forms, and it is read on a phone.
MY_PAGE_SIZE = 15


@require_safe
@role_required(Role.CX_LEAD, Role.EXECUTIVE, Role.MANAGER)
def action_list(request):
    visible = (
        Action.objects.visible_to(request.user).select_related("owner", "team").with_status_times()
    )
    filterset = ActionFilter(request.GET or None, queryset=visible, user=request.user)
    valid = filterset.is_bound and filterset.is_valid()
    actions = filterset.qs if valid else visible
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": filterset, "query": query.urlencode()}
    if valid and filterset.form.cleaned_data.get("group") == "theme":
        context["grouped"] = True
        context["groups"] = action_groups.by_theme(actions)
        context["total"] = actions.count()
        _link_groups(query, context["groups"])
    else:
        ordered = actions.order_by("due_on", "-priority", "pk").prefetch_related("themes")
        context["page"] = Paginator(ordered, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
        context["total"] = context["page"].paginator.count
    return render(
        request,
        "insights/action_list.html",
        context,
        status=200 if not filterset.is_bound or filterset.is_valid() else 400,
    )


def _link_groups(query, groups) -> None:
    """Each group's "see them all": the same filters, that theme, no grouping."""
    for group in groups:
        narrowed = query.copy()
        narrowed.pop("group", None)
        narrowed["theme"] = group.theme.pk if group.theme else "null"
        group.all_url = f"?{narrowed.urlencode()}"


@require_safe
def my_actions(request):
    actions = (
        Action.objects.owned_by(request.user)
        .unfinished()
        .select_related("team")
        .order_by("due_on", "-priority", "pk")
    )
    page = Paginator(actions, MY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "insights/my_actions.html", {"page": page, "actions": page.object_list})


def _detail_queryset():
    return Action.objects.select_related("owner", "team", "created_by", "verified_by")


def _render_detail(request, action, status=200, **bound):
    user = request.user
    events = list(action.events.select_related("actor").order_by("at", "pk"))
    observations = action.observations.select_related(
        "session__session_type", "session__team"
    ).order_by("created_at", "pk")
    context = {
        "action": action,
        "events": events,
        "escalations": [e for e in events if e.kind == ActionEvent.Kind.ESCALATED],
        "time_in_status": time_in_status(action, events),
        "observations": observations,
        "themes": list(action.themes.all()),
        "evidence_photos": action.evidence_photos.all(),
        "revisits": action.revisits.select_related("answer", "persona").order_by("-verified_at"),
        "can_manage": access.can_manage(user, action),
        "can_progress": access.can_progress(user, action),
        "can_verify": access.can_manage(user, action) and user.pk != action.owner_id,
        "error": bound.pop("error", None),
    }
    version = {"version": action.version}
    defaults = {
        "start_form": StartForm(initial=version),
        "complete_form": CompleteForm(initial=version),
        "verify_form": VerifyForm(initial=version),
        "drop_form": ReasonForm(initial=version, prefix="drop"),
        "reopen_form": ReasonForm(initial=version, prefix="reopen"),
        "comment_form": CommentForm(),
    }
    defaults.update(bound)
    context.update(defaults)
    return render(request, "insights/action_detail.html", context, status=status)


@require_safe
def action_detail(request, pk):
    action = access.get_action(request.user, pk, _detail_queryset())
    return _render_detail(request, action)


def _change(request, pk, *, form, form_name, permission, change, done, template=None):
    """Run one guarded change from a posted form; on any refusal show the page again, 4xx."""
    action = access.get_action(request.user, pk, _detail_queryset())
    permission(request.user, action)
    bound = form(request.POST, request.FILES)
    if not bound.is_valid():
        if template:
            return render(request, template, {"action": action, "form": bound}, status=400)
        return _render_detail(request, action, status=400, **{form_name: bound})
    try:
        change(action, bound.cleaned_data)
    except ActionStateError as exc:
        # The action moved on: show it as it is now, with why the change was refused.
        fresh = _detail_queryset().get(pk=action.pk)
        if template:
            bound.add_error(None, str(exc))
            return render(request, template, {"action": fresh, "form": bound}, status=409)
        return _render_detail(request, fresh, status=409, error=str(exc))
    messages.success(request, done)
    return redirect(safe_next(request, reverse("insights:action-detail", args=[pk])))


@require_POST
def start(request, pk):
    return _change(
        request,
        pk,
        form=StartForm,
        form_name="start_form",
        permission=access.require_progress,
        change=lambda a, d: a.start(by=request.user, version=d["version"], note=d["note"]),
        done=_("Marked as in progress."),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def complete(request, pk):
    if request.method != "POST":
        action = access.get_action(request.user, pk, _detail_queryset())
        access.require_progress(request.user, action)
        form = CompleteForm(initial={"version": action.version})
        return render(request, "insights/action_complete.html", {"action": action, "form": form})
    return _change(
        request,
        pk,
        form=CompleteForm,
        form_name="complete_form",
        permission=access.require_progress,
        change=lambda a, d: _complete_with_photos(request.user, a, d),
        done=_("Done. Thank you: the CX lead will check the evidence."),
        template="insights/action_complete.html",
    )


def _complete_with_photos(user, action, data) -> None:
    # One transaction for the photos and the status: a refused completion keeps no files.
    with photo_transaction() as batch:
        photos = [batch.save(prepared, uploaded_by=user) for prepared in data["photos"]]
        action.complete(by=user, version=data["version"], note=data["note"], photos=photos)


@require_safe
def evidence_photo(request, pk, photo_id, variant):
    action = access.get_action(request.user, pk)
    photo = get_object_or_404(action.evidence_photos.all(), pk=photo_id)
    return serve_photo(request, photo, variant)


@require_POST
def verify(request, pk):
    return _change(
        request,
        pk,
        form=VerifyForm,
        form_name="verify_form",
        permission=access.require_manage,
        change=lambda a, d: a.verify(by=request.user, version=d["version"], note=d["note"]),
        done=_("Verified."),
    )


def _reason_form(prefix):
    return lambda data, files: ReasonForm(data, prefix=prefix)


@require_POST
def drop(request, pk):
    return _change(
        request,
        pk,
        form=_reason_form("drop"),
        form_name="drop_form",
        permission=access.require_manage,
        change=lambda a, d: a.drop(by=request.user, version=d["version"], reason=d["reason"]),
        done=_("Action dropped, with the reason kept in its history."),
    )


@require_POST
def reopen(request, pk):
    return _change(
        request,
        pk,
        form=_reason_form("reopen"),
        form_name="reopen_form",
        permission=access.require_manage,
        change=lambda a, d: a.reopen(by=request.user, version=d["version"], reason=d["reason"]),
        done=_("Action reopened."),
    )


@require_POST
def comment(request, pk):
    return _change(
        request,
        pk,
        form=lambda data, files: CommentForm(data),
        form_name="comment_form",
        permission=access.require_progress,
        change=lambda a, d: a.comment(by=request.user, text=d["text"]),
        done=_("Comment added."),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def edit(request, pk):
    action = access.get_action(request.user, pk, _detail_queryset())
    access.require_manage(request.user, action)
    if request.method != "POST":
        form = EditActionForm(instance=action, user=request.user)
        return render(request, "insights/action_edit.html", {"action": action, "form": form})
    current = Action.objects.get(pk=action.pk)
    form = EditActionForm(request.POST, instance=current, user=request.user)
    status = 400
    if form.is_valid():
        try:
            edit_action(
                action,
                by=request.user,
                version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
                themes=form.cleaned_data["themes"],
                **form.changes(),
            )
        except ActionStateError as exc:
            form.add_error(None, str(exc))
            status = 409
        else:
            messages.success(request, _("Changes saved."))
            return redirect("insights:action-detail", pk=action.pk)
    return render(
        request, "insights/action_edit.html", {"action": action, "form": form}, status=status
    )
