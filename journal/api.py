"""The API's observations: read as the journal pages read them."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from immersion.api_base import ConditionalReads, api_path, form_data, form_errors
from journal import access, images
from journal.forms import CaptureForm
from journal.models import Observation, Photo
from journal.services import ClientUuidTaken, SessionClosed, record_observation


class ObservationSerializer(serializers.ModelSerializer):
    photos = serializers.SerializerMethodField()

    class Meta:
        model = Observation
        fields = [
            "id",
            "client_uuid",
            "session",
            "author",
            "created_at",
            "touchpoint",
            "journey_stage",
            "what_happened",
            "emotion",
            "intensity",
            "quote",
            "kind",
            "impact",
            "triage_state",
            "photos",
        ]

    def get_photos(self, observation) -> list[int]:
        return [photo.pk for photo in observation.photos.all()]


class ObservationList(ConditionalReads, generics.ListAPIView):
    """Observations of the sessions the user may read."""

    serializer_class = ObservationSerializer
    filterset_fields = ["session", "touchpoint", "emotion", "kind", "impact", "triage_state"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, drawn without a user
            return Observation.objects.none()
        return Observation.objects.visible_to(self.request.user).prefetch_related("photos")


class ObservationDetail(ConditionalReads, generics.RetrieveAPIView):
    serializer_class = ObservationSerializer

    def get_object(self):
        return access.observation_or_404(self.request.user, self.kwargs["pk"])


class NewObservationSerializer(serializers.Serializer):
    """What the capture page posts; described here, checked by the capture page's own form."""

    client_uuid = serializers.UUIDField(help_text="Made by the client: a retry stores nothing new.")
    touchpoint = serializers.ChoiceField(choices=Observation._meta.get_field("touchpoint").choices)
    emotion = serializers.ChoiceField(choices=Observation._meta.get_field("emotion").choices)
    intensity = serializers.IntegerField(min_value=1, max_value=5)
    what_happened = serializers.CharField()
    quote = serializers.CharField(required=False, allow_blank=True)
    kind = serializers.ChoiceField(
        choices=Observation.Kind.choices, required=False, allow_blank=True
    )
    impact = serializers.ChoiceField(
        choices=Observation.Impact.choices, required=False, allow_blank=True
    )
    journey_stage = serializers.ChoiceField(
        choices=Observation._meta.get_field("journey_stage").choices,
        required=False,
        allow_blank=True,
    )
    photos = serializers.ListField(child=serializers.ImageField(), required=False)


class ObservationCreate(APIView):
    """Record an observation in a session, with photos, exactly as the capture page does."""

    parser_classes = [MultiPartParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": NewObservationSerializer},
        responses={201: ObservationSerializer, 200: ObservationSerializer},
    )
    def post(self, request, pk):
        session = access.participant_session_or_404(request.user, pk)
        form = CaptureForm(
            form_data(request),
            request.FILES,
            suggested_touchpoints=session.session_type.suggested_touchpoints,
        )
        if not form.is_valid():
            return Response(form_errors(form), status=status.HTTP_400_BAD_REQUEST)
        try:
            observation, created = record_observation(
                session, request.user, form.observation_fields(), form.cleaned_data["photos"]
            )
        except SessionClosed:
            return _conflict("This session is closed for new observations.")
        except ClientUuidTaken:
            return _conflict("This client_uuid belongs to another observation.")
        fresh = Observation.objects.prefetch_related("photos").get(pk=observation.pk)
        return Response(
            ObservationSerializer(fresh).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class PhotoSerializer(serializers.ModelSerializer):
    class Meta:
        model = Photo
        fields = [
            "id",
            "observation",
            "created_at",
            "width",
            "height",
            "byte_size",
            "captured_at",
            "state",
        ]


class PhotoDetail(ConditionalReads, generics.RetrieveAPIView):
    """A photo's metadata, if the user may see its observation."""

    serializer_class = PhotoSerializer

    def get_object(self):
        return access.photo_or_404(self.request.user, self.kwargs["pk"])


class PhotoFile(APIView):
    """The image itself (original, display or thumbnail), served as the photo pages serve it."""

    @extend_schema(
        operation_id="photos_file",
        responses={(200, "image/jpeg"): bytes, (200, "image/png"): bytes},
    )
    def get(self, request, pk, variant):
        photo = access.photo_or_404(request.user, pk)
        return images.serve_photo(request, photo, variant)


def _conflict(message):
    return Response({"detail": message}, status=status.HTTP_409_CONFLICT)


urlpatterns = [
    api_path("photos/<uuid:pk>/", PhotoDetail, "api-photo"),
    api_path("photos/<uuid:pk>/<str:variant>/", PhotoFile, "api-photo-file"),
    api_path("sessions/<int:pk>/observations/", ObservationCreate, "api-session-observations"),
    api_path("observations/", ObservationList, "api-observations"),
    api_path("observations/<int:pk>/", ObservationDetail, "api-observation"),
]
