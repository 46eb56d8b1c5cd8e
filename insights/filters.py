"""Filters of the action list, its CSV export and the triage queue."""

import datetime as dt

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Case, Exists, IntegerField, OuterRef, Value, When
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from immersion.filters import DayFilter
from immersion.models import ImmersionSession, Persona, Programme, SessionType, Team, Touchpoint
from insights.models import Action, Theme
from journal.models import Emotion, Observation

# The action list's filters on where an action came from, and the lookups that serve them.
SOURCE_LOOKUPS = {
    "session_type": "observation__session__session_type",
    "persona": "observation__session__persona",
    "programme": "observation__session__programme",
    "touchpoint": "observation__touchpoint",
}


class ActionFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Action.Status.choices, widget=forms.CheckboxSelectMultiple
    )
    owner = django_filters.ModelChoiceFilter(
        queryset=None, label=_("Owner"), empty_label=_("Anyone")
    )
    team = django_filters.ModelChoiceFilter(
        queryset=None,
        method="filter_team",
        label=_("Team (with its sub-teams)"),
        empty_label=_("All"),
    )
    priority = django_filters.ChoiceFilter(
        label=_("Priority"), choices=Action.Priority.choices, empty_label=_("Any")
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label=_("Overdue only"),
        widget=forms.CheckboxInput,
    )
    on_time = django_filters.BooleanFilter(
        method="filter_on_time",
        label=_("Finished by the due date only"),
        widget=forms.CheckboxInput,
    )
    due_after = DayFilter(field_name="due_on", lookup_expr="gte", label=_("Due from"))
    due_before = DayFilter(field_name="due_on", lookup_expr="lte", label=_("Due by"))
    # The dashboard counts actions raised in its period and links here with the same range.
    created_after = DayFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("Raised from")
    )
    created_before = DayFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("Raised by")
    )
    published = django_filters.BooleanFilter(
        field_name="is_published",
        label=_("Published on “you said, we did” only"),
        widget=forms.CheckboxInput,
        method="filter_published",
    )
    session_type = django_filters.ModelChoiceFilter(
        queryset=SessionType.objects.all(),
        method="by_source",
        label=_("Source session type"),
        empty_label=_("Any"),
    )
    persona = django_filters.ModelChoiceFilter(
        queryset=Persona.objects.all(),
        method="by_source",
        label=_("Source persona"),
        empty_label=_("Any"),
    )
    programme = django_filters.ModelChoiceFilter(
        queryset=Programme.objects.none(),
        method="by_source",
        label=_("Source programme"),
        empty_label=_("Any"),
    )
    touchpoint = django_filters.ChoiceFilter(
        choices=Touchpoint.choices,
        method="by_source",
        label=_("Touchpoint"),
        empty_label=_("Any"),
    )
    theme = django_filters.ModelChoiceFilter(
        queryset=Theme.objects.all(),
        field_name="themes",
        label=_("Theme"),
        empty_label=_("Any"),
        null_label=_("No theme"),
    )
    group = django_filters.ChoiceFilter(
        choices=[("theme", _("Theme"))],
        method="keep",
        label=_("Group by"),
        empty_label=_("Nothing: one list by due date"),
    )

    class Meta:
        model = Action
        fields = ["status", "owner", "team", "priority", "overdue"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["team"].queryset = Team.objects.filter(pk__in=user.scope_team_ids)
        self.filters["programme"].queryset = Programme.objects.visible_to(user)
        self.filters["owner"].queryset = (
            get_user_model()
            .objects.filter(pk__in=Action.objects.visible_to(user).values("owner_id"))
            .order_by("first_name", "last_name", "username")
        )

    def filter_team(self, queryset, name, team):
        return queryset.filter(team__path__startswith=team.path)

    def filter_published(self, queryset, name, value):
        return queryset.filter(is_published=True) if value else queryset

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset

    def filter_on_time(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            status__in=(Action.Status.DONE, Action.Status.VERIFIED),
            done_at__date__lte=models.F("due_on"),
        )

    def keep(self, queryset, name, value):
        # Grouping changes how the page lays the actions out, not which ones it shows.
        return queryset

    def by_source(self, queryset, name, value):
        # Applied together in filter_queryset: one observation must match them all.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        conditions = {
            lookup: self.form.cleaned_data[name]
            for name, lookup in SOURCE_LOOKUPS.items()
            if self.form.cleaned_data.get(name)
        }
        if not conditions:
            return queryset
        # Through the observations an action addresses, as the dashboard counts them;
        # Exists keeps one row per action.
        return queryset.filter(
            Exists(
                Action.observations.through.objects.filter(action_id=OuterRef("pk"), **conditions)
            )
        )


