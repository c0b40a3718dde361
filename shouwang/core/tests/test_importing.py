"""The import pipeline, with a small import of its own: items with a code,
a name and a quantity."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.test import SimpleTestCase, override_settings
from django.utils import translation
from openpyxl import Workbook

from shouwang.core.importing import (
    Check,
    CheckWarning,
    Column,
    Columns,
    Importer,
    ParsedRow,
    RowError,
    RowWarning,
)
from shouwang.lib.spreadsheets import SpreadsheetError, read_rows, stream_rows

COLUMNS = Columns(
    Column("code", "code", ("物资编号", "编号", "code")),
    Column("name", "name", ("物资名称", "名称", "name")),
    Column("quantity", "quantity", ("数量", "quantity")),
    required=("code", "name"),
    no_header="no header row with a code (编号) and a name (名称)",
)


@dataclass
class Item:
    row: int
    code: str
    name: str
    quantity: int


class ItemImporter(Importer[Item]):
    columns = COLUMNS

    def parse_row(self, row_number: int, values: dict[str, str]) -> ParsedRow[Item]:
        parsed: ParsedRow[Item] = ParsedRow()
        if not values["name"]:
            parsed.errors.append(RowError(row_number, "name", "missing"))
        quantity = values["quantity"]
        if not quantity:
            parsed.warnings.append(RowWarning(row_number, "no_quantity", f"row {row_number}"))
        elif not quantity.isdigit():
            parsed.errors.append(RowError(row_number, "quantity", "not a whole number"))
        if not parsed.errors:
            parsed.value = Item(row_number, values["code"], values["name"], int(quantity or 0))
        return parsed

    def finish(self, check: Check[Item]) -> None:
        tally = check.tally("no_quantity")
        if tally.count:
            message = f"{tally.count} rows state no quantity, taken as 0: {tally.quoted()}"
            check.warnings.append(CheckWarning("no_quantity", message))


def check(rows, progress=None) -> Check[Item]:
    return ItemImporter().check(rows, progress)


def xlsx(rows) -> io.BytesIO:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return data


class CheckTestCase(SimpleTestCase):
    def setUp(self):
        translation.activate("en")  # the messages' source strings
        self.addCleanup(translation.deactivate)

    def test_it_finds_the_header_by_any_of_its_names_below_a_title(self):
        headers = (
            ["编号", "名称", "数量"],
            ["code", "Name", "QUANTITY"],
            ["* 物资编号", "物资名称（必填）", "数量"],
        )
        for header in headers:
            with self.subTest(header=header):
                result = check([["2022年4月捐赠物资"], header, ["A01", "防护服", "100"]])
                self.assertEqual(result.rows, [Item(3, "A01", "防护服", 100)])

    def test_it_refuses_a_file_without_the_required_columns(self):
        with self.assertRaisesMessage(SpreadsheetError, "no header row with a code"):
            check([["编号", "数量"], ["A01", "100"]])

    def test_it_gives_the_valid_values_the_row_errors_and_the_warnings(self):
        result = check(
            [
                ["编号", "名称", "数量"],
                ["A01", "防护服", "100"],
                ["A02", "", "七百"],
                ["A03", "方便面", ""],
            ]
        )
        self.assertEqual(result.rows, [Item(2, "A01", "防护服", 100), Item(4, "A03", "方便面", 0)])
        self.assertEqual(
            [str(error) for error in result.errors],
            ["row 3: name: missing", "row 3: quantity: not a whole number"],
        )
        self.assertEqual(result.invalid_count, 1)
        self.assertEqual(
            [warning.message for warning in result.warnings],
            ["1 rows state no quantity, taken as 0: row 4"],
        )
        self.assertEqual(result.summary_line(), "valid: 2, invalid: 1")

    def test_it_skips_blank_rows_and_the_lines_below_the_table(self):
        result = check(
            [
                ["编号", "名称", "数量"],
                ["A01", "防护服", "100"],
                [None, None, None],
                ["合计", "", "100"],
                ["制表人：后勤处"],
            ]
        )
        self.assertEqual((result.total, len(result.rows), result.errors), (1, 1, []))

    def test_a_warning_quotes_its_first_rows_and_counts_the_rest(self):
        rows = [["编号", "名称", "数量"]] + [[f"A{i:02d}", "水果", ""] for i in range(15)]
        result = check(rows)
        self.assertEqual(
            result.warnings[0].message,
            "15 rows state no quantity, taken as 0: "
            + "; ".join(f"row {n}" for n in range(2, 12))
            + " and 5 more",
        )

    def test_it_reports_progress_against_the_rows_of_the_sheet(self):
        calls: list[tuple[int, int]] = []
        rows = [["编号", "名称", "数量"]] + [[f"A{i}", "水果", "1"] for i in range(2500)]
        check(stream_rows(xlsx(rows), "items.xlsx"), progress=lambda *call: calls.append(call))
        self.assertEqual(calls, [(1000, 2500), (2000, 2500), (2500, 2500)])


class StreamingTestCase(SimpleTestCase):
    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    @override_settings(IMPORT_MAX_ROWS=100)
    def test_it_reads_rows_one_at_a_time_and_stops_past_the_row_cap(self):
        pulled = 0

        def rows() -> Iterator[list[str]]:
            nonlocal pulled
            yield ["编号", "名称", "数量"]
            for number in range(1_000_000):
                pulled += 1
                yield [f"A{number}", "水果", "1"]

        with self.assertRaisesMessage(SpreadsheetError, "the file has more than 100 rows"):
            check(rows())
        self.assertEqual(pulled, 100)  # row 101 is the first past the cap: nothing more is read

    def test_a_csv_file_is_read_from_its_handle_as_it_goes(self):
        text = "物资清单\r\n编号,名称,数量\r\n" + "".join(f"A{i},水果,1\r\n" for i in range(3000))
        handle = io.BytesIO(text.encode("gb18030"))
        rows = stream_rows(handle, "items.csv")
        self.assertEqual(rows.total, 3002)
        first = next(iter(rows))
        self.assertEqual(first, ["物资清单"])
        self.assertLess(handle.tell(), len(handle.getvalue()))  # not all read yet
        self.assertEqual(len(check(rows).rows), 3000)

    def test_an_excel_sheet_keeps_its_rows_and_columns_where_they_are(self):
        # calamine's row iterator leaves out the empty columns left of the data:
        # a sheet that starts at C3 must still read as it does in full.
        book = Workbook()
        book.active["C3"], book.active["D3"] = "编号", "名称"
        book.active["C4"], book.active["D4"], book.active["F6"] = "A01", "防护服", "备注"
        data = io.BytesIO()
        book.save(data)
        rows = read_rows(io.BytesIO(data.getvalue()), "items.xlsx")
        self.assertEqual(rows[2], ["", "", "编号", "名称", "", ""])
        self.assertEqual(rows[3][2:4], ["A01", "防护服"])
        self.assertEqual(rows[5][5], "备注")
        self.assertEqual(check(rows).rows, [Item(4, "A01", "防护服", 0)])
        self.assertEqual(stream_rows(io.BytesIO(data.getvalue()), "items.xlsx").total, 6)
