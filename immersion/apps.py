from django.apps import AppConfig


class ImmersionConfig(AppConfig):
    name = "immersion"
    verbose_name = "Immersion programmes"

    def ready(self) -> None:
        from immersion import navigation
        from immersion.models import Role

        navigation.register("Home", "home", None, order=0)
        navigation.register("Today", "immersion:today", [Role.MANAGER], order=10)
        navigation.register("Schedule", "immersion:schedule", [Role.CX_LEAD, Role.EXECUTIVE], 20)
        navigation.register(
            "Programmes", "immersion:programmes", [Role.CX_LEAD, Role.EXECUTIVE], order=30
        )
        navigation.register("Session types", "immersion:session-types", [Role.CX_LEAD], order=40)
