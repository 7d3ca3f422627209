"""Mark each person's latest trainer certification at each level (`is_latest`), as
`TrainerCertification.mark_latest` does, so that a site upgraded without a rebuild lists the
same trainers on the dashboard."""

from django.db import migrations, models
from django.db.models import Exists, OuterRef, Q


def fill(apps, schema_editor):
    rows = apps.get_model("courses", "TrainerCertification").objects
    later = rows.filter(
        Q(recorded_at__gt=OuterRef("recorded_at"))
        | Q(recorded_at=OuterRef("recorded_at"), pk__gt=OuterRef("pk")),
        user=OuterRef("user"),
        level=OuterRef("level"),
    )
    rows.filter(~Exists(later)).update(is_latest=True)


class Migration(migrations.Migration):
    dependencies = [("courses", "0034_completion_organisation_level")]

    operations = [
        migrations.AddField(
            model_name="trainercertification",
            name="is_latest",
            field=models.BooleanField(default=False, editable=False, verbose_name="latest"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="trainercertification",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_latest", True)),
                fields=("user", "level"),
                name="certification_one_latest_a_person_and_level",
            ),
        ),
    ]
