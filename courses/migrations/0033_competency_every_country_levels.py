"""Fill the competency counts added up over every country (levels 4 and 5 of `OutcomeKeys`:
quiz and course alone, by month and over all time) from the counts by country (levels 1 and
3), as `rebuild_dashboards` would, so that a site upgraded without a rebuild shows the same
figures on the pages that read them: those across every organisation and country."""

from django.db import migrations

COUNTRY_BY_MONTH, COUNTRY, EVERY_COUNTRY_BY_MONTH, EVERY_COUNTRY = 1, 3, 4, 5
KEYS = "quiz_id, course_key, month"
TABLES = {  # model: (its own keys, its counts)
    "CompetencyMonth": ("competency", ("answers", "full_marks")),
    "QuestionMonth": ("question", ("answers", "full_marks")),
    "ChoiceMonth": ("step, choice", ("taken",)),
    "ScenarioMonth": ("", ("learners", "critical_learners")),
}


def fill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for name, (own, counts) in TABLES.items():
            table = schema_editor.quote_name(apps.get_model("courses", name)._meta.db_table)
            keys = f"{KEYS}, {own}" if own else KEYS
            sums = ", ".join(f"SUM({count})" for count in counts)
            columns = f"level, organisation_key, country, cohort_key, trainer_key, {keys}"
            cursor.execute(
                f"DELETE FROM {table} WHERE level IN (%s, %s)",  # noqa: S608 names from models
                [EVERY_COUNTRY_BY_MONTH, EVERY_COUNTRY],
            )
            for level, source in (
                (EVERY_COUNTRY_BY_MONTH, COUNTRY_BY_MONTH),
                (EVERY_COUNTRY, COUNTRY),
            ):
                cursor.execute(
                    f"INSERT INTO {table} ({columns}, {', '.join(counts)})"  # noqa: S608
                    f" SELECT %s, 0, '', 0, 0, {keys}, {sums}"
                    f" FROM {table} WHERE level = %s GROUP BY {keys}",
                    [level, source],
                )


def empty(apps, schema_editor):
    for name in TABLES:
        apps.get_model("courses", name).objects.filter(
            level__in=(EVERY_COUNTRY_BY_MONTH, EVERY_COUNTRY)
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("courses", "0032_covering_month_indexes")]

    operations = [migrations.RunPython(fill, empty)]
