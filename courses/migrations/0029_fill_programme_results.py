"""Fill the programme results' summary (`ProgrammeLearner`, `ProgrammeCount`) from the records,
as `rebuild_dashboards` does, so that a site upgraded without a rebuild shows the same figures
on the Programme results page. The counting is the summary's own (`dashboards.results`): the
distinct people of each programme cannot be summed from the other summaries."""

from django.db import migrations


def fill(apps, schema_editor):
    from courses.dashboards import results

    results.rebuild()


def empty(apps, schema_editor):
    for name in ("ProgrammeLearner", "ProgrammeCount"):
        apps.get_model("courses", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("courses", "0028_programme_results")]

    operations = [migrations.RunPython(fill, empty)]
