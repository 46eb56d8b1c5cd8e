import datetime as dt

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from immersion.filters import DayFilter
from immersion.forms import DateInput
from immersion.models import Persona, Programme, SessionType, Team, Touchpoint
from journal import prompts
from journal.images import PhotoUploadsField
from journal.models import Emotion, JourneyStage, Observation
from journal.templatetags.journal_tags import feeling_tone

INTENSITY_CHOICES = [(n, str(n)) for n in range(1, 6)]
# The kind an unchosen observation takes from its feeling; a neutral feeling says nothing.
KIND_FOR_TONE = {"good": Observation.Kind.DELIGHT, "bad": Observation.Kind.PAIN_POINT}


class ObservationForm(forms.ModelForm):
    """What a manager saw; the capture page lays the choices out as big tiles."""

    touchpoint = forms.ChoiceField(
        label=_("Touchpoint"),
        choices=Touchpoint.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose where it happened.")},
    )
    emotion = forms.ChoiceField(
        label=_("How would the customer feel?"),
        choices=Emotion.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the customer would feel.")},
    )
    intensity = forms.TypedChoiceField(
        label=_("How strongly? 1 slightly, 5 intensely"),
        choices=INTENSITY_CHOICES,
        coerce=int,
        initial=3,
        widget=forms.RadioSelect,
    )
    # Neither starts chosen: a default would store a guess as if the manager had said it.
    kind = forms.ChoiceField(
        choices=Observation.Kind.choices,
        required=False,
        help_text=_(
            "Left unchosen, it follows the feeling: a good one is a delight, "
            "a bad one a pain point."
        ),
        widget=forms.RadioSelect,
    )
    impact = forms.ChoiceField(
        choices=[("", _("Not rated")), *Observation.Impact.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    journey_stage = forms.ChoiceField(
        label=_("Journey stage"),
        choices=[("", _("Not sure")), *JourneyStage.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    class Meta:
        model = Observation
        fields = [
            "touchpoint",
            "emotion",
            "intensity",
            "what_happened",
            "quote",
            "kind",
            "impact",
            "journey_stage",
        ]
        labels = {"what_happened": _("What happened?"), "quote": _("The customer's words")}
        widgets = {
            "what_happened": forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
            "quote": forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required = _("Say in a few words what happened.")
        self.fields["what_happened"].error_messages["required"] = required

    def clean_what_happened(self):
        text = self.cleaned_data["what_happened"].strip()
        if not text:
            raise forms.ValidationError(_("Say in a few words what happened."))
        return text

    def clean_quote(self):
        return self.cleaned_data["quote"].strip()

    def clean(self):
        cleaned = super().clean()
        emotion = cleaned.get("emotion")
        if not cleaned.get("kind") and emotion:
            derived = KIND_FOR_TONE.get(feeling_tone(emotion))
            if derived is None:
                feeling = Emotion(emotion).label
                self.add_error(
                    "kind",
                    _("Choose what kind of observation this is: “%(feeling)s” does not say.")
                    % {"feeling": feeling},
                )
            else:
                cleaned["kind"] = derived
        return cleaned


def time_from_browser(stamp: str) -> dt.datetime | None:
    """A file's time as the browser gives it (milliseconds since 1970), if believable."""
    try:
        taken = dt.datetime.fromtimestamp(int(stamp) / 1000, tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
    now = timezone.now()
    if not now - dt.timedelta(days=365) <= taken <= now + dt.timedelta(minutes=5):
        return None
    return taken


class CaptureForm(ObservationForm):
    """A new observation with its photos; the client's UUID makes a retried post harmless."""

    client_uuid = forms.UUIDField(widget=forms.HiddenInput)
    photos = PhotoUploadsField(
        label=_("Photos"),
        help_text=_("Take photos or choose them from your gallery. JPEG, PNG, WebP or HEIC."),
        widget=PhotoUploadsField.widget(attrs={"capture": "environment"}),
    )

    def __init__(self, *args, suggested_touchpoints=(), session=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The session type's usual touchpoints come first: the likeliest tap is the nearest.
        first = [c for c in Touchpoint.choices if c[0] in suggested_touchpoints]
        self.fields["touchpoint"].choices = first + [
            c for c in Touchpoint.choices if c not in first
        ]
        self.session, self.user = session, user
        # What the registered questions posted back, checked in clean: (provider, prompt).
        self.answers = []
        for provider in prompts.providers():
            self.fields[provider.field] = forms.CharField(required=False, max_length=40)

    def clean_prompts(self, cleaned) -> None:
        for provider in prompts.providers():
            key = cleaned.get(provider.field)
            if not key or self.session is None:
                continue
            try:
                prompt = provider.check(self.session, self.user, key, cleaned.get("client_uuid"))
            except prompts.PromptRefused as refused:
                self.add_error(provider.field, str(refused))
                continue
            touchpoint = cleaned.get("touchpoint")
            if touchpoint and touchpoint != prompt.touchpoint:
                self.add_error(
                    "touchpoint",
                    _(
                        "The re-visit asks about %(touchpoint)s: choose it, "
                        "or answer “Something new” to the re-visit."
                    )
                    % {"touchpoint": prompt.touchpoint_label},
                )
                continue
            self.answers.append((provider, prompt))

    def attach_answers(self, observation) -> None:
        """Link the stored observation to what it answers, in the same transaction."""
        for provider, prompt in self.answers:
            provider.attach(observation, prompt)

    def clean(self):
        cleaned = super().clean()
        # A photo shrunk in the browser has lost its EXIF; the script sends the file's
        # own time instead, used only when the photo itself says nothing.
        stamps = self.data.getlist("photo_taken") if hasattr(self.data, "getlist") else []
        for photo, stamp in zip(cleaned.get("photos") or [], stamps, strict=False):
            if photo.captured_at is None:
                photo.captured_at = time_from_browser(stamp)
        self.clean_prompts(cleaned)
        return cleaned

    def observation_fields(self) -> dict:
        names = [*ObservationForm.Meta.fields, "client_uuid"]
        return {name: self.cleaned_data[name] for name in names}


def theme_model():
    """The themes observations are filed under, or None.

    The insights app keeps them and declares the relation, named ``themes``; the journal
    reads it by that name and never imports insights.
    """
    try:
        return Observation._meta.get_field("themes").related_model
    except FieldDoesNotExist:
        return None


class ObservationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    touchpoint = django_filters.ChoiceFilter(
        label=_("Touchpoint"), choices=Touchpoint.choices, empty_label=_("Any")
    )
    emotion = django_filters.ChoiceFilter(
        label=_("Feeling"), choices=Emotion.choices, empty_label=_("Any")
    )
    journey_stage = django_filters.ChoiceFilter(
        label=_("Journey stage"),
        # "none" finds the observations recorded without a stage (the journey view links there).
        choices=[*JourneyStage.choices, ("none", _("Not recorded"))],
        empty_label=_("Any"),
        method="filter_stage",
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Observation.Kind.choices, empty_label=_("Any")
    )
    impact = django_filters.ChoiceFilter(
        label=_("Impact"), choices=Observation.Impact.choices, empty_label=_("Any")
    )
    triage_state = django_filters.ChoiceFilter(
        label=_("Triage"), choices=Observation.TriageState.choices, empty_label=_("Any")
    )
    team = django_filters.ModelChoiceFilter(
        label=_("Team (with its sub-teams)"),
        queryset=Team.objects.none(),
        method="filter_team",
        empty_label=_("Any"),
    )
    session_type = django_filters.ModelChoiceFilter(
        field_name="session__session_type",
        label=_("Session type"),
        queryset=SessionType.objects.all(),
        empty_label=_("Any"),
    )
    persona = django_filters.ModelChoiceFilter(
        field_name="session__persona",
        label=_("Persona"),
        queryset=Persona.objects.all(),
        empty_label=_("Any"),
    )
    programme = django_filters.ModelChoiceFilter(
        field_name="session__programme",
        label=_("Programme"),
        queryset=Programme.objects.none(),
        empty_label=_("Any"),
    )
    since = DayFilter(
        field_name="created_at",
        lookup_expr="date__gte",
        label=_("From"),
        widget=DateInput(),
    )
    until = DayFilter(
        field_name="created_at",
        lookup_expr="date__lte",
        label=_("To"),
        widget=DateInput(),
    )

    class Meta:
        model = Observation
        fields = ["q", "touchpoint", "emotion", "kind", "impact", "triage_state"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["team"].queryset = Team.objects.filter(pk__in=user.scope_team_ids)
        self.filters["programme"].queryset = Programme.objects.visible_to(user)
        themes = theme_model()
        if themes is not None:
            theme = django_filters.ModelChoiceFilter(
                field_name="themes",
                label=_("Theme"),
                queryset=themes.objects.all(),
                empty_label=_("Any"),
            )
            theme.model, theme.parent = self.queryset.model, self
            self.filters["theme"] = theme

    def filter_text(self, queryset, name, value):
        return queryset.search(value)

    def filter_team(self, queryset, name, team):
        return queryset.filter(session__team__path__startswith=team.path)

    def filter_stage(self, queryset, name, value):
        return queryset.filter(journey_stage="" if value == "none" else value)
