from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    name = "journal"
    verbose_name = "Journal"

    def ready(self) -> None:
        from immersion.models import Role
        from immersion.navigation import ACCOUNT, register

        register(_("Journal"), "journal:list", [Role.CX_LEAD, Role.EXECUTIVE, Role.MANAGER], 30)
        # What this phone still holds for the server: per device, so with one's own things.
        register(_("Waiting to upload"), "journal:outbox", None, menu=ACCOUNT)
