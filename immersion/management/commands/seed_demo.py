import importlib
import io
import random

from django.apps import apps
from django.core.management.base import BaseCommand, OutputWrapper
from django.db import transaction
from django.test.utils import override_settings


class Command(BaseCommand):
    help = (
        "Load believable demo data: teams, people in every role, and every app's part of "
        "the demo. Safe to run again: existing demo data is kept, nothing is duplicated."
    )

    def handle(self, *args, **options):
        # Each app contributes a `demo` module; running them in INSTALLED_APPS order
        # keeps the dependency direction (immersion, then journal, then insights).
        rng = random.Random(20261127)  # noqa: S311 - demo data, not security
        report = io.StringIO()
        # The demo people have example.com addresses: their assignment e-mails are
        # recorded as sent without printing dozens of them over the demo logins.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            for config in apps.get_app_configs():
                try:
                    demo = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                with transaction.atomic():
                    demo.seed(OutputWrapper(report), rng)
        # Last, so the logins are not scrolled away by the task log of the eager run.
        self.stdout.write(report.getvalue(), ending="")
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
