from django.contrib import admin

from insights.models import Action, ActionEvent


class ActionEventInline(admin.TabularInline):
    model = ActionEvent
    extra = 0
    readonly_fields = ("actor", "at", "kind", "old_value", "new_value", "note")
    can_delete = False


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "team", "due_on", "priority", "status", "is_published")
    list_filter = ("status", "priority", "is_published", "team")
    search_fields = ("title", "description")
    list_select_related = ("owner", "team")
    raw_id_fields = ("observations", "evidence_photos")
    readonly_fields = ("status", "done_at", "verified_at", "verified_by", "version")
    inlines = [ActionEventInline]
