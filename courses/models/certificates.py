"""Certificates: what a person earned, as issued, for anyone to verify.

A certificate keeps what it said when it was issued (the holder's name, the achievement, the
issuing organisation), the PDF as issued and its SHA-256, so a renamed course or an edited PDF
never changes what the verification page confirms. Written only through
`courses.certificates.services`; read-only in the admin. *Expired* is not stored: it follows
from `valid_until` and the day it is asked."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.accounts.models import Organisation

from .pages import CoursePage
from .training import TrainerCertification


class Certificate(models.Model):
    class Kind(models.TextChoices):
        COURSE = "course", _("Course certificate")
        TRACK = "track", _("Track certificate")
        TRAINER = "trainer", _("Trainer certificate")

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        SUPERSEDED = "superseded", _("Superseded")
        REVOKED = "revoked", _("Revoked")

    # How a certificate stands on a given day: the stored status, or expired.
    EXPIRED = "expired"

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("holder"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    course = models.ForeignKey(
        CoursePage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
        verbose_name=_("course or track"),
    )
    certification = models.ForeignKey(
        TrainerCertification,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
        verbose_name=_("trainer certification"),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
        verbose_name=_("issuing organisation"),
    )
    # As printed on the certificate when it was issued.
    holder_name = models.CharField(_("holder's name"), max_length=300)
    achievement = models.CharField(_("achievement"), max_length=300)
    organisation_name = models.CharField(_("issuing organisation's name"), max_length=300)
    # The holder's language when it was issued: its PDF is printed in it, and its
    # verification address (the QR code, the e-mail) opens the page in it.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.VALID
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    code = models.CharField(_("verification code"), max_length=16, unique=True)
    pdf = models.FileField(_("PDF as issued"), upload_to="certificates/%Y/%m/", max_length=200)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["holder", "-issued_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["course", "track", "trainer"]), name="certificate_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["valid", "superseded", "revoked"]),
                name="certificate_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | Q(revoked_at__isnull=False),
                name="certificate_revocation_dated",
            ),
            # One certificate per course earned, and one per certification period recorded.
            models.UniqueConstraint(
                fields=["holder", "course"],
                condition=Q(kind__in=["course", "track"], course__isnull=False),
                name="certificate_one_per_course",
            ),
            models.UniqueConstraint(
                fields=["certification"],
                condition=Q(certification__isnull=False),
                name="certificate_one_per_certification",
            ),
        ]

    def __str__(self):
        return f"{self.holder_name} · {self.achievement} · {self.grouped_code}"

    @property
    def grouped_code(self) -> str:
        """The code as printed and typed: four groups of four."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

    def standing(self, on: datetime.date | None = None) -> str:
        """Valid, superseded, revoked or expired on the day `on` (today by default)."""
        if self.status != self.Status.VALID:
            return self.status
        on = on or timezone.localdate()
        if self.valid_until is not None and on > self.valid_until:
            return self.EXPIRED
        return self.Status.VALID
