"""Quizzes go through the same review as lessons: trainers (Editors) write drafts and submit
them, moderators publish, and the default "Moderators approval" workflow applies to quizzes."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = ["add_quiz", "change_quiz", "view_quiz", "lock_quiz"]
MODERATORS = EDITORS + ["publish_quiz", "unlock_quiz", "delete_quiz"]


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("assessments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    quiz_type, _ = ContentType.objects.get_or_create(app_label="assessments", model="quiz")
    for group_name, codenames in (("Editors", EDITORS), ("Moderators", MODERATORS)):
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(
            *Permission.objects.filter(content_type=quiz_type, codename__in=codenames)
        )
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    workflow = Workflow.objects.filter(name="Moderators approval").first()
    if workflow:
        WorkflowContentType.objects.get_or_create(content_type=quiz_type, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
        ("wagtailcore", "0083_workflowcontenttype"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
