"""Classroom training: a cohort of learners taught a course or a track by a trainer, its
classroom sessions and who attended them. Written only through courses services."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cms.accounts.models import Organisation

from .pages import CoursePage, LessonPage


class Cohort(models.Model):
    """Learners of one organisation taught together; `course` is a course or a track."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="cohorts",
        verbose_name=_("organisation"),
    )
    course = models.ForeignKey(
        CoursePage,
        on_delete=models.PROTECT,
        related_name="cohorts",
        verbose_name=_("course or track"),
    )
    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cohorts_led",
        verbose_name=_("trainer"),
    )
    co_trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="cohorts_co_led",
        verbose_name=_("co-trainers"),
    )
    # The registry's programme the cohort is delivered under: its results are counted from
    # the cohort. The registry knows nothing of cohorts, hence no reverse accessor.
    programme = models.ForeignKey(
        "programs.Programme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("programme"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on", "name"]
        indexes = [
            models.Index(fields=["organisation", "-starts_on"]),
            # A programme's results count a completion when one of its cohorts teaches the
            # course (`programme_results`): one lookup per completion instead of a scan of
            # the programme's cohorts.
            models.Index(fields=["programme", "course"], name="cohort_programme_course"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="cohort_dates_in_order"
            )
        ]

    def __str__(self):
        return self.name


class CohortMember(models.Model):
    """A learner in a cohort."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cohort_memberships",
        verbose_name=_("learner"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cohort member")
        verbose_name_plural = _("cohort members")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="cohort_member_unique")
        ]
        indexes = [models.Index(fields=["user", "cohort"])]

    def __str__(self):
        return f"{self.user} in {self.cohort}"


class ClassroomSession(models.Model):
    """One meeting of a cohort, at an airport (by IATA code) or at a place without one."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    airport = models.CharField(
        _("airport (IATA code)"),
        max_length=3,
        blank=True,
        help_text=_("Leave empty for a place without an airport."),
    )
    # The airport's country, or the organisation's where there is no airport: the countries a
    # trainer's sessions reached are counted from it.
    country = CountryField(_("country"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    lessons = models.ManyToManyField(
        LessonPage, blank=True, related_name="+", verbose_name=_("lessons covered")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("classroom session")
        verbose_name_plural = _("classroom sessions")
        ordering = ["date", "starts_at"]
        indexes = [models.Index(fields=["cohort", "date"]), models.Index(fields=["date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="classroom_session_has_a_duration"
            )
        ]

    def __str__(self):
        return f"{self.cohort} · {self.date}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    session = models.ForeignKey(
        ClassroomSession, on_delete=models.CASCADE, related_name="attendance"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("learner"),
    )
    status = models.CharField(_("attendance"), max_length=8, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="attendance_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["present", "absent", "excused"]),
                name="attendance_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.status} at {self.session}"
