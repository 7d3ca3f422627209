import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessments.models import Quiz
from assessments.simulation import quiz_audit


class Command(BaseCommand):
    help = (
        "Audit published quizzes: paths and passing paths of branching scenarios, passing "
        "paths that take a critical choice, and how often naive learners (always the first "
        "option shown, always the longest) pass, in the quiz's language and in each of its "
        "live translations. Fails when a quiz or translation does not measure judgement."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG", help="Default: every quiz.")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--attempts", type=int, default=200, help="Per naive learner.")
        parser.add_argument(
            "--language",
            action="append",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Only these languages (repeat for more). Default: the quiz's and every "
            "language it has a live translation in.",
        )

    def handle(self, *args, slugs, format, attempts, language, **options):
        if attempts < 1:
            raise CommandError("--attempts must be at least 1.")
        # A translation shares its quiz's slug: it is audited with its quiz, under its language.
        quizzes = Quiz.objects.filter(live=True, locale__language_code=settings.LANGUAGE_CODE)
        quizzes = quizzes.order_by("slug")
        if slugs:
            quizzes = quizzes.filter(slug__in=slugs)
            if missing := sorted(set(slugs) - {quiz.slug for quiz in quizzes}):
                raise CommandError(f"No published quiz has the slug: {', '.join(missing)}")
        audits = [
            quiz_audit(quiz, attempts=attempts, translation=translation)
            for quiz in quizzes
            for translation in _in_languages(quiz, language)
        ]
        if format == "json":
            self.stdout.write(json.dumps({"quizzes": [a.as_dict() for a in audits]}, indent=2))
        else:
            for found in audits:
                self.stdout.write(_text(found))
        failing = [
            f"{a.slug} ({a.language}): {problem}" for a in audits for problem in a.failures()
        ]
        if failing:
            raise CommandError("Quizzes that do not measure judgement:\n" + "\n".join(failing))


def _in_languages(quiz: Quiz, languages: list[str] | None) -> list[Quiz | None]:
    """The quiz (None: as written) and its live translations, in the site's language order;
    only `languages` when given."""
    order = [code for code, _name in settings.LANGUAGES]
    translations = sorted(
        Quiz.objects.filter(translation_key=quiz.translation_key, live=True)
        .exclude(pk=quiz.pk)
        .select_related("locale"),
        key=lambda t: (
            order.index(t.locale.language_code) if t.locale.language_code in order else 99
        ),
    )
    found = [(settings.LANGUAGE_CODE, None)] + [(t.locale.language_code, t) for t in translations]
    return [item for code, item in found if not languages or code in languages]


def _text(found) -> str:
    paths = (
        f"{found.passing_paths} of {found.paths} paths pass, "
        f"{found.passing_with_critical} of them with a critical choice; "
        if found.paths is not None
        else ""
    )
    shown = "" if found.grades_as_source else "not shown (grades differently); "
    return (
        f"{found.slug} [{found.language}]: {shown}{paths}{found.critical_choices} critical "
        "choices; naive learners pass "
        f"{found.first_option_pass_rate:.0%} (first option), "
        f"{found.longest_option_pass_rate:.0%} (longest option)"
    )
