import time

from django.core.management.base import BaseCommand

from courses.training import cascade


class Command(BaseCommand):
    help = (
        "Rewrite the cascade's summary (every trainer's place in the tree and reach) from the "
        "certifications, cohorts, members, sessions and completions."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        count = cascade.rebuild()
        self.stdout.write(f"Trainers in the cascade: {count} ({time.monotonic() - started:.1f}s)")
