from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from immersion.models import (
    ImmersionSession,
    Persona,
    Programme,
    SessionEvent,
    SessionReminder,
    SessionType,
    Team,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Immersion", {"fields": ("teams", "reminder_emails")}),
    )
    filter_horizontal = ("groups", "user_permissions", "teams")
    list_display = ("username", "email", "first_name", "last_name", "is_staff")
    list_filter = ("groups", "teams", "is_staff", "is_active")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("name",)
    list_select_related = ("parent",)


@admin.register(SessionType)
class SessionTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "default_duration", "is_active")
    list_filter = ("is_active",)


@admin.register(Persona)
class PersonaAdmin(admin.ModelAdmin):
    list_display = ("name", "is_active")


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "starts_on", "ends_on", "owner", "target_sessions")
    filter_horizontal = ("participants", "participant_teams", "target_types")
    list_select_related = ("owner",)


class SessionEventInline(admin.TabularInline):
    model = SessionEvent
    extra = 0
    readonly_fields = ("actor", "at", "from_status", "to_status", "note")
    can_delete = False


@admin.register(ImmersionSession)
class ImmersionSessionAdmin(admin.ModelAdmin):
    list_display = ("session_type", "team", "lead", "planned_start", "status")
    list_filter = ("status", "session_type", "team")
    list_select_related = ("session_type", "team", "lead")
    date_hierarchy = "planned_start"
    filter_horizontal = ("companions",)
    readonly_fields = ("status", "started_at", "ended_at")
    inlines = [SessionEventInline]


@admin.register(SessionReminder)
class SessionReminderAdmin(admin.ModelAdmin):
    """Read only: a row is the claim that stops a reminder going out twice."""

    list_display = ("session", "recipient", "kind", "claimed_at", "sent_at")
    list_filter = ("kind",)
    list_select_related = ("session__session_type", "session__team", "recipient")
    readonly_fields = ("session", "recipient", "kind", "claimed_at", "sent_at")

    def has_add_permission(self, request):
        return False
