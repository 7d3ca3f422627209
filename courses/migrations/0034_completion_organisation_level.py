"""Fill the level of `CompletionMonth` kept by course and organisation over all time
(`ORGANISATION`) from the counts by course, organisation, country and programme over all time
(`ALL_TIME`), as `rebuild_dashboards` would, so that a site upgraded without a rebuild shows
the same figures on the breakdown by organisation."""

from django.db import migrations

ALL_TIME, ORGANISATION = 2, 5
COLUMNS = (
    "level, course_id, organisation_key, country, cohort_key, trainer_key, programme_key,"
    " month, enrolments, completed, completions"
)


def fill(apps, schema_editor):
    table = schema_editor.quote_name(apps.get_model("courses", "CompletionMonth")._meta.db_table)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE level = %s", [ORGANISATION])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {table} ({COLUMNS}) SELECT %s, course_id, organisation_key, '', 0, 0,"  # noqa: S608
            " 0, month, SUM(enrolments), SUM(completed), SUM(completions)"
            f" FROM {table} WHERE level = %s GROUP BY course_id, organisation_key, month",
            [ORGANISATION, ALL_TIME],
        )


def empty(apps, schema_editor):
    apps.get_model("courses", "CompletionMonth").objects.filter(level=ORGANISATION).delete()


class Migration(migrations.Migration):
    dependencies = [("courses", "0033_competency_every_country_levels")]

    operations = [migrations.RunPython(fill, empty)]
