"""Actions are read here, never changed: every change must go through the action's methods
so it leaves its history row; the pages of the site are where actions are changed."""

from django.contrib import admin

from insights.models import (
    Action,
    ActionEvent,
    Audit,
    AuditorAccess,
    EscalationStep,
    Notification,
    ReVisit,
    ServicePolicy,
    Theme,
)


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


@admin.register(ReVisit)
class ReVisitAdmin(ReadOnlyAdmin):
    """Made by verifying an action and answered from the capture page; read here only."""

    list_display = ("action", "team", "touchpoint", "due_on", "answered_at", "improved")
    list_filter = ("improved", "touchpoint", "team")
    list_select_related = ("action", "team")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("action", "kind", "recipient", "period", "state", "attempts", "sent_at")
    list_filter = ("kind", "state")
    list_select_related = ("action", "recipient")
    search_fields = ("action__title", "recipient__username", "last_error")


class EscalationStepInline(admin.TabularInline):
    model = EscalationStep
    extra = 1


@admin.register(ServicePolicy)
class ServicePolicyAdmin(admin.ModelAdmin):
    """Staff keep the policies here; CX leads of a top-level team on the policy pages."""

    list_display = ("priority", "days_to_due", "reminder_days", "updated_at", "updated_by")
    readonly_fields = ("updated_by",)
    inlines = [EscalationStepInline]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    """Staff keep the themes here too; a theme in use cannot be deleted, only retired."""

    list_display = ("name", "is_active", "updated_at")
    list_filter = ("is_active",)
    search_fields = ("name", "description")
    exclude = ("observations", "actions")


@admin.register(AuditorAccess)
class AuditorAccessAdmin(ReadOnlyAdmin):
    """What each auditor looked at: written by the site, never edited."""

    list_display = ["at", "user", "method", "path", "status"]
    list_filter = ["user"]
    date_hierarchy = "at"


@admin.register(Audit)
class AuditAdmin(ReadOnlyAdmin):
    list_display = ["month", "auditor", "auditor_organisation", "signed_at"]
