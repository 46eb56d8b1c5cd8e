"""The API's observations: read as the journal pages read them."""

from rest_framework import generics, serializers

from immersion.api_base import ConditionalReads, api_path
from journal import access
from journal.models import Observation


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

    def get_queryset(self):
        return Observation.objects.visible_to(self.request.user).prefetch_related("photos")


class ObservationDetail(ConditionalReads, generics.RetrieveAPIView):
    serializer_class = ObservationSerializer

    def get_object(self):
        return access.observation_or_404(self.request.user, self.kwargs["pk"])


urlpatterns = [
    api_path("observations/", ObservationList, "api-observations"),
    api_path("observations/<int:pk>/", ObservationDetail, "api-observation"),
]
