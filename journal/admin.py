from django.contrib import admin

from journal.models import Observation, ObservationDeletion, Photo


@admin.display(description="Stored as")
def stored_as(photo):
    """Photos are private and have no URL; the admin names the stored file instead."""
    return photo.original.name or "-"


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 0
    fields = (stored_as, "state", "width", "height", "byte_size", "attempts", "last_error")
    readonly_fields = fields
    can_delete = False


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "session", "author", "touchpoint", "emotion", "triage_state")
    list_filter = ("touchpoint", "emotion", "kind", "impact", "triage_state")
    search_fields = ("what_happened", "quote")
    list_select_related = ("session__session_type", "session__team", "author")
    raw_id_fields = ("session", "duplicate_of")
    inlines = [PhotoInline]


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ("pk", "observation", "state", "attempts", "created_at")
    list_filter = ("state",)
    raw_id_fields = ("observation",)
    # The files are made by upload and the rendition task, and have no URL to link to.
    exclude = ("original", "thumbnail", "display")
    readonly_fields = (stored_as,)


@admin.register(ObservationDeletion)
class ObservationDeletionAdmin(admin.ModelAdmin):
    """The deletion record is evidence: it can be read here, never changed."""

    list_display = ("observation_pk", "session", "author", "deleted_by", "deleted_at")
    list_select_related = ("session__session_type", "session__team", "author", "deleted_by")
    readonly_fields = (
        "observation_pk",
        "session",
        "author",
        "deleted_by",
        "deleted_at",
        "reason",
        "snapshot",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
