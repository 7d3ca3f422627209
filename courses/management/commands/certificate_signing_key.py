"""Print a new Ed25519 private key for FLIGHTPATH_SIGNING_KEY (base64 of its 32 bytes)."""

from django.core.management.base import BaseCommand

from courses.certificates.signing import new_private_key_text


class Command(BaseCommand):
    help = "Print a new Ed25519 private key for FLIGHTPATH_SIGNING_KEY. Keep it secret."

    def handle(self, *args, **options):
        self.stdout.write(new_private_key_text())
