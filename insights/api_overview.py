"""The API's themes and the dashboard's headline figures, under the pages' own rules."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from immersion.access import has_any_role
from immersion.api_base import ConditionalReads, api_path, form_errors
from immersion.models import Role
from immersion.replica import reads_from_replica
from insights import summaries
from insights.dashboard_filters import DashboardFilterForm
from insights.dashboard_headline import headline, participation
from insights.models import Theme
from insights.themes import may_read_themes


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "name", "description", "is_active"]


class ThemeList(ConditionalReads, generics.ListAPIView):
    """The themes every team files under, for those the themes page is for (else 403)."""

    serializer_class = ThemeSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, drawn without a user
            return Theme.objects.none()
        if not may_read_themes(self.request.user):
            raise PermissionDenied("Your role does not include the themes.")
        return Theme.objects.order_by("-is_active", "name")


class FigureSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=["on_time", "overdue", "waiting", "participation"])
    label = serializers.CharField()
    value = serializers.CharField(help_text="As the dashboard prints it.")
    detail = serializers.CharField()
    previous = serializers.CharField(help_text="The same figure for the previous period.")
    change = serializers.FloatField(allow_null=True, help_text="Null when nothing came before.")
    unit = serializers.CharField(help_text="Of the change: points for shares, none for counts.")
    verdict = serializers.ChoiceField(choices=["better", "worse", "same", "unknown"])
    period = serializers.CharField(help_text="What the figure counts over.")
    url = serializers.CharField(help_text="The list the figure counts.")
    link_note = serializers.CharField(help_text="What that list holds.")


class HeadlineSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    team = serializers.IntegerField(allow_null=True)
    figures = FigureSerializer(many=True)


FILTERS = [
    OpenApiParameter("period", str, enum=["4w", "13w", "26w", "52w", "custom"]),
    OpenApiParameter("start", str, description="First day (YYYY-MM-DD) when period is custom."),
    OpenApiParameter("end", str, description="Last day (YYYY-MM-DD) when period is custom."),
    OpenApiParameter("team", int, description="A team in your reach, with its sub-teams."),
    OpenApiParameter("session_type", int),
    OpenApiParameter("persona", int),
    OpenApiParameter("programme", int),
    OpenApiParameter("theme", int),
]


class Headline(APIView):
    """The dashboard's four headline figures for a filter set, each against the period before."""

    @extend_schema(parameters=FILTERS, responses={200: HeadlineSerializer})
    @method_decorator(reads_from_replica)
    def get(self, request):
        if not has_any_role(request.user, [Role.EXECUTIVE, Role.CX_LEAD, Role.MANAGER]):
            raise PermissionDenied("Your role does not include the dashboard.")
        form = DashboardFilterForm(request.GET, user=request.user, today=timezone.localdate())
        if not form.is_valid():
            return Response(form_errors(form), status=status.HTTP_400_BAD_REQUEST)
        return Response(HeadlineSerializer(figures_for(form.filters())).data)


def figures_for(filters) -> dict:
    # The waiting figure reads the observation summary: what is still marked comes first.
    summaries.catch_up()
    taking_part = participation(filters)
    figures = headline(
        filters,
        {
            "completed_sessions": taking_part["completed"],
            "target_sessions": taking_part["target"],
            "participation": taking_part["share"],
        },
    )
    return {
        "start": filters.start,
        "end": filters.end,
        "team": filters.team.pk if filters.team else None,
        "figures": [{**vars(figure), "verdict": figure.verdict} for figure in figures],
    }


urlpatterns = [
    api_path("themes/", ThemeList, "api-themes"),
    api_path("dashboard/headline/", Headline, "api-headline"),
]
