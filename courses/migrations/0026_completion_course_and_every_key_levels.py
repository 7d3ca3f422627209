"""Fill the two levels of `CompletionMonth` added beside the indexes of 0022 (by course and month;
by every key but the month) from the fine rows, as `rebuild_dashboards` would, so that a site
upgraded without a rebuild shows the same figures."""

import datetime

from django.db import migrations

FINE, COURSE, EVERY_KEY = 0, 3, 4
ALL_TIME_MONTH = datetime.date(1, 1, 1)
KEYS = "course_id, organisation_key, country, cohort_key, trainer_key, programme_key"
COUNTS = "SUM(enrolments), SUM(completed), SUM(completions)"


def fill(apps, schema_editor):
    table = schema_editor.quote_name(apps.get_model("courses", "CompletionMonth")._meta.db_table)
    columns = f"level, {KEYS}, month, enrolments, completed, completions"
    month = schema_editor.connection.ops.adapt_datefield_value(ALL_TIME_MONTH)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE level IN (%s, %s)", [COURSE, EVERY_KEY])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT %s, course_id, 0, '', 0, 0, 0, month,"  # noqa: S608
            f" {COUNTS} FROM {table} WHERE level = %s GROUP BY course_id, month",
            [COURSE, FINE],
        )
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT %s, {KEYS}, %s, {COUNTS}"  # noqa: S608
            f" FROM {table} WHERE level = %s GROUP BY {KEYS}",
            [EVERY_KEY, month, FINE],
        )


def empty(apps, schema_editor):
    model = apps.get_model("courses", "CompletionMonth")
    model.objects.filter(level__in=(COURSE, EVERY_KEY)).delete()


class Migration(migrations.Migration):
    dependencies = [("courses", "0025_completion_breakdown_indexes")]

    operations = [migrations.RunPython(fill, empty)]
