from django.core.management.base import BaseCommand, CommandError

from cms.programs.importing import ImportFailed, import_rows, read_file


class Command(BaseCommand):
    help = (
        "Import programmes from a CSV or JSON file: all of them or none. An identifier the "
        "registry holds already updates its record."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            result = import_rows(read_file(options["file"]))
        except OSError as error:
            raise CommandError(f"{options['file']}: {error.strerror}") from None
        except ImportFailed as failed:
            for problem in failed.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Nothing was imported: {len(failed.problems)} problem(s) in the file."
            ) from None
        for name in result.organisations:
            self.stdout.write(f"new organisation: {name}")
        for identifier, other, kind, score, reasons in result.matches:
            self.stdout.write(
                f"possible {kind}: {identifier} ~ {other} ({score:.2f}): {'; '.join(reasons)}"
            )
        if result.matches:
            self.stdout.write(
                "Moderators decide on these pairs under Programmes › Possible duplicates."
            )
        self.stdout.write(
            f"{len(result.created)} programme(s) created, {len(result.updated)} updated."
        )
