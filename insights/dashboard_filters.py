"""The dashboard's filters: the form, the period and scope they stand for, and the links
that carry them to the lists behind each figure."""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from immersion.forms import DayField
from immersion.models import (
    Persona,
    Programme,
    SessionType,
    Team,
)
from insights.models import Theme

PERIODS = {"4w": 28, "13w": 91, "26w": 182, "52w": 364}
DEFAULT_PERIOD = "13w"
# Long enough for a year-on-year look; short enough that the weekly charts stay readable.
MAX_PERIOD_DAYS = 2 * 366


def scope_teams(user):
    return Team.objects.filter(pk__in=user.scope_team_ids)


class DashboardFilterForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        choices=[
            ("4w", _("Last 4 weeks")),
            ("13w", _("Last 13 weeks")),
            ("26w", _("Last 26 weeks")),
            ("52w", _("Last 52 weeks")),
            ("custom", _("Between the dates below")),
        ],
        required=False,
        initial=DEFAULT_PERIOD,
    )
    start = DayField(label=pgettext_lazy("period", "From"), required=False)
    end = DayField(label=pgettext_lazy("period", "To"), required=False)
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("All my teams"),
        help_text=_("Includes its sub-teams."),
        error_messages={"invalid_choice": _("Choose one of the teams in the list.")},
    )
    session_type = forms.ModelChoiceField(
        label=_("Session type"),
        queryset=SessionType.objects.all(),
        required=False,
        empty_label=_("Any type"),
        error_messages={"invalid_choice": _("Choose one of the session types in the list.")},
    )
    persona = forms.ModelChoiceField(
        label=_("Persona"),
        queryset=Persona.objects.all(),
        required=False,
        empty_label=_("Any persona"),
        error_messages={"invalid_choice": _("Choose one of the personas in the list.")},
    )
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("Any programme"),
        error_messages={"invalid_choice": _("Choose one of the programmes in the list.")},
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        required=False,
        empty_label=_("Any theme"),
        help_text=_("Observations and actions filed under it."),
        error_messages={"invalid_choice": _("Choose one of the themes in the list.")},
    )

    def __init__(self, data, *, user, today):
        super().__init__(data)
        self.user = user
        self.today = today
        # Only the user's reach is offered, and only it validates: a foreign team or
        # programme id is an invalid choice, never another team's figures or names.
        self.fields["team"].queryset = scope_teams(user)
        self.fields["programme"].queryset = Programme.objects.visible_to(user)
        self.fields["team"].label_from_instance = lambda team: (
            "\u2003" * max(team.depth, 0) + team.name
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if self.errors:
            return cleaned
        period = cleaned.get("period") or ""
        if period == "custom" or (not period and (start or end)):
            if start is None:
                self.add_error("start", gettext("Give the first day of the period."))
            if end is None:
                self.add_error("end", gettext("Give the last day of the period."))
            if start and end:
                if end < start:
                    self.add_error(
                        "end", gettext("The last day must be on or after the first day.")
                    )
                elif (end - start).days > MAX_PERIOD_DAYS:
                    self.add_error("end", gettext("Choose a period of two years or less."))
            cleaned["period"] = "custom"
        else:
            period = period or DEFAULT_PERIOD
            cleaned["period"] = period
            cleaned["end"] = self.today
            cleaned["start"] = self.today - dt.timedelta(days=PERIODS[period] - 1)
        return cleaned

    def filters(self) -> "Filters":
        data = self.cleaned_data
        team = data.get("team")
        if team is not None:
            team_ids = frozenset(Team.objects.subtree_of([team]).values_list("pk", flat=True))
            bases = [team]
        else:
            team_ids = self.user.scope_team_ids
            bases = None
        return Filters(
            start=data["start"],
            end=data["end"],
            today=self.today,
            team_ids=team_ids,
            team=team,
            base_teams=bases,
            session_type=data.get("session_type"),
            persona=data.get("persona"),
            programme=data.get("programme"),
            period=data["period"],
            theme=data.get("theme"),
        )


@dataclass(frozen=True)
class Filters:
    start: dt.date
    end: dt.date
    today: dt.date
    team_ids: frozenset[int]
    team: Team | None
    base_teams: list[Team] | None
    session_type: SessionType | None
    persona: Persona | None
    programme: Programme | None
    period: str
    # Narrows observations and actions only: sessions have no theme.
    theme: Theme | None = None

    @property
    def since(self) -> dt.datetime:
        return local_midnight(self.start)

    @property
    def until(self) -> dt.datetime:
        """Exclusive end: midnight after the last day."""
        return local_midnight(self.end + dt.timedelta(days=1))

    @property
    def narrows_sessions(self) -> bool:
        return bool(self.session_type or self.persona or self.programme)

    def session_q(self, prefix: str = "") -> Q:
        q = Q(**{f"{prefix}team_id__in": self.team_ids})
        if self.session_type:
            q &= Q(**{f"{prefix}session_type": self.session_type})
        if self.persona:
            q &= Q(**{f"{prefix}persona": self.persona})
        if self.programme:
            q &= Q(**{f"{prefix}programme": self.programme})
        return q

    def params(self, since: str, until: str, *carried: str, **extra) -> dict:
        """Query parameters that carry these filters to a list behind a figure.

        since/until name the list's date range parameters; carried names the other
        filters that list understands.
        """
        params = {since: self.start.isoformat(), until: self.end.isoformat()}
        for name in carried:
            value = getattr(self, name)
            if value is not None:
                params[name] = value.pk
        params.update({k: v for k, v in extra.items() if v is not None})
        return params

    def weeks(self) -> list[dt.date]:
        first = self.start - dt.timedelta(days=self.start.weekday())
        return [first + dt.timedelta(weeks=n) for n in range((self.end - first).days // 7 + 1)]


def local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def week_of(value) -> dt.date:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value - dt.timedelta(days=value.weekday())


def action_list_url(filters: Filters, **extra) -> str:
    """The action list, for actions raised in the period."""
    params = filters.params(
        "created_after",
        "created_before",
        "team",
        "session_type",
        "persona",
        "programme",
        "theme",
        **extra,
    )
    return f"{reverse('insights:action-list')}?{urlencode(params, doseq=True)}"


def observation_list_url(filters: Filters, **extra) -> str:
    params = filters.params(
        "since", "until", "team", "session_type", "persona", "programme", "theme", **extra
    )
    return f"{reverse('journal:list')}?{urlencode(params, doseq=True)}"


def session_list_url(filters: Filters, **extra) -> str:
    params = filters.params(
        "starts_from", "starts_until", "team", "session_type", "persona", "programme", **extra
    )
    return f"{reverse('immersion:schedule')}?{urlencode(params, doseq=True)}"
