from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "journal"
    verbose_name = "Journal"

    def ready(self) -> None:
        from immersion.models import Role
        from immersion.navigation import register

        register("Journal", "journal:list", [Role.CX_LEAD, Role.EXECUTIVE, Role.MANAGER], 30)
