from django.apps import AppConfig


class ImmersionConfig(AppConfig):
    name = "immersion"
    verbose_name = "Immersion programmes"

    def ready(self) -> None:
        from immersion import navigation
        from immersion.models import Role

        navigation.register("Home", "home", Role.values, order=0)
