"""Forms for sessions and their moves, and the date fields every form uses.

Every refusal lands on the field it is about, with a message a manager can act on.
"""

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from immersion.models import (
    ImmersionSession,
    Persona,
    Programme,
    Role,
    SessionType,
    Team,
    User,
)
from immersion.scheduling import MAX_SERIES, Repeat, Slot, occurrences

# Every date people plan, record or filter by falls in this range. Outside it a date is a
# slip of the keyboard (year 20255), and date arithmetic near year 1 or 9999 overflows.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
OUT_OF_RANGE = lazy(
    lambda: (
        _("Choose a date between %(first)s and %(last)s.")
        % {"first": date_format(FIRST_DAY), "last": date_format(LAST_DAY)}
    ),
    str,
)()


def validate_day_in_range(value) -> None:
    day = value.date() if isinstance(value, datetime) else value
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(OUT_OF_RANGE, code="out_of_range")


class DateInput(forms.DateInput):
    """A phone's date picker; it only understands ISO dates, whatever the site's locale."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(
            {"min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat(), **(attrs or {})},
            format="%Y-%m-%d",
        )


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        bounds = {"min": f"{FIRST_DAY.isoformat()}T00:00", "max": f"{LAST_DAY.isoformat()}T23:59"}
        super().__init__({**bounds, **(attrs or {})}, format="%Y-%m-%dT%H:%M")


class DayField(forms.DateField):
    """A date between FIRST_DAY and LAST_DAY."""

    widget = DateInput
    default_validators = [validate_day_in_range]


class MomentField(forms.DateTimeField):
    """A date and time on a day between FIRST_DAY and LAST_DAY."""

    widget = DateTimeInput
    default_validators = [validate_day_in_range]


def keeping(choices, kept_ids):
    """The choices offered to the user, plus what the object already holds.

    A form offers only what the user may choose (their scope, the active catalogue), yet
    saving must not silently drop a value the object holds from outside those choices.
    `kept_ids` is a list of ids or a queryset of them; None when there is no object yet.
    """
    if kept_ids is None:
        return choices
    return choices.model.objects.filter(
        Q(pk__in=choices.values("pk")) | Q(pk__in=kept_ids)
    ).order_by(*choices.query.order_by)


class SessionForm(forms.ModelForm):
    """Plan one session, or a series of them, for a manager.

    A CX lead plans for any manager in their scope; a manager plans only for themselves.
    """

    planned_start = MomentField(label=_("Starts"))
    planned_end = MomentField(
        label=_("Ends"),
        required=False,
        help_text=_("Leave empty to use the session type's usual length."),
    )

    class Meta:
        model = ImmersionSession
        fields = [
            "session_type",
            "persona",
            "programme",
            "lead",
            "companions",
            "team",
            "place",
            "planned_start",
            "planned_end",
            "brief",
        ]
        labels = {
            "session_type": _("Type of session"),
            "persona": _("Whose shoes"),
            "programme": _("Programme"),
            "lead": _("Lead manager"),
            "companions": _("Companions"),
            "team": _("Team"),
            "place": _("Where"),
            "brief": _("Brief: what to look for"),
        }
        widgets = {
            "brief": forms.Textarea(attrs={"rows": 3}),
            "companions": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "place": _("E.g. main entrance, fitting rooms, the customer's home."),
            "brief": "",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        scope = user.scope_team_ids
        managers = User.objects.with_role(Role.MANAGER).in_teams(scope).order_by("first_name")
        if not user.is_cx_lead:
            # A manager plans their own sessions: the lead is not a choice.
            del self.fields["lead"]
            managers = managers.exclude(pk=user.pk)
        choices = {
            "session_type": SessionType.objects.active(),
            "persona": Persona.objects.active(),
            "programme": Programme.objects.visible_to(user),
            "team": Team.objects.filter(pk__in=scope),
            "lead": managers,
        }
        for name, queryset in choices.items():
            if name in self.fields:
                held = [getattr(self.instance, f"{name}_id")] if self.instance.pk else None
                self.fields[name].queryset = keeping(queryset, held)
        self.fields["companions"].queryset = managers
        self.fields["companions"].required = False
        # Companions the editor does not reach stay on the session: they are not offered,
        # so they could be neither kept nor removed through the form.
        self.kept_companions = (
            list(self.instance.companions.exclude(pk__in=managers.values("pk")))
            if self.instance.pk
            else []
        )
        if self.kept_companions:
            names = ", ".join(str(person) for person in self.kept_companions)
            self.fields["companions"].help_text = _(
                "Also joining from outside your teams, and staying: %(names)s."
            ) % {"names": names}

    @property
    def lead(self):
        return self.cleaned_data.get("lead") if "lead" in self.fields else self.user

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("planned_start")
        end = cleaned.get("planned_end")
        session_type = cleaned.get("session_type")
        if start and not end and session_type and not self.errors.get("planned_end"):
            end = cleaned["planned_end"] = start + session_type.default_duration
        if start and end:
            if end <= start:
                self.add_error("planned_end", _("The session must end after it starts."))
            elif end - start > ImmersionSession.MAX_LENGTH:
                self.add_error("planned_end", _("A session lasts at most 24 hours."))
        lead = self.lead
        if lead is not None and lead in (cleaned.get("companions") or ()):
            self.add_error("companions", _("The lead manager cannot also be a companion."))
        if "companions" in cleaned:
            cleaned["companions"] = [*cleaned["companions"], *self.kept_companions]
        return cleaned

    def slots(self) -> list[Slot]:
        return [Slot(self.cleaned_data["planned_start"], self.cleaned_data["planned_end"])]

    def check_programme_period(self, slots):
        programme = self.cleaned_data.get("programme")
        if programme is None:
            return
        outside = [s for s in slots if not programme.covers(timezone.localdate(s.start))]
        if outside:
            first = date_format(timezone.localtime(outside[0].start))
            self.add_error(
                "planned_start" if outside[0] == slots[0] else self.series_field(),
                _("%(day)s is outside the programme %(programme)s (%(starts)s to %(ends)s).")
                % {
                    "day": first,
                    "programme": programme.name,
                    "starts": date_format(programme.starts_on),
                    "ends": date_format(programme.ends_on),
                },
            )

    def series_field(self) -> str:
        return "planned_start"

    def session_fields(self) -> dict:
        fields = {
            name: self.cleaned_data[name]
            for name in ("session_type", "persona", "programme", "team", "place", "brief")
        }
        fields["lead"] = self.lead
        return fields


class ScheduleForm(SessionForm):
    repeat = forms.ChoiceField(label=_("Repeat"), choices=Repeat.CHOICES, required=False)
    times = forms.IntegerField(
        label=_("How many times"),
        required=False,
        min_value=2,
        max_value=MAX_SERIES,
        help_text=format_lazy(
            _("For a series: a number of sessions (at most {most}), or an end date."),
            most=MAX_SERIES,
        ),
    )
    until = DayField(label=_("Or until"), required=False)

    def clean(self):
        cleaned = super().clean()
        repeat = cleaned.get("repeat")
        times, until = cleaned.get("times"), cleaned.get("until")
        start = cleaned.get("planned_start")
        if not repeat:
            if times or until:
                self.add_error("repeat", _("Choose how often the series repeats."))
        elif not times and not until:
            self.add_error("times", _("Say how many sessions, or until which date."))
        elif times and until:
            self.add_error("until", _("Give either a number of sessions or an end date, not both."))
        elif until and start and until < timezone.localdate(start):
            self.add_error("until", _("The series must end after its first session."))
        if self.errors or not start or not cleaned.get("planned_end"):
            return cleaned
        slots = self.slots()
        if len(slots) > MAX_SERIES:
            self.add_error(
                "until",
                _("That makes more than %(most)s sessions; choose an earlier date.")
                % {"most": MAX_SERIES},
            )
            return cleaned
        if timezone.localdate(slots[-1].start) > LAST_DAY:
            self.add_error(
                self.series_field(),
                _("The series would run past %(day)s.") % {"day": date_format(LAST_DAY)},
            )
            return cleaned
        self.check_programme_period(slots)
        return cleaned

    def series_field(self) -> str:
        return "times" if self.cleaned_data.get("times") else "until"

    def slots(self) -> list[Slot]:
        cleaned = self.cleaned_data
        return occurrences(
            cleaned["planned_start"],
            cleaned["planned_end"],
            cleaned.get("repeat") or Repeat.NONE,
            times=cleaned.get("times"),
            until=cleaned.get("until"),
        )


class SessionEditForm(SessionForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["planned_end"].required = True
        self.fields["planned_end"].help_text = ""

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            self.check_programme_period(self.slots())
        return cleaned


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it cancelled?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("The manager and the CX lead will see this."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Say why the session is cancelled."))
        return reason


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why reopen it?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Say why the session is reopened."))
        return reason


class ReflectionForm(forms.Form):
    surprised_by = forms.CharField(
        label=_("What surprised you?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    customer_feeling = forms.CharField(
        label=_("How would the customer feel?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    would_change = forms.CharField(
        label=_("What would you change?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args, observed_feelings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.observed_feelings = list(observed_feelings)
        if self.observed_feelings:
            # The observations already say how customers would feel: asking again only
            # makes the manager retype it from memory, less precisely.
            del self.fields["customer_feeling"]

    @property
    def observed_summary(self) -> str:
        feelings = ", ".join(f"{label} ({count})" for label, count in self.observed_feelings)
        if not feelings:
            return ""
        return _("Customers would have felt: %(feelings)s.") % {"feelings": feelings}

    def clean(self):
        cleaned = super().clean()
        if self.observed_feelings:
            cleaned["customer_feeling"] = self.observed_summary
        return cleaned
