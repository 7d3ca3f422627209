"""Trainers (Editors) and moderators may upload and edit H5P activities."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["add_h5ppackage", "change_h5ppackage", "view_h5ppackage"]


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("assessments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    package_type, _ = ContentType.objects.get_or_create(app_label="assessments", model="h5ppackage")
    permissions = Permission.objects.filter(content_type=package_type, codename__in=CODENAMES)
    for name in ("Editors", "Moderators"):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0004_h5ppackage_counting_h5presult_h5pstatement")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
