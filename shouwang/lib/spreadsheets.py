"""Reading and writing the spreadsheets people really send: .xlsx, .xls, .csv.

python-calamine reads both Excel formats (and fast), openpyxl reads the .xlsx
sheets too large for calamine's grid and writes .xlsx.
Cells come back as Python values, untouched: cleaning is the caller's business.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, TypeVar

from django.utils.translation import gettext as _
from lxml import etree
from python_calamine import CalamineWorkbook

T = TypeVar("T")

EXTENSIONS = (".xlsx", ".xls", ".csv")
# Excel in China saves CSV as GB18030 (GBK); everything else says UTF-8, often with a BOM.
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
# A cell that starts with one of these is run as a formula by spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# CSV files are read this many bytes at a time.
CHUNK = 1 << 20
# The largest .xlsx grid (rows × columns) calamine reads whole: some 40 MB.
# A larger sheet is read a row at a time by openpyxl, about ten times slower.
CALAMINE_CELLS = 1_000_000
# workbook.xml and its relationships: small files, parsed whole, never with entities.
_SMALL_XML = etree.XMLParser(resolve_entities=False, no_network=True)


class SpreadsheetError(ValueError):
    """The file cannot be read as a spreadsheet at all."""


class Rows:
    """A sheet's rows as lists of cell values, made one at a time as they are
    iterated. `total` is how many rows the sheet has: exact for Excel, the
    number of line breaks for CSV (more where a quoted cell holds one)."""

    def __init__(self, rows: Iterator[list[Any]], total: int) -> None:
        self._rows = rows
        self._total = total

    @property
    def total(self) -> int:
        return self._total

    def refuse_beyond(self, max_rows: int) -> None:
        """Have a sheet of more than `max_rows` rows refused before it is read
        (a CSV file is read as it goes: its reader stops at the cap)."""

    def __iter__(self) -> Iterator[list[Any]]:
        return self._rows


class _ExcelRows(Rows):
    """An Excel sheet, opened when its rows or their number are first asked
    for, so that a row cap given meanwhile is checked before anything is read.

    An .xlsx sheet is first measured by streaming its XML (rows and columns,
    stopping past the cap). A sheet of at most CALAMINE_CELLS cells is then
    read by calamine, which builds the whole grid (fast, and small at that
    size); a larger one by openpyxl in read-only mode, which parses the XML a
    row at a time, so that memory stays the same whatever the file's length."""

    def __init__(self, source: str | Path | IO[bytes], suffix: str) -> None:
        self._source = source
        self._suffix = suffix
        self._max_rows: int | None = None
        self._opened: tuple[Iterator[list[Any]], int] | None = None

    def refuse_beyond(self, max_rows: int) -> None:
        self._max_rows = max_rows

    @property
    def total(self) -> int:
        return self._open()[1]

    def __iter__(self) -> Iterator[list[Any]]:
        return self._open()[0]

    def _open(self) -> tuple[Iterator[list[Any]], int]:
        if self._opened is None:
            try:
                self._opened = self._read()
            except SpreadsheetError:
                raise
            except Exception as exc:  # zipfile, lxml and calamine raise their own errors
                raise SpreadsheetError(
                    _("not a readable %(suffix)s file: %(error)s")
                    % {"suffix": self._suffix, "error": exc}
                ) from exc
        return self._opened

    def _read(self) -> tuple[Iterator[list[Any]], int]:
        if self._suffix == ".xlsx":
            limit = self._max_rows
            rows, columns = _with_handle(self._source, lambda handle: _xlsx_extent(handle, limit))
            if self._max_rows is not None and rows > self._max_rows:
                raise SpreadsheetError(too_many_rows(self._max_rows))
            if rows * columns > CALAMINE_CELLS:
                return _openpyxl_rows(self._source), rows
        return _calamine_rows(self._source)


def too_many_rows(limit: int) -> str:
    """The refusal of a file longer than an import reads."""
    return _(
        "the file has more than %(limit)d rows: split it into files of at most %(limit)d rows"
    ) % {"limit": limit}


