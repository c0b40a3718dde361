"""One pipeline for every spreadsheet import: check, preview, commit as a job.

An import declares its `Columns` (each with the headers it is known by, in
Chinese and English, the one an export writes first) and an `Importer` whose
`parse_row` turns one row's cleaned cells into a value, row errors and row
warnings. `Importer.check` streams the file (no list of every row is ever
made), finds the header in the first rows, stops with a clear error past the
row cap, reports progress, and returns a `Check`: the valid values, every
row error, and the warnings the importer draws in `finish` from what the rows
had to assume. Nothing is written by a check.

The app's record of an upload extends `ImportRecord`: it keeps the check for
the preview page (counts, warnings, the first row errors), and moves from
checked to committing to committed through background jobs
(`shouwang.core.jobs`) whose progress the page shows. CONTRIBUTING.md has the
recipe; `shouwang.people.roster` is the example.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.lib.spreadsheets import (
    Rows,
    SpreadsheetError,
    stream_rows,
    too_many_rows,
    unescape_formula,
)
from shouwang.lib.text import clean

from .jobs import start_job
from .models import BackgroundJob
from .uploads import uploaded_by_field

T = TypeVar("T")
Progress = Callable[[int, int], None]

# The header is looked for in the first rows only; beyond that it is not the file expected.
HEADER_SEARCH_ROWS = 10
# Progress is reported every this many rows.
PROGRESS_EVERY = 1000
# Rows quoted by number in a warning, at most.
WARNING_ROWS = 10
# Row errors shown on a preview page; the rest are counted.
PREVIEW_ERRORS = 500

# Header cells are compared without spaces, required-field stars and notes in
# brackets: "* 手机号码（必填）" is "手机号码".
_HEADER_NOISE = re.compile(r"\s|\*|\(.*?\)|\[.*?\]|【.*?】")
# Some exports wrap a cell as ="2021001" so that Excel keeps it as text.
_EXCEL_TEXT = re.compile(r'^="(.*)"$', re.DOTALL)
# 2022-06-30, 2022/6/30, 2022.6.30, 2022年6月30日 (an Excel date reads "2022-06-30 00:00:00").
_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+00:00(?::00)?)?$"
)
# Lines below the table: "合计：300人", "制表人：张老师   审核人：李老师", "注：…".
FOOTER_START = (
    "合计",
    "总计",
    "共计",
    "小计",
    "制表",
    "填表",
    "审核",
    "备注",
    "注:",
    "说明",
    "打印",
    "导出",
)


def header_key(cell: Any) -> str:
    """A header cell as it is compared: cleaned, lower case, without noise."""
    return _HEADER_NOISE.sub("", clean(cell)).lower()


def cell_text(cells: Sequence[Any], col: int) -> str:
    """One cell as clean text: "" past the row's end, export escapes undone."""
    value = unescape_formula(cells[col]) if col < len(cells) else ""
    if isinstance(value, str) and value.startswith("="):
        match = _EXCEL_TEXT.match(value)
        if match:
            value = match.group(1)
    return clean(value)


def is_blank_or_footer(cells: Sequence[Any]) -> bool:
    """Is a row blank (one filled cell at most), or a line such as "合计：300人"
    or "制表人：张老师" below the table?"""
    filled = [text for text in map(clean, cells) if text]
    return len(filled) <= 1 or filled[0].startswith(FOOTER_START)


def parse_date(text: str) -> dt.date | None:
    """A date as offices write it in a cell, or None if it is not one."""
    match = _DATE.match(text)
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


@dataclass(frozen=True)
class Column:
    """One column an import reads: its field, the label the pages show, and
    the headers it goes by (the one an export writes first)."""

    key: str
    label: str | Promise
    headers: tuple[str, ...]


