from django.conf import settings
from django.core.management.base import BaseCommand

from cms.programs import demo as registry_demo
from courses import demo
from courses.training.demo_cascade import deliver_under_programmes, take_final_quizzes


class Command(BaseCommand):
    help = "Load the demo courses and organisations, and (under dev settings) demo accounts."

    def handle(self, *args, **options):
        with_accounts = getattr(settings, "FLIGHTPATH_DEMO_ACCOUNTS", False)
        result = demo.load(with_accounts=with_accounts)
        self.stdout.write(f"Lessons created: {result['lessons_created']}")
        self.stdout.write(f"Pages translated: {result['pages_translated']}")
        self.stdout.write(f"Registry programmes created: {registry_demo.load()}")
        self.stdout.write(f"Cohorts put under programmes: {deliver_under_programmes()}")
        self.stdout.write(f"Final quizzes taken by cohort learners: {take_final_quizzes()}")
        if with_accounts:
            registry_demo.programme_coordinator(demo.DEMO_PASSWORD)
            self.stdout.write(f"Accounts created: {len(result['accounts_created'])}")
            emails = [email for email, *_ in demo.ACCOUNTS]
            emails.append(registry_demo.PROGRAMME_COORDINATOR[0])
            self.stdout.write(
                f"Demo accounts (password '{demo.DEMO_PASSWORD}'): " + ", ".join(emails)
            )