def stream_rows(source: str | Path | IO[bytes], name: str | None = None) -> Rows:
    """The first sheet of an .xlsx, .xls or .csv file, read a row at a time.

    A CSV file is read as it is iterated: a file handle must stay open (and
    seekable) until then. An Excel file is opened when its rows are first
    asked for (see `_ExcelRows`): the sheet is never a list of lists in Python."""
    name = name or str(source)
    suffix = Path(name).suffix.lower()
    if suffix not in EXTENSIONS:
        raise SpreadsheetError(
            _("unsupported file type %(suffix)s; use .xlsx, .xls or .csv")
            % {"suffix": suffix or _("(none)")}
        )
    if suffix == ".csv":
        return _csv_rows(source)
    return _ExcelRows(source, suffix)


def _with_handle(source: str | Path | IO[bytes], read: Callable[[IO[bytes]], T]) -> T:
    """`read` a file given by path or by (seekable) handle, the handle rewound after."""
    if isinstance(source, (str, Path)):
        with Path(source).open("rb") as handle:
            return read(handle)
    try:
        return read(source)
    finally:
        source.seek(0)


def _calamine_rows(source: str | Path | IO[bytes]) -> tuple[Iterator[list[Any]], int]:
    if isinstance(source, (str, Path)):
        book = CalamineWorkbook.from_path(str(source))
    else:
        book = CalamineWorkbook.from_filelike(source)  # type: ignore[arg-type]
    sheet = book.get_sheet_by_index(0)
    start, end = sheet.start, sheet.end
    if start is None or end is None:
        return iter(()), 0
    # iter_rows leaves out the empty columns left of the data (but not the
    # empty rows above it): put them back, so that columns keep their places.
    padding = [""] * start[1]
    return ([*padding, *row] for row in sheet.iter_rows()), end[0] + 1


def _openpyxl_rows(source: str | Path | IO[bytes]) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    book = load_workbook(source, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        # The <dimension> an exporter writes may be wrong: read the rows as they are.
        sheet.reset_dimensions()  # type: ignore[union-attr]
        for row in sheet.iter_rows(values_only=True):
            yield ["" if value is None else value for value in row]
    finally:
        book.close()


def _xlsx_extent(handle: IO[bytes], stop_past: int | None) -> tuple[int, int]:
    """The rows and columns of an .xlsx file's first sheet, as calamine would
    make its grid, read from the sheet's XML a row at a time (stopping as soon
    as there are more than `stop_past` rows)."""
    with zipfile.ZipFile(handle) as book:
        with book.open(_first_sheet(book)) as xml:
            rows = columns = 0
            for _event, row in etree.iterparse(
                xml, events=("end",), tag="{*}row", resolve_entities=False, no_network=True
            ):
                number = row.get("r")
                rows = int(number) if number else rows + 1
                if len(row):
                    last = row[-1].get("r")
                    columns = max(columns, _column_number(last) if last else len(row))
                if stop_past is not None and rows > stop_past:
                    break
                # Keep nothing of the rows read: the tree stays one row deep.
                row.clear()
                while row.getprevious() is not None:
                    del row.getparent()[0]
    return rows, columns


def _first_sheet(book: zipfile.ZipFile) -> str:
    """The path in the package of the workbook's first sheet."""
    workbook = etree.fromstring(book.read("xl/workbook.xml"), _SMALL_XML)
    sheet = workbook.find("{*}sheets/{*}sheet")
    rels = etree.fromstring(book.read("xl/_rels/workbook.xml.rels"), _SMALL_XML)
    if sheet is not None:
        rel_id = next((value for key, value in sheet.attrib.items() if key.endswith("}id")), None)
        for rel in rels:
            if rel.get("Id") == rel_id:
                target = rel.get("Target", "")
                return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return "xl/worksheets/sheet1.xml"


def _column_number(ref: str) -> int:
    """1 for "A7", 28 for "AB7"."""
    number = 0
    for char in ref:
        if not char.isalpha():
            break
        number = number * 26 + ord(char.upper()) - 64
    return number


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
