import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from courses.training import observations


class Command(BaseCommand):
    help = (
        "Publish a new version of the observation rubric from a JSON file: "
        '{"overall_threshold": 3.0, "criteria": [{"key", "label", "description", "threshold"}]}. '
        "Earlier versions, and the sessions they rated, stay as they were."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as handle:
                data = json.load(handle)
            rubric = observations.rubric_publish(
                criteria=data["criteria"], overall_threshold=Decimal(str(data["overall_threshold"]))
            )
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise CommandError(f"{file}: {e}") from e
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from e
        self.stdout.write(f"Rubric version {rubric.version} published.")
