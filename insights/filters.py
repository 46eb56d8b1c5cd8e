"""Filters of the action list and its CSV export."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from immersion.filters import DayFilter
from immersion.models import Persona, Programme, SessionType, Team, Touchpoint
from insights.models import Action

# The action list's filters on where an action came from, and the lookups that serve them.
SOURCE_LOOKUPS = {
    "session_type": "observation__session__session_type",
    "persona": "observation__session__persona",
    "programme": "observation__session__programme",
    "touchpoint": "observation__touchpoint",
}


class ActionFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=Action.Status.choices, widget=forms.CheckboxSelectMultiple
    )
    owner = django_filters.ModelChoiceFilter(queryset=None, empty_label="Anyone")
    team = django_filters.ModelChoiceFilter(
        queryset=None, method="filter_team", label="Team (with its sub-teams)", empty_label="All"
    )
    priority = django_filters.ChoiceFilter(choices=Action.Priority.choices, empty_label="Any")
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label="Overdue only",
        widget=forms.CheckboxInput,
    )
    due_after = DayFilter(field_name="due_on", lookup_expr="gte", label="Due from")
    due_before = DayFilter(field_name="due_on", lookup_expr="lte", label="Due by")
    # The dashboard counts actions raised in its period and links here with the same range.
    created_after = DayFilter(field_name="created_at", lookup_expr="date__gte", label="Raised from")
    created_before = DayFilter(field_name="created_at", lookup_expr="date__lte", label="Raised by")
    published = django_filters.BooleanFilter(
        field_name="is_published",
        label="Published on \u201cyou said, we did\u201d only",
        widget=forms.CheckboxInput,
        method="filter_published",
    )
    session_type = django_filters.ModelChoiceFilter(
        queryset=SessionType.objects.all(),
        method="by_source",
        label="Source session type",
        empty_label="Any",
    )
    persona = django_filters.ModelChoiceFilter(
        queryset=Persona.objects.all(),
        method="by_source",
        label="Source persona",
        empty_label="Any",
    )
    programme = django_filters.ModelChoiceFilter(
        queryset=Programme.objects.none(),
        method="by_source",
        label="Source programme",
        empty_label="Any",
    )
    touchpoint = django_filters.ChoiceFilter(
        choices=Touchpoint.choices,
        method="by_source",
        label="Touchpoint",
        empty_label="Any",
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
