"""The API's teams and sessions, read through the same access rules as the pages."""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import generics, serializers

from immersion import access
from immersion.api_base import ConditionalReads, api_path
from immersion.models import ImmersionSession, Team


class TeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name", "kind", "parent"]


class SessionSerializer(serializers.ModelSerializer):
    session_type = serializers.CharField(source="session_type.name", read_only=True)
    persona = serializers.CharField(source="persona.name", read_only=True, allow_null=True)
    lead = serializers.CharField(source="lead.get_full_name", read_only=True)

    class Meta:
        model = ImmersionSession
        fields = [
            "id",
            "team",
            "session_type",
            "persona",
            "programme",
            "place",
            "planned_start",
            "planned_end",
            "lead",
            "status",
            "started_at",
            "ended_at",
            "brief",
        ]


class TeamList(ConditionalReads, generics.ListAPIView):
    """The teams the user's role reaches: their own and every team below them."""

    serializer_class = TeamSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, drawn without a user
            return Team.objects.none()
        return Team.objects.filter(pk__in=self.request.user.scope_team_ids)


class TeamDetail(ConditionalReads, generics.RetrieveAPIView):
    serializer_class = TeamSerializer

    def get_queryset(self):
        return Team.objects.filter(pk__in=self.request.user.scope_team_ids)


SESSION_RELATED = ("session_type", "persona", "lead")


class SessionList(ConditionalReads, generics.ListAPIView):
    """Sessions the user may read, as on the schedule: their teams' subtree and their own."""

    serializer_class = SessionSerializer
    filterset_fields = ["status", "team", "session_type", "programme"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, drawn without a user
            return ImmersionSession.objects.none()
        return ImmersionSession.objects.visible_to(self.request.user).select_related(
            *SESSION_RELATED
        )


class SessionDetail(ConditionalReads, generics.RetrieveAPIView):
    serializer_class = SessionSerializer
    queryset = ImmersionSession.objects.select_related(*SESSION_RELATED)

    def get_object(self):
        return access.session_for(self.request.user, self.kwargs["pk"], queryset=self.queryset)


class Docs(SpectacularSwaggerSplitView):
    """Swagger UI from our own static files, its set-up script served apart (no inline script)."""

    template_name = "immersion/api/docs.html"


urlpatterns = [
    api_path("teams/", TeamList, "api-teams"),
    api_path("teams/<int:pk>/", TeamDetail, "api-team"),
    api_path("sessions/", SessionList, "api-sessions"),
    api_path("sessions/<int:pk>/", SessionDetail, "api-session"),
]

# Outside the version prefix: the description of every version lives here.
schema_urlpatterns = [
    api_path("schema/", SpectacularAPIView, "api-schema"),
]
