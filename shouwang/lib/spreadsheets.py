"""Reading and writing the spreadsheets people really send: .xlsx, .xls, .csv.

python-calamine reads both Excel formats (and fast); openpyxl writes .xlsx.
Cells come back as Python values, untouched: cleaning is the caller's business.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

EXTENSIONS = (".xlsx", ".xls", ".csv")
# Excel in China saves CSV as GB18030 (GBK); everything else says UTF-8, often with a BOM.
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
# A cell that starts with one of these is run as a formula by spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetError(ValueError):
    """The file cannot be read as a spreadsheet at all."""


def read_rows(source: str | Path | IO[bytes], name: str | None = None) -> list[list[Any]]:
    """All rows of the first sheet of an .xlsx, .xls or .csv file, as lists of cell values."""
    name = name or str(source)
    suffix = Path(name).suffix.lower()
    if suffix not in EXTENSIONS:
        raise SpreadsheetError(
            _("unsupported file type %(suffix)s; use .xlsx, .xls or .csv")
            % {"suffix": suffix or _("(none)")}
        )
    data = source.read() if hasattr(source, "read") else Path(source).read_bytes()
    if suffix == ".csv":
        return _read_csv(data)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return [list(row) for row in book.get_sheet_by_index(0).to_python(skip_empty_area=False)]
    except Exception as exc:  # calamine raises its own error types for corrupt files
        raise SpreadsheetError(
            _("not a readable %(suffix)s file: %(error)s") % {"suffix": suffix, "error": exc}
        ) from exc


def _read_csv(data: bytes) -> list[list[Any]]:
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            return list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:  # a NUL byte, say: a binary file named .csv
            raise SpreadsheetError(
                _("not a readable .csv file: %(error)s") % {"error": exc}
            ) from exc
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
