"""Actions are read here, never changed: every change must go through the action's methods
so it leaves its history row; the pages of the site are where actions are changed."""

from django.contrib import admin

from insights.models import Action, ActionEvent, Notification


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ActionEventInline(admin.TabularInline):
    model = ActionEvent
    extra = 0
    fields = ("at", "actor", "kind", "old_value", "new_value", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ("title", "owner", "team", "due_on", "priority", "status", "is_published")
    list_filter = ("status", "priority", "is_published", "team")
    search_fields = ("title", "description")
    list_select_related = ("owner", "team")
    raw_id_fields = ("observations", "evidence_photos")
    inlines = [ActionEventInline]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("action", "kind", "recipient", "period", "state", "attempts", "sent_at")
    list_filter = ("kind", "state")
    list_select_related = ("action", "recipient")
    search_fields = ("action__title", "recipient__username", "last_error")
