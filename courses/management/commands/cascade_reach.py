import json

from django.core.management.base import BaseCommand, CommandError

from cms.accounts.models import User
from courses.training import cascade


class Command(BaseCommand):
    help = (
        "Print each trainer's reach: direct and downstream learners, completion rate and the "
        "countries reached (from the cascade's summary; `cascade_rebuild` rewrites it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--trainer", metavar="EMAIL", help="Only this trainer.")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, trainer=None, format="table", **options):
        if trainer:
            person = User.objects.filter(email__iexact=trainer.strip()).first()
            if person is None:
                raise CommandError(f"No one has the e-mail address {trainer}.")
            rows, _total = cascade.cascade_reach(scope=cascade.Scope("trainer", person.pk), limit=1)
            if not rows:
                raise CommandError(
                    f"{trainer} is not in the cascade: no certification and no cohort."
                )
        else:
            rows, _total = cascade.cascade_reach(scope=cascade.Scope("all"), limit=None)
        if format == "json":
            self.stdout.write(json.dumps({"trainers": [row.as_json() for row in rows]}))
            return
        self.stdout.write(
            f"{'trainer':40} {'level':8} {'direct':>7} {'downstream':>10} {'completion':>10}"
            "  countries  airports"
        )
        top = min((row.depth for row in rows), default=0)
        for row in rows:
            name = ("  " * (row.depth - top) + row.email)[:40]
            self.stdout.write(
                f"{name:40} {row.level:8} {row.direct_learners:>7} "
                f"{row.downstream_learners:>10} {row.completion_rate:>10.0%}"
                f"  {' '.join(row.countries) or '-'}  {' '.join(row.airports) or '-'}"
            )
