from django.apps import AppConfig
from django.db.backends.signals import connection_created


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = "Insights and actions"

    def ready(self) -> None:
        from immersion import home, navigation
        from immersion.models import Role
        from insights import panels
        from insights.dashboard import register_sqlite_median

        home.register_panel(
            "insights/_home_actions.html", panels.own_actions_panel, [Role.MANAGER, None], 20
        )
        home.register_landing("triage-waiting", panels.triage_waiting, order=20)
        home.register_landing("dashboard", panels.dashboard, order=30)
        home.register_landing("own-actions", panels.own_actions, order=40)

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
