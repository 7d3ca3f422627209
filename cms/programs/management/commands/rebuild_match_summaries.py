from django.core.management.base import BaseCommand

from cms.programs import summaries


class Command(BaseCommand):
    help = (
        "Write the overlap check's summary of every programme again from its records "
        "(after a restore, or data changed outside Flightpath)."
    )

    def handle(self, *args, **options):
        count = summaries.rebuild()
        self.stdout.write(f"{count} programme summaries written")
