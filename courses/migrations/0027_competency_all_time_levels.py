"""Fill the competency counts kept over all time (levels 2 and 3 of `OutcomeKeys`: every key,
and course and country alone, under the month 0001-01-01) from the monthly rows, as
`rebuild_dashboards` would, so that a site upgraded without a rebuild shows the same figures on
the pages read without a period. Each count is kept once per learner and month, so the sums
over the months are the counts over all time."""

import datetime

from django.db import migrations

EVERY_KEY_BY_MONTH, COUNTRY_BY_MONTH, EVERY_KEY, COUNTRY = 0, 1, 2, 3
ALL_TIME = datetime.date(1, 1, 1)
KEYS = "quiz_id, course_key, organisation_key, country, cohort_key, trainer_key"
TABLES = {  # model: (its own keys, its counts)
    "CompetencyMonth": ("competency", ("answers", "full_marks")),
    "QuestionMonth": ("question", ("answers", "full_marks")),
    "ChoiceMonth": ("step, choice", ("taken",)),
    "ScenarioMonth": ("", ("learners", "critical_learners")),
}


def fill(apps, schema_editor):
    month = schema_editor.connection.ops.adapt_datefield_value(ALL_TIME)
    with schema_editor.connection.cursor() as cursor:
        for name, (own, counts) in TABLES.items():
            table = schema_editor.quote_name(apps.get_model("courses", name)._meta.db_table)
            keys = f"{KEYS}, {own}" if own else KEYS
            sums = ", ".join(f"SUM({count})" for count in counts)
            columns = f"level, month, {keys}, {', '.join(counts)}"
            cursor.execute(
                f"DELETE FROM {table} WHERE level IN (%s, %s)",  # noqa: S608 names from models
                [EVERY_KEY, COUNTRY],
            )
            for level, source in ((EVERY_KEY, EVERY_KEY_BY_MONTH), (COUNTRY, COUNTRY_BY_MONTH)):
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT %s, %s, {keys}, {sums}"  # noqa: S608
                    f" FROM {table} WHERE level = %s GROUP BY {keys}",
                    [level, month, source],
                )


def empty(apps, schema_editor):
    for name in TABLES:
        apps.get_model("courses", name).objects.filter(level__in=(EVERY_KEY, COUNTRY)).delete()


class Migration(migrations.Migration):
    dependencies = [("courses", "0026_completion_course_and_every_key_levels")]

    operations = [migrations.RunPython(fill, empty)]
