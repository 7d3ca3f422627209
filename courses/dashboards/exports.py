"""Dashboard tables too long to stream, written to a file in the background.

A table with more rows than `FLIGHTPATH_EXPORT_STREAM_LIMIT` is not streamed: `export_request`
records a `DashboardExport` (or returns the one of the same table, format and filters already in
progress, so that a double click queues one file) and queues `export_build` once the request's
transaction commits. The task claims the export, checks its owner's scope again (a coordinator
who lost the role gets nothing, a filter now outside their scope fails), writes the rows from an
iterator into a temporary file in chunks and only then moves the finished file into the private
store. The owner downloads it until it expires; `export_expire` deletes the files of expired
exports.
"""

import contextlib
import datetime
import logging
import os
import tempfile
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.http import Http404, QueryDict
from django.utils import timezone, translation
from django_tasks import task

from cms import spreadsheets

from ..models import DashboardExport
from . import selectors

logger = logging.getLogger(__name__)
Status = DashboardExport.Status
IN_PROGRESS = (Status.PENDING, Status.RUNNING)

# Why an export failed, as stored in `DashboardExport.error`; the page says it in words.
NO_ACCESS = "no_access"
OUT_OF_SCOPE = "out_of_scope"
UNKNOWN_TABLE = "unknown_table"
WRITE_FAILED = "write_failed"


def lifetime() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.FLIGHTPATH_EXPORT_HOURS)


def export_request(
    *, owner, table: str, fmt: str, filters: str, language: str = ""
) -> DashboardExport:
    """The owner's export of `table` with `filters` (a query string as `Filters.query` writes
    it): the one already in progress, or a new one queued once this transaction commits."""
    same = {"owner": owner, "table": table, "format": fmt, "filters": filters}
    found = DashboardExport.objects.filter(**same, status__in=IN_PROGRESS).first()
    if found:
        return found
    try:
        with transaction.atomic():
            export = DashboardExport.objects.create(
                **same,
                language=language or settings.LANGUAGE_CODE,
                expires_at=timezone.now() + lifetime(),
            )
    except IntegrityError:  # the other click of a double click won the race
        return DashboardExport.objects.get(**same, status__in=IN_PROGRESS)
    transaction.on_commit(partial(export_build.enqueue, export.pk))
    return export


class Refused(Exception):
    """The export may not be written; its argument is the reason's code."""


@task(backend="queue")
def export_build(export_id: int) -> str:
    """Write one export unless another worker has claimed it; returns its status."""
    claimed = DashboardExport.objects.filter(pk=export_id, status=Status.PENDING).update(
        status=Status.RUNNING
    )
    if not claimed:
        return "skipped"
    export = DashboardExport.objects.select_related("owner").get(pk=export_id)
    try:
        with translation.override(export.language or settings.LANGUAGE_CODE):
            written, count = _write(export, _rows(export))
        try:
            with open(written, "rb") as handle:
                export.file.save(download_name(export), _Written(handle), save=False)
        finally:
            Path(written).unlink(missing_ok=True)
    except Refused as refused:
        return _finish(export, Status.FAILED, error=str(refused))
    except Exception:
        logger.exception("Dashboard export %s could not be written", export_id)
        return _finish(export, Status.FAILED, error=WRITE_FAILED)
    export.rows = count
    status = _finish(export, Status.READY)
    export_expire()  # the files of exports past their time go as new ones are written
    return status


def _rows(export: DashboardExport):
    """The table's rows, read with the owner's scope as it is now."""
    from .views import EXPORT_TABLES  # the tables the dashboard pages offer

    query = QueryDict(export.filters)
    try:  # the scope the export was asked in (`?scope=`), if the owner still holds it
        scope = selectors.dashboard_scope(user=export.owner, wanted=query.get("scope"))
    except Http404 as lost:
        raise Refused(NO_ACCESS) from lost
    if scope is None or not export.owner.is_active:
        raise Refused(NO_ACCESS)
    if export.table not in EXPORT_TABLES or export.format not in spreadsheets.FORMATS:
        raise Refused(UNKNOWN_TABLE)
    try:
        filters = selectors.filters_from(query, scope=scope)
        table = EXPORT_TABLES[export.table]
        params = table.params_from(query)
    except Http404 as refused:
        raise Refused(OUT_OF_SCOPE) from refused
    return table.rows(scope, filters, params)


class _Counted:
    def __init__(self, rows):
        self.rows, self.count = rows, -1  # the heading row is not counted

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


def _write(export: DashboardExport, rows) -> tuple[str, int]:
    """The rows written to a temporary file beside the store (so that the finished file is
    moved in, not copied); a failure deletes it. Returns its path and the rows written."""
    folder = Path(settings.FLIGHTPATH_EXPORT_ROOT) / "partial"
    folder.mkdir(parents=True, exist_ok=True)
    handle, path = tempfile.mkstemp(dir=folder, suffix=f".{export.format}")
    counted = _Counted(rows)
    try:
        with os.fdopen(handle, "wb") as output:
            spreadsheets.write(counted, fmt=export.format, title=export.table, output=output)
    except BaseException:
        Path(path).unlink(missing_ok=True)
        raise
    return path, max(counted.count, 0)


class _Written(File):
    """A finished file on disk: the file-system store moves it rather than copying it."""

    def temporary_file_path(self):
        return self.file.name


def download_name(export: DashboardExport) -> str:
    return f"flightpath-{export.table}-{export.created_at:%Y%m%d}-{export.pk}.{export.format}"


def _finish(export: DashboardExport, status: str, *, error: str = "") -> str:
    export.status, export.error, export.finished_at = status, error, timezone.now()
    if status == Status.READY:
        export.expires_at = export.finished_at + lifetime()
    export.save()
    return status


def export_expire(*, now: datetime.datetime | None = None) -> int:
    """Every export past its time marked expired and its file deleted (an export stuck in
    progress that long too, so that it no longer stands for its table). Returns how many."""
    now = now or timezone.now()
    expired = DashboardExport.objects.filter(expires_at__lte=now).exclude(status=Status.EXPIRED)
    count = 0
    for export in expired.iterator():
        if export.file:
            with contextlib.suppress(FileNotFoundError):
                export.file.delete(save=False)
        export.status, export.file = Status.EXPIRED, ""
        export.save(update_fields=["status", "file"])
        count += 1
    return count


def error_message(code: str) -> str:
    from django.utils.translation import gettext as _

    return {
        NO_ACCESS: _("You no longer have access to the dashboards, so nothing was written."),
        OUT_OF_SCOPE: _(
            "A filter of this export is no longer yours to use, so nothing was written."
        ),
        UNKNOWN_TABLE: _("This table can no longer be exported."),
    }.get(code, _("The file could not be written. Please ask for it again."))
