"""Designing the programme: session types, personas and programmes with their participation."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from immersion.access import (
    can_change_catalogue,
    catalogue_editor_required,
    catalogue_reader_required,
    programme_for,
    role_required,
)
from immersion.catalogue_forms import PersonaForm, ProgrammeForm, SessionTypeForm
from immersion.models import Persona, Programme, Role, SessionType
from immersion.participation import participation

READERS = (Role.CX_LEAD, Role.EXECUTIVE)


def _form_page(request, form, *, title, submit, back, status=200):
    return render(
        request,
        "immersion/design/form.html",
        {"form": form, "title": title, "submit": submit, "back": back},
        status=status,
    )


@require_safe
@catalogue_reader_required
def session_type_list(request):
    return render(
        request,
        "immersion/design/session_types.html",
        {
            "session_types": SessionType.objects.all(),
            "personas": Persona.objects.all(),
            "can_change": can_change_catalogue(request.user),
        },
    )


def _catalogue_edit(request, model, form_class, pk, new_title):
    """Create or change a session type or persona; both live on the session types page."""
    instance = get_object_or_404(model, pk=pk) if pk else None
    form = form_class(request.POST or None, instance=instance)
    title = _("Change %(name)s") % {"name": instance} if instance else new_title
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("%(name)s saved.") % {"name": saved})
        return redirect("immersion:session-types")
    status = 400 if request.method == "POST" else 200
    return _form_page(
        request, form, title=title, submit=_("Save"), back="immersion:session-types", status=status
    )


@require_http_methods(["GET", "HEAD", "POST"])
@catalogue_editor_required
def session_type_edit(request, pk=None):
    return _catalogue_edit(request, SessionType, SessionTypeForm, pk, _("New session type"))


@require_http_methods(["GET", "HEAD", "POST"])
@catalogue_editor_required
def persona_edit(request, pk=None):
    return _catalogue_edit(request, Persona, PersonaForm, pk, _("New persona"))


@require_safe
@role_required(*READERS)
def programme_list(request):
    programmes = Programme.objects.visible_to(request.user).select_related("owner")
    return render(request, "immersion/design/programmes.html", {"programmes": programmes})


@require_safe
@role_required(*READERS)
def programme_detail(request, pk):
    programme = programme_for(request.user, pk, queryset=Programme.objects.select_related("owner"))
    target_types = list(programme.target_types.all())
    people, teams = participation(
        programme, [t.pk for t in target_types], within=request.user.scope_team_ids
    )
    return render(
        request,
        "immersion/design/programme_detail.html",
        {
            "programme": programme,
            "can_change": programme.can_change,
            "target_types": target_types,
            "people": people,
            "teams": teams,
            "behind": sum(row.state == "behind" for row in people),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.CX_LEAD)
def programme_edit(request, pk=None):
    instance = programme_for(request.user, pk, change=True) if pk else None
    form = ProgrammeForm(request.POST or None, instance=instance, user=request.user)
    title = _("Change %(name)s") % {"name": instance} if instance else _("New programme")
    if request.method == "POST":
        if form.is_valid():
            programme = form.save(commit=False)
            if instance is None:
                programme.owner = request.user
            programme.save()
            form.save_m2m()
            messages.success(request, _("%(name)s saved.") % {"name": programme})
            return redirect("immersion:programme-detail", pk=programme.pk)
        return _form_page(
            request, form, title=title, submit=_("Save"), back="immersion:programmes", status=400
        )
    return _form_page(request, form, title=title, submit=_("Save"), back="immersion:programmes")
