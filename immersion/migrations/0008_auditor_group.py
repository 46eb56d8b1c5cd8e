from django.db import migrations


def create_auditor_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="Auditor")


class Migration(migrations.Migration):
    dependencies = [("immersion", "0007_user_language")]

    operations = [migrations.RunPython(create_auditor_group, migrations.RunPython.noop)]
