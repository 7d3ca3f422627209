"""Summary tables the coordinators' dashboards read. Kept up to date by
`courses.dashboards.summaries` in the transaction of every event that changes them, and
rewritten from the records by `manage.py rebuild_dashboards`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.accounts.models import Organisation

from .cohorts import Cohort
from .pages import CoursePage


class LearnerProgress(models.Model):
    """One learner's progress in one course or track they are enrolled in, with where they
    belong: their organisation (and its country), the cohort that teaches them the course and
    the registry's programme that cohort is delivered under."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    country = models.CharField(_("country"), max_length=2, blank=True)
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    programme = models.ForeignKey(
        "programs.Programme", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enrolled_at = models.DateTimeField(_("enrolled"))
    lessons_done = models.PositiveIntegerField(_("lessons done"), default=0)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"))

    class Meta:
        verbose_name = _("learner's progress")
        verbose_name_plural = _("learners' progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="learner_progress_unique")
        ]
        indexes = [
            models.Index(fields=["organisation", "course"]),
            models.Index(fields=["country", "course"]),
            models.Index(fields=["cohort"]),
            models.Index(fields=["trainer"]),
            models.Index(fields=["programme", "course"]),
            models.Index(fields=["course", "enrolled_at"]),
        ]

    def __str__(self):
        return f"{self.user_id} in {self.course_id}"


class CompletionMonth(models.Model):
    """Counts for one course, organisation, country, cohort, trainer and programme in one month:
    `enrolments` who enrolled that month, `completed` of those who have completed since, and
    `completions` recorded that month. Keys are plain numbers, 0 for none, so that one row
    stands for each combination in a unique constraint."""

    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+")
    organisation_key = models.PositiveIntegerField(default=0)
    country = models.CharField(max_length=2, blank=True)
    cohort_key = models.PositiveIntegerField(default=0)
    trainer_key = models.PositiveIntegerField(default=0)
    programme_key = models.PositiveIntegerField(default=0)
    month = models.DateField()
    enrolments = models.IntegerField(default=0)
    completed = models.IntegerField(default=0)
    completions = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("completion count")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "course",
                    "organisation_key",
                    "country",
                    "cohort_key",
                    "trainer_key",
                    "programme_key",
                    "month",
                ],
                name="completion_month_unique",
            )
        ]
        indexes = [
            models.Index(fields=["organisation_key", "month"]),
            models.Index(fields=["programme_key", "month"]),
            models.Index(fields=["month"]),
        ]

    def __str__(self):
        return f"{self.course_id} {self.month}"
