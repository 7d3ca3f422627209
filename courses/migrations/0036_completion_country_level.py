"""Fill the level of `CompletionMonth` kept by course and country over all time
(`COUNTRY_ALL_TIME`) from the counts by course, organisation, country and programme over all
time (`ALL_TIME`), as `rebuild_dashboards` would, so that a site upgraded without a rebuild
shows the same figures on the breakdown by country."""

from django.db import migrations

ALL_TIME, COUNTRY_ALL_TIME = 2, 6
COLUMNS = (
    "level, course_id, organisation_key, country, cohort_key, trainer_key, programme_key,"
    " month, enrolments, completed, completions"
)


def fill(apps, schema_editor):
    table = schema_editor.quote_name(apps.get_model("courses", "CompletionMonth")._meta.db_table)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE level = %s", [COUNTRY_ALL_TIME])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {table} ({COLUMNS}) SELECT %s, course_id, 0, country, 0, 0, 0,"  # noqa: S608
            " month, SUM(enrolments), SUM(completed), SUM(completions)"
            f" FROM {table} WHERE level = %s GROUP BY course_id, country, month",
            [COUNTRY_ALL_TIME, ALL_TIME],
        )


def empty(apps, schema_editor):
    apps.get_model("courses", "CompletionMonth").objects.filter(level=COUNTRY_ALL_TIME).delete()


class Migration(migrations.Migration):
    dependencies = [("courses", "0035_certification_latest_mark")]

    operations = [migrations.RunPython(fill, empty)]
