"""The themes list: every CX lead reads it; staff and CX leads of a top-level team keep it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from insights.models import Theme
from insights.theme_forms import ThemeForm
from insights.themes import may_change_themes, may_read_themes

ONLY_KEEPERS = (
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
    if request.method == "POST":
        if form.is_valid():
            saved = form.save()
            state = "" if saved.is_active else " It is retired: triage no longer offers it."
            messages.success(request, f"Theme \u201c{saved}\u201d saved.{state}")
            return redirect("insights:theme-list")
        status = 400
    else:
        status = 200
    return render(
        request, "insights/theme_edit.html", {"form": form, "theme": theme}, status=status
    )
