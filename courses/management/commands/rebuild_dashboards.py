import time

from django.core.management.base import BaseCommand

from courses.dashboards import summaries


class Command(BaseCommand):
    help = (
        "Rewrite the dashboards' summary tables (each learner's progress in each course, the "
        "monthly counts, the graded attempts' outcomes, the programme results and each "
        "person's latest trainer certification) from the records."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        count = summaries.rebuild()
        self.stdout.write(f"Progress rows written: {count} ({time.monotonic() - started:.1f}s)")
