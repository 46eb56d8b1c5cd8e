import django_filters
from django.utils.translation import gettext_lazy as _

from immersion.forms import DayField
from immersion.models import (
    ImmersionSession,
    Persona,
    Programme,
    Role,
    SessionType,
    Team,
    User,
)


class DayFilter(django_filters.DateFilter):
    """A date filter that refuses days outside the product's range with a message."""

    field_class = DayField


class SessionFilter(django_filters.FilterSet):
    """The schedule, narrowed by team (with sub-teams), manager, type, status, programme, period."""

    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.none(), method="in_team", label=_("Team")
    )
    lead = django_filters.ModelChoiceFilter(queryset=User.objects.none(), label=_("Manager"))
    session_type = django_filters.ModelChoiceFilter(
        queryset=SessionType.objects.all(), label=_("Type")
    )
    status = django_filters.ChoiceFilter(choices=ImmersionSession.Status.choices, label=_("Status"))
    persona = django_filters.ModelChoiceFilter(queryset=Persona.objects.all(), label=_("Persona"))
    programme = django_filters.ModelChoiceFilter(queryset=Programme.objects.none())
    starts_from = DayFilter(field_name="planned_start", lookup_expr="date__gte", label=_("From"))
    starts_until = DayFilter(field_name="planned_start", lookup_expr="date__lte", label=_("Until"))

    class Meta:
        model = ImmersionSession
        fields = [
            "team",
            "lead",
            "session_type",
            "status",
            "persona",
            "programme",
            "starts_from",
            "starts_until",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["team"].queryset = Team.objects.filter(pk__in=user.scope_team_ids)
        self.filters["lead"].queryset = (
            User.objects.with_role(Role.MANAGER)
            .in_teams(user.scope_team_ids)
            .order_by("first_name")
        )
        self.filters["programme"].queryset = Programme.objects.visible_to(user)

    def in_team(self, queryset, name, team):
        return queryset.filter(team__path__startswith=team.path)
