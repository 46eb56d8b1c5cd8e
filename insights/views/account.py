"""A user's own settings for action e-mails."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from insights.forms import ReminderSettingsForm


@require_http_methods(["GET", "HEAD", "POST"])
def notification_settings(request):
    data = request.POST if request.method == "POST" else None
    form = ReminderSettingsForm(data, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Your e-mail settings are saved."))
            return redirect("insights:notification-settings")
        return render(request, "insights/notification_settings.html", {"form": form}, status=400)
    return render(request, "insights/notification_settings.html", {"form": form})