# Worst first: the heat map's best-to-worst order of feelings, reversed.
FEELING_RANK = {emotion: rank for rank, emotion in enumerate(reversed(Emotion.values))}
IMPACT_RANK = {Observation.Impact.HIGH: 0, Observation.Impact.MEDIUM: 1, Observation.Impact.LOW: 2}


def _waiting_over(days: int) -> str:
    return ngettext("Waiting over %(days)d day", "Waiting over %(days)d days", days) % {
        "days": days
    }


# Lazy, so each choice is worded in the language of the request that shows it.
AGE_CHOICES = [(str(days), lazy(_waiting_over, str)(days)) for days in (1, 3, 7, 14, 30)]


def _rank(field: str, ranks: dict) -> Case:
    return Case(
        *[When(**{field: value}, then=Value(rank)) for value, rank in ranks.items()],
        default=Value(len(ranks)),
        output_field=IntegerField(),
    )


class TriageSort(models.TextChoices):
    OLDEST = "oldest", _("Oldest first")
    IMPACT = "impact", _("Highest impact")
    FEELING = "feeling", _("Most negative feeling")


TRIAGE_ORDERINGS = {
    TriageSort.OLDEST: ("created_at", "pk"),
    TriageSort.IMPACT: (_rank("impact", IMPACT_RANK), "created_at", "pk"),
    # A strong feeling weighs more than a mild one of the same kind.
    TriageSort.FEELING: (_rank("emotion", FEELING_RANK), "-intensity", "created_at", "pk"),
}


class TriageFilter(django_filters.FilterSet):
    """The triage queue's filters and sort, kept in the URL so "next" stays in the same queue."""

    team = django_filters.ModelChoiceFilter(
        queryset=None,
        method="filter_team",
        label=_("Team (with its sub-teams)"),
        empty_label=_("All"),
    )
    session_type = django_filters.ModelChoiceFilter(
        queryset=None,
        field_name="session__session_type",
        label=_("Session type"),
        empty_label=_("Any"),
    )
    touchpoint = django_filters.ChoiceFilter(choices=Touchpoint.choices, empty_label=_("Any"))
    feeling = django_filters.ChoiceFilter(
        field_name="emotion", choices=Emotion.choices, label=_("Feeling"), empty_label=_("Any")
    )
    kind = django_filters.ChoiceFilter(choices=Observation.Kind.choices, empty_label=_("Any"))
    impact = django_filters.ChoiceFilter(choices=Observation.Impact.choices, empty_label=_("Any"))
    persona = django_filters.ModelChoiceFilter(
        queryset=None, field_name="session__persona", empty_label=_("Any")
    )
    age = django_filters.ChoiceFilter(
        choices=AGE_CHOICES, method="filter_age", label=_("Age"), empty_label=_("Any age")
    )
    sort = django_filters.ChoiceFilter(
        choices=TriageSort.choices, method="sort_by", label=_("Sort"), empty_label=None
    )

    class Meta:
        model = Observation
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["team"].queryset = Team.objects.filter(pk__in=user.scope_team_ids)
        reached = ImmersionSession.objects.filter(team_id__in=user.scope_team_ids)
        self.filters["session_type"].queryset = SessionType.objects.filter(
            pk__in=reached.values("session_type_id")
        )
        self.filters["persona"].queryset = Persona.objects.filter(
            pk__in=reached.values("persona_id")
        )

    def filter_team(self, queryset, name, team):
        return queryset.filter(session__team__path__startswith=team.path)

    def filter_age(self, queryset, name, days):
        return queryset.filter(created_at__lte=timezone.now() - dt.timedelta(days=int(days)))

    def sort_by(self, queryset, name, sort):
        return queryset.order_by(*TRIAGE_ORDERINGS[TriageSort(sort)])
