"""Queue the day's reminders: classroom sessions tomorrow, trainer certifications about to end
or just ended. Run it once a day (cron); running it again the same day sends nothing twice."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from courses.training import certification, notifications


class Command(BaseCommand):
    help = "Queue reminders of tomorrow's classroom sessions and of trainer certifications."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as if today were this day (YYYY-MM-DD).")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else certification.today()
        except ValueError as error:
            raise CommandError(f"--date: {error}") from error
        sessions = notifications.session_reminders(day=today + datetime.timedelta(days=1))
        certifications = notifications.certification_reminders(today=today)
        self.stdout.write(
            f"Queued {sessions} session reminder(s) and {certifications} certification "
            f"reminder(s) for {today.isoformat()}."
        )
