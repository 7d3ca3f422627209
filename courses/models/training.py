"""Train-the-trainer: a person's certification as a trainer or a master trainer.

A certification is a history, not a record that changes: certifying, renewing, suspending,
reinstating and revoking each add a row, and a person's certification at a level is their
latest row, the one marked `is_latest`. Whether a certified trainer is *expiring* or *expired*
is not stored: it follows from the dates and the day it is asked
(`courses.training.certification.standing`)."""

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cms.accounts.models import Organisation


class TrainerCertification(models.Model):
    class Level(models.TextChoices):
        TRAINER = "trainer", _("Trainer")
        MASTER = "master", _("Master trainer")

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        CERTIFIED = "certified", _("Certified")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="trainer_certifications",
        verbose_name=_("person"),
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("certified by"),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainer_certifications",
        verbose_name=_("organisation"),
    )
    evidence = models.TextField(_("evidence"), blank=True)
    reason = models.TextField(_("reason"), blank=True)  # for a suspension or a revocation
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # The person's latest row at the level, the one that says where they stand: set when a
    # row is added, in the same transaction that clears it on the row before, so that the
    # trainers' dashboard reads one row a person without looking for later ones.
    # `mark_latest` sets it again from the rows' order.
    is_latest = models.BooleanField(_("latest"), default=False, editable=False)
    # For a trainer: the passed observed session the certification rests on.
    observed_session = models.ForeignKey(
        "courses.ObservedSession",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certifications",
        verbose_name=_("observed session"),
    )

    class Meta:
        verbose_name = _("trainer certification")
        verbose_name_plural = _("trainer certifications")
        ordering = ["user", "level", "-recorded_at", "-pk"]
        indexes = [models.Index(fields=["user", "level", "-recorded_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=["trainer", "master"]), name="certification_level_valid"
            ),
            models.UniqueConstraint(
                fields=["user", "level"],
                condition=Q(is_latest=True),
                name="certification_one_latest_a_person_and_level",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["candidate", "certified", "suspended", "revoked"]),
                name="certification_status_valid",
            ),
            # A certified period has both ends, in order; a candidate has none yet.
            models.CheckConstraint(
                condition=~Q(status="certified")
                | Q(
                    valid_from__isnull=False,
                    valid_until__isnull=False,
                    valid_until__gt=F("valid_from"),
                ),
                name="certification_certified_has_a_period",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_level_display()} · {self.get_status_display()}"

    def save(self, *args, **kwargs):
        """A row added is the person's latest at its level: the one before stops being it."""
        if not self._state.adding:
            super().save(*args, **kwargs)
            return
        with transaction.atomic():
            TrainerCertification.objects.filter(
                user_id=self.user_id, level=self.level, is_latest=True
            ).update(is_latest=False)
            self.is_latest = True
            super().save(*args, **kwargs)

    @classmethod
    def mark_latest(cls) -> None:
        """Mark each person's latest row at each level from the rows' order (recorded last,
        then written last): for rows written in bulk, and to repair the mark. Two
        statements, so that no person has two marked rows between them."""
        later = cls.objects.filter(
            Q(recorded_at__gt=models.OuterRef("recorded_at"))
            | Q(recorded_at=models.OuterRef("recorded_at"), pk__gt=models.OuterRef("pk")),
            user=models.OuterRef("user"),
            level=models.OuterRef("level"),
        )
        with transaction.atomic():
            cls.objects.filter(is_latest=True).update(is_latest=False)
            cls.objects.filter(~models.Exists(later)).update(is_latest=True)


class Rubric(models.Model):
    """A version of the rubric on which a master trainer rates a candidate's observed session.

    `criteria` is a list of `{"key", "label", "description", "threshold"}`, each scored from
    `SCORE_MIN` to `SCORE_MAX`; a session passes when every criterion reaches its threshold and
    the average reaches `overall_threshold`. A version that has rated a session is never edited:
    a change of criteria or thresholds is a new version, so every record is judged by the rubric
    it was rated on."""

    SCORE_MIN = 1
    SCORE_MAX = 4

    version = models.PositiveIntegerField(_("version"), unique=True)
    criteria = models.JSONField(_("criteria"))
    overall_threshold = models.DecimalField(
        _("overall threshold (average)"), max_digits=3, decimal_places=2
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("observation rubric")
        verbose_name_plural = _("observation rubrics")
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(overall_threshold__gte=1, overall_threshold__lte=4),
                name="rubric_overall_threshold_on_the_scale",
            )
        ]

    def __str__(self):
        return _("Rubric version %(version)s") % {"version": self.version}

    def save(self, *args, **kwargs):
        if self.pk and self.observed_sessions.exists():
            raise ValueError("A rubric that has rated a session is never edited: add a version.")
        super().save(*args, **kwargs)


class ObservedSession(models.Model):
    """A session a candidate delivered, observed and rated by a master trainer on a rubric.

    Written only through `courses.training.observations`; never edited afterwards."""

    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="observed_sessions",
        verbose_name=_("candidate"),
    )
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="observations_made",
        verbose_name=_("observer"),
    )
    # The candidate's organisation when observed: its coordinators read the record.
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observed_sessions",
        verbose_name=_("organisation"),
    )
    date = models.DateField(_("date"))
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("course or track taught"),
    )
    lesson = models.ForeignKey(
        "courses.LessonPage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lesson taught"),
    )
    classroom_session = models.ForeignKey(
        "courses.ClassroomSession",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name=_("classroom session"),
    )
    co_trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("co-trainers of the session"),
    )
    rubric = models.ForeignKey(
        Rubric,
        on_delete=models.PROTECT,
        related_name="observed_sessions",
        verbose_name=_("rubric"),
    )
    overall = models.DecimalField(_("overall (average)"), max_digits=3, decimal_places=2)
    passed = models.BooleanField(_("passed"))
    comment = models.TextField(_("comment"), blank=True)
    # The form's one-time token: a rubric submitted twice is recorded once.
    token = models.UUIDField(_("submission token"), unique=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("observed session")
        verbose_name_plural = _("observed sessions")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["candidate", "-date"]),
            models.Index(fields=["observer", "-date"]),
            models.Index(fields=["organisation", "-date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(observer=F("candidate")), name="observed_session_not_self_rated"
            ),
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=4),
                name="observed_session_overall_on_the_scale",
            ),
        ]

    def __str__(self):
        return f"{self.candidate} · {self.date} · {self.observer}"


class ObservationScore(models.Model):
    """One criterion of an observed session: its score and the observer's note."""

    session = models.ForeignKey(ObservedSession, on_delete=models.CASCADE, related_name="scores")
    criterion = models.CharField(_("criterion"), max_length=64)
    score = models.PositiveSmallIntegerField(_("score"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "criterion"], name="observation_score_unique"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=4), name="observation_score_on_the_scale"
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"
