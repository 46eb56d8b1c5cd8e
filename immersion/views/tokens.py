"""The account page where a user makes and revokes personal access tokens for the API."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from immersion.models import ApiToken

LIFETIMES = [
    ("30", gettext_lazy("30 days")),
    ("90", gettext_lazy("90 days")),
    ("365", gettext_lazy("A year")),
    ("", gettext_lazy("Never expires")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=80,
        label=gettext_lazy("Name"),
        error_messages={"required": gettext_lazy("Give the token a name.")},
        help_text=gettext_lazy(
            "What uses it, so you know which to revoke: “Weekly report script”."
        ),
    )
    lifetime = forms.ChoiceField(
        label=gettext_lazy("Expires after"), choices=LIFETIMES, initial="90", required=False
    )

    def expires_at(self):
        days = self.cleaned_data.get("lifetime")
        return timezone.now() + timezone.timedelta(days=int(days)) if days else None


@require_http_methods(["GET", "HEAD", "POST"])
def token_list(request):
    form = TokenForm(request.POST or None)
    context = {"form": form, "created": None}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _, text = ApiToken.issue(request.user, form.cleaned_data["name"], form.expires_at())
            # Rendered, not redirected: the full token exists only in this response.
            context = {"form": TokenForm(), "created": text}
            status = 201
        else:
            status = 400
    context["tokens"] = request.user.api_tokens.filter(revoked_at__isnull=True)
    response = render(request, "immersion/api/tokens.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.revoke()
    messages.success(
        request, _("“%(name)s” is revoked: it no longer opens the API.") % {"name": token.name}
    )
    return redirect("api-tokens")
