"""Tables as CSV or XLSX downloads, streamed, with every cell a spreadsheet would read as a
formula escaped. Shared by the registry's exports and the dashboards'."""

import csv
import tempfile
from collections.abc import Iterable, Iterator

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value):
    """A text a spreadsheet would read as a formula, with a leading apostrophe; else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def csv_chunks(rows: Iterable[list]) -> Iterator[str]:
    """CSV text row by row, after a byte-order mark so that spreadsheets read it as UTF-8.
    Cells are escaped here."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for values in rows:
        yield writer.writerow(["" if v is None else escape_cell(v) for v in values])


def xlsx_file(rows: Iterable[list], *, title: str):
    """An XLSX workbook of `rows` in a temporary file, positioned at its start. openpyxl's
    write-only mode keeps memory flat whatever the number of rows. Cells are escaped here."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for values in rows:
        sheet.append([escape_cell(v) for v in values])
    output = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it once sent)
    workbook.save(output)
    output.seek(0)
    return output
