import importlib
import random

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Load believable demo data: teams, people in every role, and every app's part of "
        "the demo. Safe to run again: existing demo data is kept, nothing is duplicated."
    )

    def handle(self, *args, **options):
        # Each app contributes a `demo` module; running them in INSTALLED_APPS order
        # keeps the dependency direction (immersion, then journal, then insights).
        rng = random.Random(20261127)  # noqa: S311 - demo data, not security
        for config in apps.get_app_configs():
            try:
                demo = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                demo.seed(self.stdout, rng)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
