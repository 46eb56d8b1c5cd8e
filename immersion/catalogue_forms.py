"""Forms for the programme's catalogue: session types, personas and programmes.

Sessions and their moves have theirs in immersion/forms.py, with the date fields both use.
"""

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from immersion.forms import DayField, keeping
from immersion.models import Persona, Programme, Role, SessionType, Team, Touchpoint, User


class LinesField(forms.CharField):
    """A list of strings edited as one per line; blank lines are dropped."""

    widget = forms.Textarea(attrs={"rows": 6})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


class SessionTypeForm(forms.ModelForm):
    prompts = LinesField(
        label=_("Guidance prompts"),
        help_text=_("One per line, in the order the manager should think about them."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Default length (minutes)"),
        min_value=15,
        max_value=24 * 60,
        help_text=_("From 15 minutes to a whole day (1440)."),
    )
    suggested_touchpoints = forms.MultipleChoiceField(
        choices=Touchpoint.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Suggested touchpoints"),
        help_text=_("Where this kind of session usually meets the customer."),
    )

    field_order = [
        "name",
        "purpose",
        "prompts",
        "duration_minutes",
        "suggested_touchpoints",
        "is_active",
    ]

    class Meta:
        model = SessionType
        fields = ["name", "purpose", "prompts", "suggested_touchpoints", "is_active"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "name": _("Name"),
            "purpose": _("Purpose"),
            "is_active": _("Offered when scheduling"),
        }
        help_texts = {"purpose": _("Why managers do this and what it teaches them.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["duration_minutes"] = int(
                self.instance.default_duration.total_seconds() // 60
            )

    def clean_prompts(self):
        prompts = self.cleaned_data["prompts"]
        if not prompts:
            raise ValidationError(_("Give at least one prompt to guide the session."))
        if len(prompts) > 20:
            raise ValidationError(_("Keep it to 20 prompts at most; a phone screen is small."))
        return prompts

    def save(self, commit=True):
        self.instance.default_duration = timedelta(minutes=self.cleaned_data["duration_minutes"])
        return super().save(commit)


class PersonaForm(forms.ModelForm):
    class Meta:
        model = Persona
        fields = ["name", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "name": _("Name"),
            "description": _("Description"),
            "is_active": _("Offered when scheduling"),
        }


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "name",
            "starts_on",
            "ends_on",
            "target_sessions",
            "target_types",
            "participant_teams",
            "participants",
        ]
        field_classes = {"starts_on": DayField, "ends_on": DayField}
        widgets = {
            "target_types": forms.CheckboxSelectMultiple,
            "participant_teams": forms.CheckboxSelectMultiple,
            "participants": forms.CheckboxSelectMultiple,
        }
        labels = {
            "name": _("Name"),
            "starts_on": _("Starts on"),
            "ends_on": _("Ends on"),
            "target_sessions": _("Sessions each participant should complete"),
            "target_types": _("Counting only these session types"),
            "participant_teams": _("Teams taking part"),
            "participants": _("People taking part"),
        }
        help_texts = {
            "participant_teams": _("Every manager in the team and its sub-teams takes part."),
            "participants": _("Add people one by one, besides whole teams."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = user.scope_team_ids
        # Only a CX lead who reaches every team and person of a programme may change it
        # (immersion.access), so what is kept here is within their scope: someone named
        # who is no longer a manager, a session type since retired.
        has = self.instance.pk is not None
        self.fields["participant_teams"].queryset = Team.objects.filter(pk__in=scope)
        self.fields["participants"].queryset = keeping(
            User.objects.with_role(Role.MANAGER).in_teams(scope).order_by("first_name"),
            self.instance.participants.values("pk") if has else None,
        )
        self.fields["target_types"].queryset = keeping(
            SessionType.objects.active(), self.instance.target_types.values("pk") if has else None
        )
        self.fields["target_sessions"].widget.attrs.update({"min": 1, "max": 100})

    def clean_target_sessions(self):
        target = self.cleaned_data["target_sessions"]
        if not 1 <= target <= 100:
            raise ValidationError(_("Ask for between 1 and 100 sessions."))
        return target

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The programme must end on or after its start."))
        if not cleaned.get("participant_teams") and not cleaned.get("participants"):
            self.add_error("participant_teams", _("Choose at least one team or person."))
        return cleaned