class Columns:
    """The columns of one import, found in a file by their headers."""

    def __init__(self, *columns: Column, required: Iterable[str], no_header: str | Promise) -> None:
        self.by_key = {column.key: column for column in columns}
        self.required = frozenset(required)
        # The error of a file whose first rows hold no header with the required columns.
        self.no_header = no_header
        self.order = {key: index for index, key in enumerate(self.by_key)}
        self._lookup = {
            header_key(name): column.key for column in columns for name in column.headers
        }

    @property
    def keys(self) -> list[str]:
        return list(self.by_key)

    @property
    def export_headers(self) -> list[str]:
        return [column.headers[0] for column in self.by_key.values()]

    def label(self, key: str) -> str:
        column = self.by_key.get(key)
        return str(column.label) if column else key

    def help(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """Every column: its label, its canonical header, and the other headers
        read as the same column (the field's own name left out)."""
        return [
            (str(column.label), column.headers[0], tuple(n for n in column.headers[1:] if n != key))
            for key, column in self.by_key.items()
        ]

    def read_header(self, row_number: int, cells: Sequence[Any]) -> Header | None:
        """The header this row is, if it names every required column."""
        columns: dict[int, str] = {}
        for col, cell in enumerate(cells):
            key = self._lookup.get(header_key(cell))
            if key and key not in columns.values():
                columns[col] = key
        if not self.required <= set(columns.values()):
            return None
        texts = {key: header_key(cell_text(cells, col)) for col, key in columns.items()}
        return Header(row_number, columns, texts)


@dataclass
class Header:
    row: int  # the spreadsheet's row number, title rows counted
    columns: dict[int, str]  # column index -> field
    texts: dict[str, str]  # field -> its header as compared (header_key)


@dataclass
class RowError:
    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.field}: {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "reason": self.reason}


@dataclass
class RowWarning:
    """Something one row's parsing had to assume (`code` says what), with the
    row quoted as `text` where a warning lists the rows."""

    row: int
    code: str
    text: str = ""


@dataclass
class Tally:
    """The row warnings of one code: how many, and the first few."""

    count: int = 0
    first: list[RowWarning] = field(default_factory=list)

    def add(self, warning: RowWarning) -> None:
        self.count += 1
        if len(self.first) < WARNING_ROWS:
            self.first.append(warning)

    def quoted(self) -> str:
        """The first rows' texts, and how many more there are."""
        shown = "; ".join(warning.text for warning in self.first)
        more = self.count - len(self.first)
        if more > 0:
            shown += " " + _("and %(count)d more") % {"count": more}
        return shown


@dataclass
class CheckWarning:
    """Something the check assumed, or could not decide (`blocking`: the file
    cannot be committed until a default is chosen). `values` names what it is
    about, such as the units that do not exist."""

    code: str
    message: str
    blocking: bool = False
    values: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"warning: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "blocking": self.blocking,
            "values": self.values,
        }


@dataclass
class ParsedRow(Generic[T]):
    """What `Importer.parse_row` makes of one row: its value if it is valid."""

    value: T | None = None
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowWarning] = field(default_factory=list)


@dataclass
class Check(Generic[T]):
    """A file checked: the valid rows' values, every row error, the warnings."""

    rows: list[T] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[CheckWarning] = field(default_factory=list)
    total: int = 0  # rows of data, blank and footer lines left out
    tallies: dict[str, Tally] = field(default_factory=dict)

    @property
    def invalid_count(self) -> int:
        return len({error.row for error in self.errors})

    @property
    def blocked(self) -> bool:
        return any(warning.blocking for warning in self.warnings)

    def tally(self, code: str) -> Tally:
        return self.tallies.get(code) or Tally()

    def summary_line(self) -> str:
        return f"valid: {len(self.rows)}, invalid: {self.invalid_count}"


