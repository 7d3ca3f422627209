"""A dashboard table written to a file in the background, for its owner to download."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExportStorage(FileSystemStorage):
    """Private: the folder `FLIGHTPATH_EXPORT_ROOT`, outside MEDIA_ROOT, that no URL serves;
    only the owner's download view reads it."""

    @property
    def base_location(self):
        return str(settings.FLIGHTPATH_EXPORT_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Dashboard exports have no public address.")


_storage = ExportStorage()


def export_storage() -> ExportStorage:
    return _storage


class DashboardExport(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="dashboard_exports",
        verbose_name=_("owner"),
    )
    table = models.CharField(_("table"), max_length=40)
    format = models.CharField(_("format"), max_length=8)
    # The filters as the dashboard writes them back (`Filters.query`): one spelling per export.
    filters = models.CharField(_("filters"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    file = models.FileField(
        _("file"), storage=export_storage, upload_to="%Y/%m/", max_length=200, blank=True
    )
    # The language of the page it was asked from: the file's headings are written in it.
    language = models.CharField(_("language"), max_length=8, blank=True)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("dashboard export")
        verbose_name_plural = _("dashboard exports")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "-created_at"]),
            models.Index(fields=["status", "expires_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "running", "ready", "failed", "expired"]),
                name="dashboard_export_status_valid",
            ),
            # A double-clicked export link queues one file, not two.
            models.UniqueConstraint(
                fields=["owner", "table", "format", "filters"],
                condition=Q(status__in=["pending", "running"]),
                name="dashboard_export_one_in_progress",
            ),
        ]

    def __str__(self):
        return f"{self.table}.{self.format} ({self.status})"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)
