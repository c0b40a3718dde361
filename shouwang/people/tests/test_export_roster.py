"""export_roster writes the import format: export then import changes nothing."""

from __future__ import annotations

import io

from django.core.management import CommandError, call_command

from shouwang.people.models import DormRoom, Person
from shouwang.people.roster import EXPORT_HEADERS

from .roster_files import RosterTestCase, snapshot, xlsx_cells


class ExportRosterCommandTestCase(RosterTestCase):
    def export(self, name: str):
        path = self.tmp / name
        call_command("export_roster", str(path), stdout=io.StringIO())
        return path

    def import_(self, path) -> list[str]:
        out = io.StringIO()
        call_command("import_roster", str(path), "--commit", stdout=out)
        return out.getvalue().splitlines()

    def test_it_writes_one_row_a_person_under_the_canonical_header(self):
        cells = xlsx_cells(self.export("roster.xlsx").read_bytes())
        self.assertEqual(list(cells[0]), EXPORT_HEADERS)
        self.assertEqual(len(cells), 1 + Person.objects.count())
        zhang = next(row for row in cells if row[0] == "2020001")
        self.assertEqual(zhang[:5], ["2020001", "张三", "学生", None, "13912345678"])
        self.assertEqual(zhang[10:13], ["计科2001", "T1001", "B-312"])

    def test_an_exported_xlsx_imports_back_with_no_change(self):
        DormRoom.objects.create(building="", number="101")
        Person.objects.filter(number="2021001").update(
            gender="F",
            graduating=True,
            status=Person.Status.AWAY,
            political_status=Person.PoliticalStatus.PROBATIONARY,
            dorm_room=DormRoom.objects.get(number="101"),
        )
        before = snapshot()
        lines = self.import_(self.export("roster.xlsx"))
        # A room without a building is read back as it is stored, and said so.
        self.assertEqual(
            lines[:2],
            [
                "warning: Dormitory rooms not understood as building, floor and room, "
                "stored as given: row 3 “101”",
                f"valid: {len(before)}, invalid: 0",
            ],
        )
        self.assertIn("created 0, updated 0", lines[-1])
        self.assertEqual(snapshot(), before)

    def test_an_exported_csv_imports_back_with_no_change(self):
        before = snapshot()
        path = self.export("roster.csv")
        self.assertTrue(path.read_bytes().startswith("\ufeff学号/工号".encode()))
        lines = self.import_(path)
        self.assertIn("created 0, updated 0", lines[-1])
        self.assertEqual(snapshot(), before)

    def test_it_escapes_cells_that_look_like_formulas_and_imports_them_back_unchanged(self):
        Person.objects.filter(number="2020001").update(name="=1+1", programme="+8613800000000")
        Person.objects.filter(number="2021001").update(name="@SUM(A1:A9)", programme="-2+3")
        before = snapshot()
        path = self.export("roster.xlsx")
        cells = {row[0]: row for row in xlsx_cells(path.read_bytes())}
        self.assertEqual((cells["2020001"][1], cells["2020001"][8]), ("'=1+1", "'+8613800000000"))
        self.assertEqual((cells["2021001"][1], cells["2021001"][8]), ("'@SUM(A1:A9)", "'-2+3"))

        lines = self.import_(path)
        self.assertIn("created 0, updated 0", lines[-1])
        self.assertEqual(snapshot(), before)

    def test_it_refuses_other_formats(self):
        with self.assertRaisesMessage(CommandError, "export to .xlsx or .csv"):
            self.export("roster.ods")