class Importer(Generic[T]):
    """How one kind of file is checked. A subclass sets `columns` and writes
    `parse_row`; it may override `new_check`, `begin`, `skip_row` and `finish`."""

    columns: Columns
    # None: settings.IMPORT_MAX_ROWS.
    max_rows: int | None = None

    def check(self, rows: Iterable[Sequence[Any]], progress: Progress | None = None) -> Check[T]:
        """Validate every row, reading them one at a time; nothing is written."""
        limit = self.max_rows or settings.IMPORT_MAX_ROWS
        if isinstance(rows, Rows):
            rows.refuse_beyond(limit)  # an .xlsx sheet is measured before it is read
        numbered = enumerate(rows, start=1)
        header = self._find_header(numbered)
        sheet_rows = len(rows) if isinstance(rows, Sized) else getattr(rows, "total", None)
        body = sheet_rows - header.row if sheet_rows is not None else 0
        check = self.new_check()
        self.begin(check, header)
        keys = self.columns.keys
        columns = list(header.columns.items())
        done = 0
        for row_number, cells in numbered:
            if row_number > limit:
                raise SpreadsheetError(too_many_rows(limit))
            done += 1
            if progress and done % PROGRESS_EVERY == 0:
                progress(done, max(body, done))
            values = dict.fromkeys(keys, "")
            values.update((key, cell_text(cells, col)) for col, key in columns)
            if self.skip_row(values, cells):
                continue
            check.total += 1
            parsed = self.parse_row(row_number, values)
            if parsed.errors:
                check.errors.extend(parsed.errors)
            elif parsed.value is not None:
                check.rows.append(parsed.value)
            for warning in parsed.warnings:
                check.tallies.setdefault(warning.code, Tally()).add(warning)
        self.finish(check)
        order = self.columns.order
        check.errors.sort(key=lambda error: (error.row, order.get(error.field, 0)))
        if progress:
            progress(done, done)
        return check

    def _find_header(self, numbered: Iterator[tuple[int, Sequence[Any]]]) -> Header:
        for row_number, cells in numbered:
            header = self.columns.read_header(row_number, cells)
            if header is not None:
                return header
            if row_number >= HEADER_SEARCH_ROWS:
                break
        raise SpreadsheetError(str(self.columns.no_header))

    def new_check(self) -> Check[T]:
        return Check()

    def begin(self, check: Check[T], header: Header) -> None:
        """Called once the header is found, before the first row."""

    def skip_row(self, values: dict[str, str], cells: Sequence[Any]) -> bool:
        """Whether a row is no row of data: blank, or a line below the table."""
        return not all(values[key] for key in self.columns.required) and is_blank_or_footer(cells)

    def parse_row(self, row_number: int, values: dict[str, str]) -> ParsedRow[T]:
        """One row's cleaned cells (every column's key, "" where the file has
        none) made a value, with its errors and warnings."""
        raise NotImplementedError

    def finish(self, check: Check[T]) -> None:
        """Called after the last row: checks across rows, and the warnings."""


