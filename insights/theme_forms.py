"""Forms for themes: the list CX leads keep, and the themes chosen at triage and on an action."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from insights.models import Theme

NOT_OFFERED = _("Choose themes from the list; that one is not offered.")


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {"name": _("Name"), "description": _("Description")}
        error_messages = {
            "name": {
                "required": _("Give the theme a name."),
                "unique": _("There is already a theme of that name; change that one instead."),
            },
            "description": {"required": _("Say what belongs under this theme.")},
        }

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the theme a name."))
        clash = Theme.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                _("There is already a theme of that name; change that one instead.")
            )
        return name

    def clean_description(self):
        description = self.cleaned_data["description"].strip()
        if not description:
            raise forms.ValidationError(_("Say what belongs under this theme."))
        return description


class ThemeChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})
        )
        kwargs.setdefault("queryset", Theme.objects.none())
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Themes"))
        kwargs.setdefault(
            "error_messages", {"invalid_choice": NOT_OFFERED, "invalid_pk_value": NOT_OFFERED}
        )
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return obj.name if obj.is_active else gettext("%(name)s (retired)") % {"name": obj.name}


def offer_themes(field, keep=(), suggested=()) -> None:
    """Offer the active themes and those already held; suggested ones first."""
    offered = list(Theme.objects.offered(keep))
    first = [t.pk for t in suggested]
    offered.sort(key=lambda t: (t.pk not in first, first.index(t.pk) if t.pk in first else 0))
    field.queryset = Theme.objects.offered(keep)
    field.choices = [(t.pk, field.label_from_instance(t)) for t in offered]


class ThemesForm(forms.Form):
    """The themes of one observation at triage, or of several decided at once."""

    themes = ThemeChoiceField(help_text=_("The root causes behind it; change them as you see fit."))

    def __init__(self, *args, observation=None, suggested=(), **kwargs):
        super().__init__(*args, **kwargs)
        keep = []
        if observation is None:
            self.fields["themes"].help_text = _(
                "Added to the themes each one already carries; a new action takes them all."
            )
        else:
            keep = [t.pk for t in observation.themes.all()]
            if not self.is_bound:
                # Pre-ticked: what it carries, or else what the suggestions say.
                self.initial["themes"] = keep or [t.pk for t in suggested]
        offer_themes(self.fields["themes"], keep, suggested)
