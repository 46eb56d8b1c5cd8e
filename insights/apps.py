from django.apps import AppConfig
from django.db.backends.signals import connection_created


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = "Insights and actions"

    def ready(self) -> None:
        from immersion import navigation
        from immersion.models import Role
        from insights.dashboard import register_sqlite_median

        connection_created.connect(register_sqlite_median, dispatch_uid="insights-sqlite-median")
        # Early enough to stay on the phone bar: it is the executive's main page.
        navigation.register(
            "Dashboard", "insights:dashboard", {Role.EXECUTIVE, Role.CX_LEAD, Role.MANAGER}, 25
        )
        navigation.register("Triage", "insights:triage-queue", [Role.CX_LEAD], order=30)
        navigation.register(
            "Actions", "insights:action-list", [Role.CX_LEAD, Role.EXECUTIVE], order=42
        )
        # Anyone can own an action, whatever their role, so everybody gets the entry.
        navigation.register("My actions", "insights:my-actions", None, order=45)
