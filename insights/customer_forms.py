"""Forms customers fill in without an account, and the CX lead's promise form."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from immersion.models import Team, Touchpoint
from insights.customer_reports import seconds_since_started
from insights.models import PromiseVersion

WHAT_HAPPENED_MAX = 2000
CONTACT_MAX = 200
REFERENCE_MAX = 20
KEEP_UNDER = _("Please keep it under {limit} characters.")
# What a customer recognises; the rest of the touchpoints are staff vocabulary.
CUSTOMER_TOUCHPOINTS = [
    (Touchpoint.STORE, _("In a store")),
    (Touchpoint.STAFF, _("A member of staff")),
    (Touchpoint.PRODUCT, _("A product")),
    (Touchpoint.DELIVERY, _("A delivery")),
    (Touchpoint.PHONE, _("On the phone")),
    (Touchpoint.WEBSITE, _("The website or app")),
    (Touchpoint.BILLING, _("A bill or refund")),
]


class Refused(Exception):
    """A post from a script rather than a person: answered with a plain 400, nothing kept."""


def report_teams():
    """Where a customer can have met us: every team but the regions that group them."""
    return Team.objects.exclude(kind=Team.Kind.REGION).order_by("name")


class CustomerReportForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Where did it happen?"),
        queryset=Team.objects.none(),
        empty_label=_("Choose a place"),
        error_messages={"required": _("Choose where it happened.")},
    )
    promise = forms.ModelChoiceField(
        label=_("Which of our promises did we break?"),
        queryset=PromiseVersion.objects.none(),
        required=False,
        empty_label=_("I'm not sure"),
    )
    touchpoint = forms.ChoiceField(
        label=_("What was it about?"),
        choices=[("", _("Choose one")), *CUSTOMER_TOUCHPOINTS],
        error_messages={"required": _("Say what it was about.")},
    )
    what_happened = forms.CharField(
        label=_("What happened?"),
        max_length=WHAT_HAPPENED_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Tell us what happened."),
            "max_length": format_lazy(KEEP_UNDER, limit=WHAT_HAPPENED_MAX),
        },
    )
    happened_on = forms.DateField(
        label=_("When did it happen?"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Say on which day."),
            "invalid": _("Give a date like 2026-05-31."),
        },
    )
    contact = forms.CharField(
        label=_("How can we reach you? (optional)"),
        help_text=_(
            "An e-mail address or phone number. If you give one, you agree that we use it "
            "only to answer this report."
        ),
        max_length=CONTACT_MAX,
        required=False,
        error_messages={"max_length": format_lazy(KEEP_UNDER, limit=CONTACT_MAX)},
    )
    # Left empty by people, who never see it; filled by scripts that fill every field.
    website = forms.CharField(label=_("Leave this empty"), required=False)
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, promises=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = report_teams()
        self.fields["promise"].queryset = PromiseVersion.objects.filter(
            pk__in=[p.pk for p in promises]
        )
        # Labels from the versions already read, rather than a query of their own.
        self.fields["promise"].choices = [("", _("I'm not sure"))] + [
            (p.pk, p.title) for p in promises
        ]
        self.fields["website"].widget.attrs.update(
            {"autocomplete": "off", "tabindex": "-1", "class": "form-control"}
        )

    def clean_happened_on(self):
        day = self.cleaned_data["happened_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("That day has not come yet: give the day it happened."))
        return day

    def clean_what_happened(self):
        return self.cleaned_data["what_happened"].strip()

    def clean_contact(self):
        return self.cleaned_data["contact"].strip()

    def refusal(self) -> str | None:
        """Why the post looks made by a script, checked before anything else; None if not."""
        if self.data.get("website"):
            return "honeypot"
        elapsed = seconds_since_started(self.data.get("started", ""))
        if elapsed is None:
            return "expired"
        if elapsed < settings.CUSTOMER_REPORT_MIN_SECONDS:
            return "too-fast"
        return None


class ReferenceForm(forms.Form):
    reference = forms.CharField(
        label=_("Your reference"),
        max_length=REFERENCE_MAX,
        error_messages={
            "required": _("Give the reference we showed you, like ABCD-2345."),
            "max_length": _("A reference is 9 characters, like ABCD-2345."),
        },
    )

    def clean_reference(self):
        raw = self.cleaned_data["reference"].strip().upper().replace(" ", "")
        if len(raw) == 8 and "-" not in raw:
            raw = f"{raw[:4]}-{raw[4:]}"
        return raw


class PromiseForm(forms.ModelForm):
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        required=False,
        label=_("Team"),
        empty_label=_("The whole organisation"),
        help_text=_("A team's own promise, e.g. a store's, or leave it for everyone."),
    )

    class Meta:
        model = PromiseVersion
        fields = [
            "title",
            "can_count_on",
            "we_expect",
            "if_we_fail",
            "answer_within_days",
            "put_right_within_days",
        ]
        widgets = {
            "can_count_on": forms.Textarea(attrs={"rows": 3}),
            "we_expect": forms.Textarea(attrs={"rows": 3}),
            "if_we_fail": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"title": _("Title")}
        error_messages = {
            "title": {"required": _("Give the promise a short title.")},
            "can_count_on": {"required": _("Say what the customer can count on.")},
            "we_expect": {"required": _("Say what we ask of the customer for it to apply.")},
            "if_we_fail": {"required": _("Say what we do if we fail.")},
            "answer_within_days": {"required": _("Say within how many days we answer.")},
            "put_right_within_days": {"required": _("Say within how many days we put it right.")},
        }

    def __init__(self, *args, teams=None, with_team=True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_team:
            self.fields["team"].queryset = teams if teams is not None else Team.objects.none()
        else:
            del self.fields["team"]

    def clean(self):
        cleaned = super().clean()
        answer, fix = cleaned.get("answer_within_days"), cleaned.get("put_right_within_days")
        for name, days in (("answer_within_days", answer), ("put_right_within_days", fix)):
            if days is not None and days < 1:
                self.add_error(name, _("Give at least one day."))
        if answer and fix and answer > fix:
            self.add_error(
                "put_right_within_days",
                _(
                    "We cannot put it right before we answer: give at least as many days as "
                    "for the answer."
                ),
            )
        return cleaned
