"""Train-the-trainer: a person's certification as a trainer or a master trainer.

A certification is a history, not a record that changes: certifying, renewing, suspending,
reinstating and revoking each add a row, and a person's certification at a level is their
latest row. Whether a certified trainer is *expiring* or *expired* is not stored: it follows
from the dates and the day it is asked (`courses.training.certification.standing`)."""

from django.conf import settings
from django.db import models
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

    class Meta:
        verbose_name = _("trainer certification")
        verbose_name_plural = _("trainer certifications")
        ordering = ["user", "level", "-recorded_at", "-pk"]
        indexes = [models.Index(fields=["user", "level", "-recorded_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=["trainer", "master"]), name="certification_level_valid"
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
