"""Every spreadsheet import refuses a file longer than it reads, before reading
it: an .xlsx sheet is measured from its XML as a stream, and a large one is
read a row at a time, so that a worker's memory does not grow with the file."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from typing import Any
from unittest import mock

from django.test import TestCase, override_settings
from django.utils import translation

from shouwang.careers.employer_import import EmployerImporter
from shouwang.core.attendance_files import MAX_ROWS as ATTENDANCE_MAX_ROWS
from shouwang.core.attendance_files import AttendanceFile
from shouwang.core.importing import Importer
from shouwang.lib import spreadsheets
from shouwang.lib.spreadsheets import SpreadsheetError, stream_rows, write_csv, write_xlsx
from shouwang.people.platform_accounts import AccountsImporter
from shouwang.people.roster import RosterImporter, check_roster
from shouwang.people.tests.roster_files import HEADER as ROSTER_HEADER
from shouwang.teaching.imports import EnrolmentImporter, TimetableImporter
from shouwang.teaching.models import Term
from shouwang.workplan.imports import OutlineImporter
from shouwang.workplan.models import Plan

PACKAGE = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'data.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="名单" sheetId="1" r:id="rId7"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/data.xml"/></Relationships>'
    ),
}


def sheet_xml(rows: list[list[str]], tail: str = "</sheetData></worksheet>") -> bytes:
    """An .xlsx package whose one sheet holds `rows` as inline text, followed by `tail`."""
    cells = "".join(
        f'<row r="{number}">'
        + "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in row)
        + "</row>"
        for number, row in enumerate(rows, start=1)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in PACKAGE.items():
            book.writestr(name, text)
        book.writestr(
            "xl/worksheets/data.xml",
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{cells}{tail}",
        )
    return out.getvalue()


def importers() -> list[tuple[str, Importer[Any]]]:
    """One of every import's checker (none reads the database before its first row)."""
    return [
        ("roster", RosterImporter()),
        ("platform accounts", AccountsImporter()),
        ("timetable", TimetableImporter(Term())),
        ("enrolment", EnrolmentImporter(Term(), [])),
        ("work plan outline", OutlineImporter(Plan())),
        ("employers", EmployerImporter()),
        ("attendance export", AttendanceFile()),
    ]


class RowCapTestCase(TestCase):
    def setUp(self) -> None:
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    @override_settings(IMPORT_MAX_ROWS=100)
    def test_every_import_refuses_a_file_past_its_row_cap_before_reading_it(self) -> None:
        for kind, importer in importers():
            limit = importer.max_rows or 100
            header = importer.columns.export_headers
            # The cap's worth of rows, one more, and then no valid XML at all:
            # the file is refused for its length, so nothing past the cap was parsed.
            rows = [header] + [[f"{n}"] * len(header) for n in range(limit)]
            data = sheet_xml(rows, tail="<row r='x'><<< not xml")
            with self.subTest(kind, format="xlsx"):
                with self.assertRaisesMessage(
                    SpreadsheetError,
                    f"the file has more than {limit} rows: split it into files of at most "
                    f"{limit} rows",
                ):
                    importer.check(stream_rows(io.BytesIO(data), "big.xlsx"))
            with self.subTest(kind, format="csv"):
                csv = write_csv(header, rows[1:] + [["1"] * len(header)] * 10)
                with self.assertRaisesMessage(SpreadsheetError, f"more than {limit} rows"):
                    importer.check(stream_rows(io.BytesIO(csv), "big.csv"))

    def test_the_attendance_exports_cap_is_its_own(self) -> None:
        self.assertEqual(AttendanceFile().max_rows, ATTENDANCE_MAX_ROWS)

    @override_settings(IMPORT_MAX_ROWS=100)
    def test_a_file_at_the_cap_is_read(self) -> None:
        header = RosterImporter.columns.export_headers
        rows = [header] + [
            [f"2024{n:04d}", f"学生{n}", "学生"] + [""] * (len(header) - 3) for n in range(99)
        ]
        check = check_roster(stream_rows(io.BytesIO(sheet_xml(rows)), "roster.xlsx"))
        self.assertEqual(check.total, 99)

    def test_the_refusal_is_in_chinese(self) -> None:
        data = sheet_xml([["学号", "姓名"]] + [["1", "张三"]] * 20)
        with override_settings(IMPORT_MAX_ROWS=10), translation.override("zh-hans"):
            with self.assertRaisesMessage(SpreadsheetError, "10 行"):
                check_roster(stream_rows(io.BytesIO(data), "roster.xlsx"))


class LargeSheetTestCase(TestCase):
    def test_a_sheet_too_large_for_calamine_reads_the_same_row_by_row(self) -> None:
        # Numbers as text and as floats, a date-like grade, a bad phone, blanks.
        rows = [
            [
                f"2024{n:04d}" if n % 2 else float(f"2024{n:04d}"),
                f"学生{n}",
                "学生",
                "男" if n % 3 else "女",
                "138001380" if n % 40 == 7 else f"1380013{n:04d}",
                "团员",
                "",
                2024.0 if n % 2 else "2024级",
                "",
                "",
                f"计科24{n % 3:02d}",
            ]
            for n in range(120)
        ]
        data = write_xlsx(ROSTER_HEADER, rows)
        whole = check_roster(stream_rows(io.BytesIO(data), "roster.xlsx"))
        with mock.patch.object(spreadsheets, "CALAMINE_CELLS", 0):
            streamed = check_roster(stream_rows(io.BytesIO(data), "roster.xlsx"))
        self.assertEqual(streamed.total, 120)
        self.assertEqual(streamed.rows, whole.rows)
        self.assertEqual(streamed.errors, whole.errors)

    def test_a_tiny_file_spanning_the_whole_sheet_is_refused_without_memory(self) -> None:
        # A header, and one cell at the sheet's last row and column: a grid of
        # 17 billion cells if it were built. The refusal must cost (almost) nothing.
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as book:
            for name, text in PACKAGE.items():
                book.writestr(name, text)
            book.writestr(
                "xl/worksheets/data.xml",
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>学号</t></is></c>'
                '<c r="B1" t="inlineStr"><is><t>姓名</t></is></c></row>'
                '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>',
            )
        data = out.getvalue()
        script = (
            "import io, resource, sys, django; django.setup()\n"
            "from shouwang.lib.spreadsheets import SpreadsheetError, stream_rows\n"
            "from shouwang.people.roster import check_roster\n"
            "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "try:\n"
            "    check_roster(stream_rows(io.BytesIO(sys.stdin.buffer.read()), 'r.xlsx'))\n"
            "except SpreadsheetError as error:\n"
            "    print('refused:', error)\n"
            "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "print('grew', (after - before) // 1024)\n"
        )
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-c", script],
            input=data,
            capture_output=True,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "shouwang.settings", "LANGUAGE": "en"},
            timeout=120,
            check=False,
        )
        out_text = done.stdout.decode()
        self.assertIn("refused:", out_text, done.stderr.decode()[-2000:])
        self.assertIn("100000", out_text)
        grew = int(out_text.rsplit("grew", 1)[1])
        self.assertLess(grew, 50)  # MB
