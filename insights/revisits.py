"""Did verified fixes change how the customer would feel? The dashboard's re-visit figures,
and the list of re-visits behind them, counted the same way.

A re-visit belongs to the period its action was verified in. "Improved" counts answered
re-visits whose feeling is better than before; overdue ones wait past their due day. The
figures are sums of the re-visit summary (``RevisitDay``), the list reads the re-visits.
"""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.db.models import Q, Sum, TextChoices, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from immersion.forms import DayField
from immersion.models import Team
from insights.dashboard import group_of, group_teams
from insights.dashboard_filters import local_midnight
from insights.models import Action, RevisitDay, Theme
from journal.models import JourneyStage


class State(TextChoices):
    ANSWERED = "answered", _("Answered")
    IMPROVED = "improved", _("Improved")
    NOT_IMPROVED = "not_improved", _("Not improved")
    WAITING = "waiting", _("Waiting for an answer")
    OVERDUE = "overdue", _("Overdue")


def state_q(state: str, today: dt.date) -> Q:
    waiting = Q(answer__isnull=True, action__status=Action.Status.VERIFIED)
    return {
        State.ANSWERED: Q(answer__isnull=False),
        State.IMPROVED: Q(answer__isnull=False, improved=True),
        State.NOT_IMPROVED: Q(answer__isnull=False, improved=False),
        State.WAITING: waiting,
        State.OVERDUE: waiting & Q(due_on__lt=today),
    }[state]


def revisit_stage():
    """The journey stage a re-visit looked at: its first observation's, else its answer's."""
    return Coalesce("before__journey_stage", "answer__journey_stage", Value(""))


def in_period(queryset, start: dt.date, end: dt.date):
    return queryset.filter(
        verified_at__gte=local_midnight(start),
        verified_at__lt=local_midnight(end + dt.timedelta(days=1)),
    )


def summarised(filters):
    """The re-visit summary's rows of the filtered teams, for actions verified in the
    period (``build`` has had the summaries catch up first)."""
    return RevisitDay.objects.filter(
        team_id__in=filters.team_ids, day__gte=filters.start, day__lte=filters.end
    ).order_by()


def sums(today: dt.date) -> dict:
    """Answered, improved and overdue, as ``state_q`` tells them, from summary rows."""
    return {
        "answered": Coalesce(Sum("count", filter=Q(has_answer=True)), 0),
        "improved": Coalesce(Sum("count", filter=Q(has_answer=True, feels_better=True)), 0),
        "overdue": Coalesce(Sum("count", filter=Q(waiting_due_on__lt=today)), 0),
    }


def list_url(filters, team: Team | None, exact: bool = False, **extra) -> str:
    params = {"since": filters.start.isoformat(), "until": filters.end.isoformat()}
    if team is not None:
        params["team"] = team.pk
        if exact:
            params["exact"] = "1"
    params.update(extra)
    return f"{reverse('insights:revisit-list')}?{urlencode(params)}"


@dataclass
class Row:
    team: Team | None
    answered: int = 0
    improved: int = 0
    overdue: int = 0
    urls: dict | None = None

    @property
    def improved_share(self) -> float | None:
        return self.improved / self.answered if self.answered else None


def figures(filters) -> dict:
    """Per team of the dashboard and in all: answered, improved, overdue; two queries."""
    today = filters.today
    teams = list(Team.objects.filter(pk__in=filters.team_ids).order_by("path"))
    groups = group_teams(filters, teams)
    teams_by_id = {team.pk: team for team in teams}
    counted = (
        summarised(filters).filter(theme__isnull=True).values("team_id").annotate(**sums(today))
    )
    rows = {group.pk: Row(group) for group in groups}
    total = Row(filters.team)
    for counts in counted:
        group = group_of(teams_by_id[counts["team_id"]], groups)
        for row in (rows.get(group.pk) if group else None, total):
            if row is not None:
                row.answered += counts["answered"]
                row.improved += counts["improved"]
                row.overdue += counts["overdue"]
    for row in rows.values():
        # A base team's row counts only what is recorded against it: its children have rows.
        exact = any(group.parent_id == row.team.pk for group in groups)
        row.urls = _urls(filters, row.team, exact)
    total.urls = _urls(filters, filters.team)
    shown = [row for row in rows.values() if row.answered or row.overdue]
    return {"rows": shown, "total": total}


