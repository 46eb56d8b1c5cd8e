"""The API's actions: read, and moved along only through the model's guarded methods."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from immersion.access import has_any_role
from immersion.api import History
from immersion.api_base import ConditionalReads, api_path, form_data, form_errors
from immersion.models import Role
from insights import access, triage
from insights.api_overview import urlpatterns as overview_urls
from insights.forms import NewActionForm
from insights.models import Action, ActionEvent, ActionStateError, StaleActionError


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Action
        fields = [
            "id",
            "title",
            "description",
            "owner",
            "team",
            "due_on",
            "priority",
            "status",
            "version",
            "created_at",
            "updated_at",
            "done_at",
            "evidence_note",
            "verified_at",
            "dropped_reason",
            "observations",
            "themes",
        ]


class EventSerializer(serializers.ModelSerializer):
    summary = serializers.CharField(read_only=True)

    class Meta:
        model = ActionEvent
        fields = [
            "id",
            "at",
            "actor",
            "kind",
            "old_value",
            "new_value",
            "note",
            "version",
            "summary",
        ]


ACTION_RELATED = ("observations", "themes")


class ActionList(ConditionalReads, generics.ListAPIView):
    """Actions the user may see: those they own and those in their role's reach."""

    serializer_class = ActionSerializer
    filterset_fields = ["status", "team", "owner", "priority"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, drawn without a user
            return Action.objects.none()
        return Action.objects.visible_to(self.request.user).prefetch_related(*ACTION_RELATED)


class ActionDetail(ConditionalReads, generics.RetrieveAPIView):
    serializer_class = ActionSerializer

    def get_object(self):
        return access.get_action(
            self.request.user, self.kwargs["pk"], Action.objects.prefetch_related(*ACTION_RELATED)
        )


class ActionHistory(History):
    """Every change to the action."""

    serializer_class = EventSerializer
    record = staticmethod(access.get_action)


class ChangeSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The version the change is made against: a stale one gives 409."
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Evidence for complete; the reason for drop and reopen; optional otherwise.",
    )


# Each change: who may ask for it, and how the model's guarded method is called.
CHANGES = {
    "start": (access.require_progress, lambda a, by, v, note: a.start(by=by, version=v, note=note)),
    "complete": (
        access.require_progress,
        lambda a, by, v, note: a.complete(by=by, version=v, note=note),
    ),
    "verify": (access.require_manage, lambda a, by, v, note: a.verify(by=by, version=v, note=note)),
    "drop": (access.require_manage, lambda a, by, v, note: a.drop(by=by, version=v, reason=note)),
    "reopen": (
        access.require_manage,
        lambda a, by, v, note: a.reopen(by=by, version=v, reason=note),
    ),
}


NEEDS_NOTE = {
    "complete": "Say what was done: evidence is required to complete it.",
    "drop": "Give the reason for dropping this action.",
    "reopen": "Give the reason for reopening this action.",
}


class ActionChange(APIView):
    """Start, complete, verify, drop or reopen: 403 if the user may not, 409 if it was refused."""

    change = ""

    @extend_schema(request=ChangeSerializer, responses={200: ActionSerializer})
    def post(self, request, pk):
        action = access.get_action(request.user, pk)
        permission, run = CHANGES[self.change]
        permission(request.user, action)
        given = ChangeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        if self.change in NEEDS_NOTE and not given.validated_data["note"].strip():
            raise serializers.ValidationError({"note": [NEEDS_NOTE[self.change]]})
        try:
            with transaction.atomic():
                run(
                    action,
                    request.user,
                    given.validated_data["version"],
                    given.validated_data["note"],
                )
        except StaleActionError as exc:
            return Response(
                {"detail": str(exc) or "The action changed since that version."},
                status=status.HTTP_409_CONFLICT,
            )
        except ActionStateError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        fresh = Action.objects.prefetch_related(*ACTION_RELATED).get(pk=action.pk)
        return Response(ActionSerializer(fresh).data)


class NewActionSerializer(serializers.Serializer):
    """What the triage page's new-action form takes; checked by that form itself."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    owner = serializers.IntegerField()
    team = serializers.IntegerField()
    due_on = serializers.DateField()
    priority = serializers.ChoiceField(choices=Action.Priority.choices)


class ActionFromObservation(APIView):
    """Triage an observation into a new action, as a CX lead does on the triage page."""

    @extend_schema(request=NewActionSerializer, responses={201: ActionSerializer})
    def post(self, request, pk):
        if not has_any_role(request.user, [Role.CX_LEAD]):
            raise PermissionDenied("Only a CX lead triages observations into actions.")
        observation = access.get_triage_observation(request.user, pk)
        form = NewActionForm(
            form_data(request), user=request.user, observation=observation, everyone=True
        )
        if not form.is_valid():
            return Response(form_errors(form), status=status.HTTP_400_BAD_REQUEST)
        try:
            action = triage.create_action(observation, by=request.user, **form.cleaned_data)
        except ActionStateError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        fresh = Action.objects.prefetch_related(*ACTION_RELATED).get(pk=action.pk)
        return Response(ActionSerializer(fresh).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    *overview_urls,
    api_path("observations/<int:pk>/action/", ActionFromObservation, "api-observation-action"),
    api_path("actions/", ActionList, "api-actions"),
    api_path("actions/<int:pk>/", ActionDetail, "api-action"),
    api_path("actions/<int:pk>/history/", ActionHistory, "api-action-history"),
]
for _name in CHANGES:
    urlpatterns.append(
        api_path(
            f"actions/<int:pk>/{_name}/",
            type(f"Action{_name.title()}", (ActionChange,), {"change": _name}),
            f"api-action-{_name}",
        )
    )
