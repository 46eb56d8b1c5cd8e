"""The API's teams, sessions, catalogue and programmes, read through the pages' access rules."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import generics, serializers

from immersion import access
from immersion.api_base import ConditionalReads, api_path
from immersion.models import ImmersionSession, Persona, Programme, SessionType, Team


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


class SessionTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = SessionType
        fields = ["id", "name", "purpose", "default_duration", "suggested_touchpoints", "is_active"]


class PersonaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Persona
        fields = ["id", "name", "description", "is_active"]


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = ["id", "name", "starts_on", "ends_on", "owner", "target_sessions"]


class CatalogueList(ConditionalReads, generics.ListAPIView):
    """The shared catalogue, for those its pages are for: CX leads and its editors (else 403)."""

    def get_queryset(self):
        model = self.serializer_class.Meta.model
        if getattr(self, "swagger_fake_view", False):  # the schema, drawn without a user
            return model.objects.none()
        if not access.can_read_catalogue(self.request.user):
            raise PermissionDenied("Your role does not include the session catalogue.")
        return model.objects.all()


class SessionTypeList(CatalogueList):
    serializer_class = SessionTypeSerializer


class PersonaList(CatalogueList):
    serializer_class = PersonaSerializer


class ProgrammeList(ConditionalReads, generics.ListAPIView):
    """Programmes the user may read, as on the programmes page."""

    serializer_class = ProgrammeSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, drawn without a user
            return Programme.objects.none()
        return Programme.objects.visible_to(self.request.user)


class ProgrammeDetail(ConditionalReads, generics.RetrieveAPIView):
    serializer_class = ProgrammeSerializer

    def get_object(self):
        return access.programme_for(self.request.user, self.kwargs["pk"])


class Docs(SpectacularSwaggerSplitView):
    """Swagger UI from our own static files, its set-up script served apart (no inline script)."""

    template_name = "immersion/api/docs.html"


urlpatterns = [
    api_path("teams/", TeamList, "api-teams"),
    api_path("teams/<int:pk>/", TeamDetail, "api-team"),
    api_path("sessions/", SessionList, "api-sessions"),
    api_path("sessions/<int:pk>/", SessionDetail, "api-session"),
    api_path("session-types/", SessionTypeList, "api-session-types"),
    api_path("personas/", PersonaList, "api-personas"),
    api_path("programmes/", ProgrammeList, "api-programmes"),
    api_path("programmes/<int:pk>/", ProgrammeDetail, "api-programme"),
]

# Outside the version prefix: the description of every version lives here.
schema_urlpatterns = [
    api_path("schema/", SpectacularAPIView, "api-schema"),
]