def _urls(filters, team, exact=False, **extra) -> dict:
    return {
        state: list_url(filters, team, exact, state=state, **extra)
        for state in (State.ANSWERED, State.IMPROVED, State.OVERDUE)
    }


@dataclass
class ThemeRow(Row):
    theme: Theme | None = None


def theme_figures(filters) -> list[ThemeRow]:
    """Answered, improved and overdue per theme of the re-visited action, in one query.

    An action under two themes counts under both; those with none make the last row.
    """
    counted = (
        summarised(filters)
        # Each theme's rows, and those of the re-visits whose action has none.
        .filter(Q(theme__isnull=False) | Q(themed=False))
        .values("theme_id")
        .annotate(**sums(filters.today))
    )
    counted = [row for row in counted if row["answered"] or row["overdue"]]
    themes = Theme.objects.in_bulk([row["theme_id"] for row in counted])
    rows = []
    for counts in counted:
        theme = themes.get(counts["theme_id"])
        row = ThemeRow(
            filters.team,
            counts["answered"],
            counts["improved"],
            counts["overdue"],
            theme=theme,
        )
        row.urls = _urls(filters, filters.team, theme=theme.pk if theme else "none")
        rows.append(row)
    return sorted(rows, key=lambda row: (row.theme is None, row.theme.name if row.theme else ""))


class RevisitFilterForm(forms.Form):
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        required=False,
        label=_("Team"),
        empty_label=_("All my teams"),
        help_text=_("Includes its sub-teams."),
        error_messages={"invalid_choice": _("Choose one of the teams in the list.")},
    )
    exact = forms.BooleanField(required=False, label=_("This team only, not its sub-teams"))
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("Any")), *State.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose one of the states in the list.")},
    )
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.all(),
        required=False,
        empty_label=_("Any"),
        label=_("Theme of the action"),
        to_field_name="pk",
        error_messages={"invalid_choice": _("Choose one of the themes in the list.")},
    )
    stage = forms.ChoiceField(
        choices=[("", _("Any")), *JourneyStage.choices, ("none", _("Not recorded"))],
        required=False,
        label=_("Journey stage"),
        error_messages={"invalid_choice": _("Choose one of the stages in the list.")},
    )
    since = DayField(label=_("Verified from"), required=False)
    until = DayField(label=_("Verified to"), required=False)

    def __init__(self, data=None, *args, user, **kwargs):
        # "none" asks for the re-visits of actions without a theme, as the dashboard links.
        self.unthemed = bool(data) and data.get("theme") == "none"
        if self.unthemed:
            data = data.copy()
            data.pop("theme")
        super().__init__(data, *args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(pk__in=user.scope_team_ids)

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "The last day must be on or after the first day.")
        return cleaned

    def apply(self, queryset):
        data = self.cleaned_data
        team = data.get("team")
        if team is not None:
            if data.get("exact"):
                queryset = queryset.filter(team=team)
            else:
                queryset = queryset.filter(team__path__startswith=team.path)
        if data.get("since"):
            queryset = queryset.filter(verified_at__gte=local_midnight(data["since"]))
        if data.get("until"):
            end = local_midnight(data["until"] + dt.timedelta(days=1))
            queryset = queryset.filter(verified_at__lt=end)
        if data.get("state"):
            queryset = queryset.filter(state_q(data["state"], timezone.localdate()))
        if data.get("stage"):
            stage = "" if data["stage"] == "none" else data["stage"]
            queryset = queryset.annotate(stage=revisit_stage()).filter(stage=stage)
        if self.unthemed:
            queryset = queryset.filter(action__themes__isnull=True)
        elif data.get("theme"):
            queryset = queryset.filter(action__themes=data["theme"])
        return queryset
