import json

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Quiz
from assessments.simulation import quiz_audit


class Command(BaseCommand):
    help = (
        "Audit published quizzes: paths and passing paths of branching scenarios, passing "
        "paths that take a critical choice, and how often naive learners (always the first "
        "option shown, always the longest) pass. Fails when a quiz does not measure judgement."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG", help="Default: every quiz.")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--attempts", type=int, default=200, help="Per naive learner.")

    def handle(self, *args, slugs, format, attempts, **options):
        if attempts < 1:
            raise CommandError("--attempts must be at least 1.")
        quizzes = Quiz.objects.filter(live=True).order_by("slug")
        if slugs:
            quizzes = quizzes.filter(slug__in=slugs)
            if missing := sorted(set(slugs) - {quiz.slug for quiz in quizzes}):
                raise CommandError(f"No published quiz has the slug: {', '.join(missing)}")
        audits = [quiz_audit(quiz, attempts=attempts) for quiz in quizzes]
        if format == "json":
            self.stdout.write(json.dumps({"quizzes": [a.as_dict() for a in audits]}, indent=2))
        else:
            for found in audits:
                self.stdout.write(_text(found))
        failing = [f"{a.slug}: {problem}" for a in audits for problem in a.failures()]
        if failing:
            raise CommandError("Quizzes that do not measure judgement:\n" + "\n".join(failing))


def _text(found) -> str:
    paths = (
        f"{found.passing_paths} of {found.paths} paths pass, "
        f"{found.passing_with_critical} of them with a critical choice; "
        if found.paths is not None
        else ""
    )
    return (
        f"{found.slug}: {paths}{found.critical_choices} critical choices; naive learners pass "
        f"{found.first_option_pass_rate:.0%} (first option), "
        f"{found.longest_option_pass_rate:.0%} (longest option)"
    )
