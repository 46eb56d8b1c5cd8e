"""The auditor's forms: which month to audit and how much to sample, each finding, and the
statement the audit is signed with."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from insights.models import Audit, AuditItem

MAX_SAMPLE = 100


def sample_size(label: str, initial: int) -> forms.IntegerField:
    out_of_range = format_lazy(_("Give a number from 0 to {most}."), most=MAX_SAMPLE)
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_SAMPLE,
        initial=initial,
        error_messages={"min_value": out_of_range, "max_value": out_of_range},
    )


class AuditStartForm(forms.ModelForm):
    month = forms.TypedChoiceField(
        label=_("Month to audit"),
        help_text=_("Months appear once their figures can no longer change."),
        error_messages={"invalid_choice": _("Choose one of the months offered.")},
    )
    fixes = sample_size(_("Verified fixes to sample"), 20)
    reports = sample_size(_("Customer reports to sample"), 10)

    class Meta:
        model = Audit
        fields = ["month", "auditor_organisation"]
        help_texts = {"auditor_organisation": _("Shown on the public page beside your findings.")}

    def __init__(self, *args, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(m.isoformat(), f"{m:%B %Y}") for m in months]
        self.fields["month"].coerce = lambda value: next(
            m for m in months if m.isoformat() == value
        )

    def clean(self):
        data = super().clean()
        if data.get("fixes") == 0 and data.get("reports") == 0:
            raise forms.ValidationError(_("Sample at least one fix or report."))
        return data


class FindingForm(forms.ModelForm):
    finding = forms.ChoiceField(
        label=_("What did you find?"),
        choices=AuditItem.Finding.choices[1:],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you found.")},
    )

    class Meta:
        model = AuditItem
        fields = ["finding", "note"]
        labels = {"note": _("Note")}
        help_texts = {
            "note": _("Required when the evidence does not confirm it: say what is missing.")
        }
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        if (
            data.get("finding") == AuditItem.Finding.NOT_CONFIRMED
            and not data.get("note", "").strip()
        ):
            self.add_error("note", "Say what the evidence does not show.")
        return data


class SignForm(forms.Form):
    statement = forms.CharField(
        label=_("Your statement"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Published as it is: what you checked, how, and what you found."),
        error_messages={"required": _("Write the statement the audit is published with.")},
    )

    def clean_statement(self):
        statement = self.cleaned_data["statement"].strip()
        if not statement:
            raise forms.ValidationError(_("Write the statement the audit is published with."))
        return statement
