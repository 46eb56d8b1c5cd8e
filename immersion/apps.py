from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImmersionConfig(AppConfig):
    name = "immersion"
    verbose_name = "Immersion programmes"

    def ready(self) -> None:
        from immersion import home, navigation
        from immersion.models import Role
        from immersion.views.sessions import session_under_way, sessions_panel

        home.register_panel("immersion/_home_sessions.html", sessions_panel, [Role.MANAGER], 10)
        home.register_landing("session-under-way", session_under_way, order=10)

        # Each role's first four entries make its phone bar; the rest go under "More".
        navigation.register(_("Home"), "home", None, order=0)
        navigation.register(_("Today"), "immersion:today", [Role.MANAGER], order=10)
        navigation.register(
            _("Schedule"),
            "immersion:schedule",
            [Role.CX_LEAD, Role.EXECUTIVE, Role.MANAGER],
            order=30,
            order_for={Role.EXECUTIVE: 40, Role.MANAGER: 40},
        )
        navigation.register(
            _("Programmes"), "immersion:programmes", [Role.CX_LEAD, Role.EXECUTIVE], order=60
        )
        navigation.register(
            _("Session types"), "immersion:session-types", [Role.CX_LEAD], order=70, staff=True
        )
        navigation.register(_("My calendar"), "immersion:calendar", None, menu=navigation.ACCOUNT)
        navigation.register(_("API tokens"), "api-tokens", None, menu=navigation.ACCOUNT)
        navigation.register(_("Language"), "language", None, menu=navigation.ACCOUNT)
