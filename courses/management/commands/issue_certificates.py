"""Issue the certificates earned but not yet issued (idempotent: running it again issues
nothing more)."""

from django.core.management.base import BaseCommand

from courses.certificates.services import issue_missing


class Command(BaseCommand):
    help = "Issue every certificate earned but not yet issued."

    def handle(self, *args, **options):
        issued = issue_missing()
        self.stdout.write(f"{issued} certificate(s) issued.")
