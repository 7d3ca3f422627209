from django.core.management.base import BaseCommand, CommandError

from courses.dashboards import load_data


class Command(BaseCommand):
    help = (
        "Add a realistic population for measuring the dashboards (organisations in many "
        "countries, cohorts, trainers, enrolments, completions, graded quizzes, "
        "certifications), with bulk inserts, then rebuild the dashboards' summaries. Needs the "
        "published courses of `load_demo`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--password", default="flightpath")

    def handle(self, *args, learners, seed, password, **options):
        if learners < 1:
            raise CommandError("--learners must be at least 1.")
        try:
            counts = load_data.generate(
                learners=learners, seed=seed, password=password, log=self.stdout.write
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(", ".join(f"{value} {key}" for key, value in counts.items()))
