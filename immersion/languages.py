"""The site's languages: each person's own choice, else what their browser asks for.

Django's LocaleMiddleware reads the browser's Accept-Language (or the language cookie the
public pages' switch sets); a signed-in person's saved choice, on their Language page,
comes before both, on every device they use.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe
from django.views.i18n import JavaScriptCatalog

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


class UserLanguageMiddleware:
    """After authentication: a saved choice of language outranks the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user is not None else ""
        if chosen and chosen in LANGUAGE_CODES and chosen != request.LANGUAGE_CODE:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return self.get_response(request)


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        choices=[("", gettext_lazy("As my browser asks")), *settings.LANGUAGES],
        required=False,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("Pages, e-mails and the phone app use it."),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def language_page(request):
    data = request.POST if request.method == "POST" else None
    form = LanguageForm(data, initial={"language": request.user.language})
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "immersion/language.html", {"form": form}, status=400)
        request.user.language = form.cleaned_data["language"]
        request.user.save(update_fields=["language"])
        language = request.user.language or translation.get_language_from_request(request)
        translation.activate(language)
        messages.success(request, _("Your language is saved."))
        return redirect("language")
    return render(request, "immersion/language.html", {"form": form})


class ProjectCatalog(JavaScriptCatalog):
    """The phone app's strings, from the project's own translation files."""

    domain = "djangojs"

    def get_paths(self, packages):
        return [str(path) for path in settings.LOCALE_PATHS]


@login_not_required
@require_safe
def javascript_catalog(request, language: str):
    # The language is in the address so the offline copy the phone keeps of one language
    # is never served for another.
    if language not in LANGUAGE_CODES:
        raise Http404("No such language.")
    with translation.override(language):
        response = ProjectCatalog.as_view()(request)
    response["Cache-Control"] = "public, max-age=3600"
    return response
