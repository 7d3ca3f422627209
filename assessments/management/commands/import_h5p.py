from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessments.h5p.packages import PackageError
from assessments.h5p.services import h5p_import


class Command(BaseCommand):
    help = "Check an .h5p package and add it to the H5P activities (nothing is kept if refused)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--title", default="", help="defaults to the package's own title")

    def handle(self, *args, path, title, **options):
        try:
            package = h5p_import(source=path, title=title)
        except FileNotFoundError as e:
            raise CommandError(f"no such file: {path}") from e
        except (PackageError, ValidationError) as e:
            raise CommandError(f"refused: {e}") from e
        self.stdout.write(f"Imported “{package.title}” ({package.main_library}) as #{package.pk}")
