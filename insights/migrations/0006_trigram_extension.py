from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm for ranking similar observations; the operation does nothing on other databases."""

    dependencies = [("insights", "0005_team_triage_settings")]

    operations = [TrigramExtension()]
