"""E-mail sent to people about their training: one row per message, so a message is never
sent twice, however many times the event or the daily command that causes it comes round."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Kind(models.TextChoices):
        COHORT_ADDED = "cohort_added", _("Added to a cohort")
        SESSION_REMINDER = "session_reminder", _("Classroom session tomorrow")
        CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
        CERTIFICATION_EXPIRING = "certification_expiring", _("Trainer certification expiring")
        CERTIFICATION_EXPIRED = "certification_expired", _("Trainer certification expired")
        MEMBERSHIP_VERIFIED = "membership_verified", _("Membership verified")
        MEMBERSHIP_REJECTED = "membership_rejected", _("Membership not verified")
        STALLED_REMINDER = "stalled_reminder", _("Reminder to carry on a course")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    # What the message is about, e.g. "session_reminder:42:7": the same event never writes twice.
    key = models.CharField(_("key"), max_length=200, unique=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    context = models.JSONField(_("details"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.user}"
