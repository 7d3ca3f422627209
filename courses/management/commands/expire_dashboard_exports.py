from django.core.management.base import BaseCommand

from courses.dashboards import exports


class Command(BaseCommand):
    help = (
        "Mark the dashboard exports past their time as expired and delete their files "
        "(FLIGHTPATH_EXPORT_HOURS after each was written). Run it hourly or daily; each "
        "export written in the background also runs it."
    )

    def handle(self, *args, **options):
        count = exports.export_expire()
        self.stdout.write(f"{count} exports expired.")
