"""The themes list: every CX lead reads it; staff and CX leads of a top-level team keep it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, ProtectedError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from insights.models import Theme
from insights.theme_forms import ThemeForm
from insights.themes import may_change_themes, may_read_themes

ONLY_KEEPERS = gettext_lazy(
    "Themes are shared by every team: only staff and the CX leads of a top-level team change them."
)


@require_safe
def theme_list(request):
    if not may_read_themes(request.user):
        raise PermissionDenied("Your role does not include this page.")
    themes = Theme.objects.annotate(
        observation_count=Count("observations", distinct=True),
        action_count=Count("actions", distinct=True),
    ).order_by("-is_active", "name")
    return render(
        request,
        "insights/theme_list.html",
        {"themes": themes, "can_change": may_change_themes(request.user)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def theme_edit(request, pk=None):
    if not may_change_themes(request.user):
        raise PermissionDenied(ONLY_KEEPERS)
    theme = get_object_or_404(Theme, pk=pk) if pk else None
    form = ThemeForm(request.POST or None, instance=theme)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        if saved.is_active:
            done = _("Theme “%(name)s” saved.")
        else:
            done = _("Theme “%(name)s” saved. It is retired: triage no longer offers it.")
        messages.success(request, done % {"name": saved})
        return redirect("insights:theme-list")
    return _edit_page(request, theme, form, status=400 if request.method == "POST" else 200)


def _edit_page(request, theme, form, status, error=None):
    # Only a theme nothing carries may be deleted; the page offers it only then.
    in_use = theme is not None and (theme.observations.exists() or theme.actions.exists())
    context = {"form": form, "theme": theme, "in_use": in_use, "error": error}
    return render(request, "insights/theme_edit.html", context, status=status)


@require_POST
def theme_delete(request, pk):
    """Delete a theme nothing carries yet (a slip of the keyboard); one in use is retired."""
    if not may_change_themes(request.user):
        raise PermissionDenied(ONLY_KEEPERS)
    theme = get_object_or_404(Theme, pk=pk)
    try:
        theme.delete()
    except ProtectedError:
        error = _(
            "Observations or actions carry this theme, so it cannot be deleted: untick "
            "“In use” to retire it instead."
        )
        return _edit_page(request, theme, ThemeForm(instance=theme), status=409, error=error)
    messages.success(request, _("Theme “%(name)s” deleted.") % {"name": theme})
    return redirect("insights:theme-list")
