"""The API's teams, sessions, catalogue and programmes, read through the pages' access rules."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from immersion import access
from immersion.api_base import ConditionalReads, api_path, form_data, form_errors
from immersion.forms import CancelForm, ReflectionForm, ReopenForm
from immersion.models import (
    ImmersionSession,
    Persona,
    Programme,
    SessionEvent,
    SessionStateError,
    SessionType,
    Team,
)


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


class History(ConditionalReads, generics.ListAPIView):
    """A record's changes, oldest first, in one answer.

    ``record(user, pk)`` is the access helper its page uses: 404 out of reach.
    """

    pagination_class = None
    record = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, drawn without a user
            return self.serializer_class.Meta.model.objects.none()
        return self.record(self.request.user, self.kwargs["pk"]).events.select_related("actor")


class SessionEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_full_name", read_only=True, allow_null=True)

    class Meta:
        model = SessionEvent
        fields = ["at", "from_status", "to_status", "actor", "note"]


class SessionHistory(History):
    """Every status change of a session, as its page lists them."""

    serializer_class = SessionEventSerializer
    record = staticmethod(access.session_for)


class ReflectionSerializer(serializers.Serializer):
    surprised_by = serializers.CharField(max_length=4000)
    customer_feeling = serializers.CharField(
        max_length=4000,
        required=False,
        help_text="Not asked when the session's observations already say how customers felt.",
    )
    would_change = serializers.CharField(max_length=4000)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class SessionChange(APIView):
    """Start, complete, cancel or reopen a session, with the page's permissions and checks.

    The pages' own forms check the body, so the API and the page refuse the same things
    with the same messages; the model's guarded methods refuse a change the session's
    state does not allow (409).
    """

    change = ""
    # Each change: what the user must be allowed to do, the form that checks the body,
    # and the guarded method it calls.
    CHANGES = {
        "start": ("run", None, lambda session, by, data: session.start(by=by)),
        "complete": (
            "run",
            ReflectionForm,
            lambda session, by, data: session.complete(by=by, **data),
        ),
        "cancel": ("manage", CancelForm, lambda session, by, data: session.cancel(by=by, **data)),
        "reopen": ("reopen", ReopenForm, lambda session, by, data: session.reopen(by=by, **data)),
    }

    def post(self, request, pk):
        to, form_class, run = self.CHANGES[self.change]
        session = access.session_for(request.user, pk, to=to)
        data = {}
        if form_class is not None:
            extra = (
                {"observed_feelings": session.observed_feelings()}
                if form_class is ReflectionForm
                else {}
            )
            form = form_class(form_data(request), **extra)
            if not form.is_valid():
                return Response(form_errors(form), status=status.HTTP_400_BAD_REQUEST)
            data = form.cleaned_data
        try:
            with transaction.atomic():
                run(session, request.user, data)
        except SessionStateError as error:
            return Response({"detail": error.message}, status=status.HTTP_409_CONFLICT)
        fresh = ImmersionSession.objects.select_related(*SESSION_RELATED).get(pk=session.pk)
        return Response(SessionSerializer(fresh).data)


def session_change(name: str, body):
    view = type(f"Session{name.title()}", (SessionChange,), {"change": name})
    view.post = extend_schema(request=body, responses={200: SessionSerializer})(view.post)
    return api_path(f"sessions/<int:pk>/{name}/", view, f"api-session-{name}")


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
    api_path("sessions/<int:pk>/history/", SessionHistory, "api-session-history"),
    session_change("start", None),
    session_change("complete", ReflectionSerializer),
    session_change("cancel", ReasonSerializer),
    session_change("reopen", ReasonSerializer),
    api_path("session-types/", SessionTypeList, "api-session-types"),
    api_path("personas/", PersonaList, "api-personas"),
    api_path("programmes/", ProgrammeList, "api-programmes"),
    api_path("programmes/<int:pk>/", ProgrammeDetail, "api-programme"),
]

# Outside the version prefix: the description of every version lives here.
schema_urlpatterns = [
    api_path("schema/", SpectacularAPIView, "api-schema"),
]
