import json

from django.core.management.base import BaseCommand

from cms.programs.overlap import registry_pairs


class Command(BaseCommand):
    help = "List the pairs of programmes the registry would raise as duplicates or overlaps."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        pairs = registry_pairs()
        if options["format"] == "json":
            self.stdout.write(json.dumps({"pairs": pairs}, ensure_ascii=False, indent=2))
            return
        for pair in pairs:
            reasons = "; ".join(pair["reasons"])
            self.stdout.write(f"{pair['kind']:8} {pair['score']:.2f} {pair['a']} {pair['b']}")
            self.stdout.write(f"         {reasons}")
        self.stdout.write(f"{len(pairs)} pairs")
