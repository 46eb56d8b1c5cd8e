from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "journal"
    verbose_name = "Journal"

    def ready(self) -> None:
        from immersion.models import Role
        from immersion.navigation import ACCOUNT, register

        register("Journal", "journal:list", [Role.CX_LEAD, Role.EXECUTIVE, Role.MANAGER], 30)
        # What this phone still holds for the server: per device, so with one's own things.
        register("Waiting to upload", "journal:outbox", None, menu=ACCOUNT)