class ImportRecord(models.Model):
    """One file brought in to be imported: its check (counts, row errors and
    warnings, kept for the preview page), and what committing it changed.

    Each import's model extends it (people.RosterImport) with the choices its
    preview offers. Checking and committing run as background jobs, whose
    subject the record is: `start_check`, `check_again`, `start_commit`."""

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("waiting to be checked")
        CHECKING = "checking", gettext_lazy("checking")
        CHECKED = "checked", gettext_lazy("checked")
        COMMITTING = "committing", gettext_lazy("committing")
        COMMITTED = "committed", gettext_lazy("committed")
        FAILED = "failed", gettext_lazy("failed")

    RUNNING = (Status.PENDING, Status.CHECKING, Status.COMMITTING)

    file = models.FileField(gettext_lazy("file"), upload_to="imports/%Y/%m/", blank=True)
    filename = models.CharField(gettext_lazy("file name"), max_length=255)
    uploaded_by = uploaded_by_field()
    created_at = models.DateTimeField(gettext_lazy("uploaded at"), auto_now_add=True)
    status = models.CharField(
        gettext_lazy("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    total_rows = models.PositiveIntegerField(gettext_lazy("rows"), default=0)
    valid_rows = models.PositiveIntegerField(gettext_lazy("valid rows"), default=0)
    invalid_rows = models.PositiveIntegerField(gettext_lazy("invalid rows"), default=0)
    # [{"row": 7, "field": "mobile", "reason": "..."}]; kept with the import so
    # the preview can be reopened.
    errors = models.JSONField(gettext_lazy("errors"), default=list)
    # [{"code": "no_kind_column", "message": "...", "blocking": true, ...}]:
    # what the check assumed or could not decide; a blocking one stops the commit.
    warnings = models.JSONField(gettext_lazy("warnings"), default=list)
    # What committing changed: {"created": n, "updated": n, ...}.
    summary = models.JSONField(gettext_lazy("summary"), default=dict)
    failure = models.TextField(gettext_lazy("failure"), blank=True)
    committed_at = models.DateTimeField(gettext_lazy("committed at"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.filename

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def is_blocked(self) -> bool:
        """Whether a warning must be resolved (a default chosen) before committing."""
        return any(warning.get("blocking") for warning in self.warnings)

    @property
    def job(self) -> BackgroundJob | None:
        """The latest job that checked or committed the file."""
        return BackgroundJob.objects.of(self).first()

    def start_check(self, task: Any, *, started_by: Any) -> None:
        """Have `task` check the (new) file in the background."""
        start_job(task, subject=self, started_by=started_by)

    def check_again(self, task: Any, *, started_by: Any) -> bool:
        """Check a checked file again (after a default was chosen); False if it
        is not waiting to be committed."""
        if not self._move(self.Status.CHECKED, self.Status.PENDING):
            return False
        start_job(task, subject=self, started_by=started_by)
        return True

    def start_commit(self, task: Any, *, started_by: Any) -> bool:
        """Have `task` commit a checked file; False if it is not waiting to be
        committed (a double click or a second tab commits it once)."""
        if not self._move(self.Status.CHECKED, self.Status.COMMITTING):
            return False
        if self.failure:
            type(self)._default_manager.filter(pk=self.pk).update(failure="")
            self.failure = ""
        start_job(task, subject=self, started_by=started_by)
        return True

    def _move(self, old: str, new: str) -> bool:
        moved = bool(type(self)._default_manager.filter(pk=self.pk, status=old).update(status=new))
        if moved:
            self.status = new
        return moved

    @contextmanager
    def rows(self) -> Iterator[Rows]:
        """The uploaded file's rows, read one at a time while the block runs."""
        with self.file.open("rb") as handle:
            yield stream_rows(handle, self.filename)

    def store_check(self, check: Check[Any]) -> list[str]:
        """Put a check's counts, errors and warnings on the record; returns the
        fields to save."""
        self.total_rows = check.total
        self.valid_rows = len(check.rows)
        self.invalid_rows = check.invalid_count
        self.errors = [error.as_dict() for error in check.errors]
        self.warnings = [warning.as_dict() for warning in check.warnings]
        return ["total_rows", "valid_rows", "invalid_rows", "errors", "warnings"]

    def record_check(self, check: Check[Any]) -> None:
        """Keep a check as the preview to commit from."""
        fields = self.store_check(check)
        self.status = self.Status.CHECKED
        self.save(update_fields=[*fields, "status"])

    def job_failed(self, job: BackgroundJob) -> None:
        """A check or commit failed, or its worker died: say why, unless the
        file has moved on meanwhile."""
        if (
            type(self)
            ._default_manager.filter(pk=self.pk, status__in=self.RUNNING)
            .update(status=self.Status.FAILED, failure=job.message)
        ):
            self.status, self.failure = self.Status.FAILED, job.message

    def job_abandoned(self, job: BackgroundJob) -> None:
        """A job's worker died, and the job was not resumed. Each commit is
        one transaction, so a commit's died with nothing written: the file is
        checked again, its commit offered again with what happened; a check
        fails as any check does."""
        if (
            type(self)
            ._default_manager.filter(pk=self.pk, status=self.Status.COMMITTING)
            .update(status=self.Status.CHECKED, failure=job.message)
        ):
            self.status, self.failure = self.Status.CHECKED, job.message
        else:
            self.job_failed(job)

    def error_preview(self, columns: Columns) -> tuple[list[dict[str, Any]], int]:
        """The first row errors with their columns' labels, and how many more there are."""
        shown = [
            {**error, "label": columns.label(error["field"])}
            for error in self.errors[:PREVIEW_ERRORS]
        ]
        return shown, max(0, len(self.errors) - PREVIEW_ERRORS)
