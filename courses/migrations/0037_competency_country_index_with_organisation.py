"""The competency counts' index by country holds the organisation too: a country's figures
broken down by organisation are read from the index alone, not from each row."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0011_quiz_structure_blocks"),
        ("courses", "0036_completion_country_level"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="competencymonth",
            name="competency_month_country",
        ),
        migrations.AddIndex(
            model_name="competencymonth",
            index=models.Index(
                fields=[
                    "level",
                    "country",
                    "month",
                    "competency",
                    "organisation_key",
                    "answers",
                    "full_marks",
                ],
                name="competency_month_country",
            ),
        ),
    ]
