from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cms.accounts.models import Organisation
from cms.programs.services import organisation_merge


class Command(BaseCommand):
    help = (
        "Fold one organisation into another: its programmes, roles, budgets and aliases move, "
        "its name becomes an alias, and the merge is recorded with who made it."
    )

    def add_arguments(self, parser):
        parser.add_argument("keep", help="slug of the organisation that stays")
        parser.add_argument("merge", help="slug of the organisation folded into it")
        parser.add_argument("--by", required=True, help="e-mail address of who decided it")

    def handle(self, *args, keep, merge, by, **options):
        try:
            user = get_user_model().objects.get(email=by.lower())
            kept = Organisation.objects.get(slug=keep)
            merged = Organisation.objects.get(slug=merge)
        except (Organisation.DoesNotExist, get_user_model().DoesNotExist) as error:
            raise CommandError(str(error)) from None
        try:
            record = organisation_merge(keep=kept, merge=merged, user=user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Merged {record.merged_name} into {record.kept_name}: {record.moved}")
