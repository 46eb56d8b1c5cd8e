"""The service-level policy form: a priority's days and reminder, with its escalation steps."""

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from insights.models import EscalationStep, ServicePolicy

MAX_STEPS = 6


class PolicyForm(forms.ModelForm):
    class Meta:
        model = ServicePolicy
        fields = ["days_to_due", "reminder_days"]
        error_messages = {
            "days_to_due": {"required": _("Say how many days an action of this priority gets.")},
            "reminder_days": {"required": _("Say when to remind, or 0 for no reminder.")},
        }

    def clean_days_to_due(self):
        days = self.cleaned_data["days_to_due"]
        if days < 1:
            raise forms.ValidationError(_("Give at least one day to the due date."))
        return days

    def clean(self):
        cleaned = super().clean()
        days, reminder = cleaned.get("days_to_due"), cleaned.get("reminder_days")
        if days and reminder and reminder >= days:
            self.add_error(
                "reminder_days",
                "The reminder has to come after the action is made: "
                "use fewer days than the days to the due date.",
            )
        return cleaned


class StepForm(forms.ModelForm):
    class Meta:
        model = EscalationStep
        fields = ["days_after_due", "recipient"]
        help_texts = {"days_after_due": _("0 is the due date itself.")}


class BaseStepFormSet(BaseInlineFormSet):
    def clean(self):
        # Before the model formset's own uniqueness check, whose message names columns.
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("recipient"):
                continue
            key = (data["recipient"], data.get("days_after_due"))
            if key in seen:
                raise forms.ValidationError(
                    "Two steps tell the same people on the same day: remove one."
                )
            seen.add(key)
        super().clean()


def step_formset(policy, data=None):
    """The policy's steps to edit; a default policy's steps come as prefilled new rows.

    Posted rows carry no initial values: a row equal to its initial one would count as
    unchanged and be left out, dropping a default step saved as it was.
    """
    initial = (
        [
            {"days_after_due": s.days_after_due, "recipient": s.recipient}
            for s in policy.ordered_steps()
        ]
        if policy.is_default and data is None
        else []
    )
    formset_class = inlineformset_factory(
        ServicePolicy,
        EscalationStep,
        form=StepForm,
        formset=BaseStepFormSet,
        extra=len(initial) + 1,
        can_delete=True,
        max_num=MAX_STEPS,
        validate_max=True,
    )
    return formset_class(data, instance=policy, initial=initial, prefix="steps")
