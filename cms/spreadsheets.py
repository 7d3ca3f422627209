"""Tables as CSV or XLSX downloads, streamed, with every cell a spreadsheet would read as a
formula escaped. Shared by the registry's exports and the dashboards'."""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from typing import BinaryIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


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
    """An XLSX workbook of `rows` in a temporary file, positioned at its start."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it once sent)
    xlsx_write(rows, title=title, output=output)
    output.seek(0)
    return output


def xlsx_write(rows: Iterable[list], *, title: str, output: BinaryIO) -> None:
    """An XLSX workbook of `rows` written to `output`. openpyxl's write-only mode keeps memory
    flat whatever the number of rows. Cells are escaped here."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for values in rows:
        sheet.append([escape_cell(v) for v in values])
    workbook.save(output)


def csv_write(rows: Iterable[list], *, output: BinaryIO, rows_per_write: int = 500) -> None:
    """CSV of `rows` written to `output` as UTF-8, `rows_per_write` rows at a time."""
    chunk = []
    for n, text in enumerate(csv_chunks(rows), start=1):
        chunk.append(text)
        if n % rows_per_write == 0:
            output.write("".join(chunk).encode())
            chunk.clear()
    output.write("".join(chunk).encode())


def write(rows: Iterable[list], *, fmt: str, title: str, output: BinaryIO) -> None:
    """`rows` as a CSV or XLSX file (`fmt`, one of `FORMATS`) written to `output`."""
    if fmt == "xlsx":
        xlsx_write(rows, title=title, output=output)
    else:
        csv_write(rows, output=output)
