"""Reading and writing the spreadsheets people really send: .xlsx, .xls, .csv.

python-calamine reads both Excel formats (and fast); openpyxl writes .xlsx.
Cells come back as Python values, untouched: cleaning is the caller's business.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

EXTENSIONS = (".xlsx", ".xls", ".csv")
# Excel in China saves CSV as GB18030 (GBK); everything else says UTF-8, often with a BOM.
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
# A cell that starts with one of these is run as a formula by spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# CSV files are read this many bytes at a time.
CHUNK = 1 << 20


class SpreadsheetError(ValueError):
    """The file cannot be read as a spreadsheet at all."""


class Rows:
    """A sheet's rows as lists of cell values, made one at a time as they are
    iterated. `total` is how many rows the sheet has: exact for Excel, the
    number of line breaks for CSV (more where a quoted cell holds one)."""

    def __init__(self, rows: Iterator[list[Any]], total: int) -> None:
        self._rows = rows
        self.total = total

    def __iter__(self) -> Iterator[list[Any]]:
        return self._rows


def stream_rows(source: str | Path | IO[bytes], name: str | None = None) -> Rows:
    """The first sheet of an .xlsx, .xls or .csv file, read a row at a time.

    A CSV file is read as it is iterated: a file handle must stay open (and
    seekable) until then. An Excel workbook is read by calamine into its own
    compact cell grid, from which each row becomes Python values only when
    its turn comes: the sheet is never a list of lists in Python."""
    name = name or str(source)
    suffix = Path(name).suffix.lower()
    if suffix not in EXTENSIONS:
        raise SpreadsheetError(
            _("unsupported file type %(suffix)s; use .xlsx, .xls or .csv")
            % {"suffix": suffix or _("(none)")}
        )
    if suffix == ".csv":
        return _csv_rows(source)
    try:
        if isinstance(source, (str, Path)):
            book = CalamineWorkbook.from_path(str(source))
        else:
            book = CalamineWorkbook.from_filelike(source)  # type: ignore[arg-type]
        sheet = book.get_sheet_by_index(0)
    except Exception as exc:  # calamine raises its own error types for corrupt files
        raise SpreadsheetError(
            _("not a readable %(suffix)s file: %(error)s") % {"suffix": suffix, "error": exc}
        ) from exc
    start, end = sheet.start, sheet.end
    if start is None or end is None:
        return Rows(iter(()), 0)
    # iter_rows leaves out the empty columns left of the data (but not the
    # empty rows above it): put them back, so that columns keep their places.
    padding = [""] * start[1]
    return Rows(([*padding, *row] for row in sheet.iter_rows()), end[0] + 1)


def read_rows(source: str | Path | IO[bytes], name: str | None = None) -> list[list[Any]]:
    """All rows of the first sheet of an .xlsx, .xls or .csv file, as lists of cell values."""
    if isinstance(source, (str, Path)):
        with Path(source).open("rb") as handle:
            return list(stream_rows(handle, name or str(source)))
    return list(stream_rows(source, name))


def _csv_rows(source: str | Path | IO[bytes]) -> Rows:
    if not isinstance(source, (str, Path)):
        encoding, lines = _csv_encoding(source)
        return Rows(_csv_reader(source, encoding), lines)
    path = Path(source)
    with path.open("rb") as handle:
        encoding, lines = _csv_encoding(handle)

    def from_path() -> Iterator[list[Any]]:
        with path.open("rb") as handle:
            yield from _csv_reader(handle, encoding)

    return Rows(from_path(), lines)


def _csv_reader(handle: IO[bytes], encoding: str) -> Iterator[list[Any]]:
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    try:
        yield from csv.reader(text)
    except csv.Error as exc:  # a NUL byte, say: a binary file named .csv
        raise SpreadsheetError(_("not a readable .csv file: %(error)s") % {"error": exc}) from exc
    finally:
        text.detach()  # the handle is the caller's to close


def _csv_encoding(handle: IO[bytes]) -> tuple[str, int]:
    """The encoding a CSV file is in, and its number of lines; read in chunks
    and rewound, so that a large file is never in memory at once."""
    for encoding in CSV_ENCODINGS:
        handle.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        lines = 0
        last = b""
        try:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                decoder.decode(chunk)
                lines += chunk.count(b"\n")
                last = chunk
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        handle.seek(0)
        return encoding, lines + (1 if last and not last.endswith(b"\n") else 0)
    raise SpreadsheetError(_("the CSV file is neither UTF-8 nor GB18030 text"))


def escape_formula(value: Any) -> Any:
    """Neutralise a text cell that a spreadsheet program would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def unescape_formula(value: Any) -> Any:
    """Undo escape_formula, so that an exported file imports back unchanged."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def write_xlsx(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "Sheet1"
) -> bytes:
    """An .xlsx file with one header row; every text cell is formula-escaped."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append(list(headers))
    for row in rows:
        sheet.append([escape_formula(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A UTF-8 .csv file with a BOM (so that Excel reads it as UTF-8); formula-escaped."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([escape_formula(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


def write_workbook(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """An .xlsx file of several sheets, each (title, headers, rows) as `write_xlsx` writes one."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = book.create_sheet(title=title[:31])
        sheet.append(list(headers))
        for row in rows:
            sheet.append([escape_formula(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
