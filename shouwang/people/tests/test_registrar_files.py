"""The registrar's two files of a college's first day: a staff list without 类别
and a student list without 单位, with dorms written as 3号楼445. The import
says what it assumes, takes the operator's defaults and creates missing units."""

from __future__ import annotations

import io

from django.core.management import CommandError, call_command
from django.urls import reverse

from shouwang.core.models import LogEntry
from shouwang.people.management.commands.import_roster import Command
from shouwang.people.models import AdminClass, DormRoom, Person, RosterImport, Unit

from .roster_files import RosterTestCase
from .test_roster_views import RosterViewTestCase

# 71 staff in the real file; three make the point.
STAFF = [
    ["会计学院教职工名单"],
    ["工号", "姓名", "单位", "手机"],
    ["K1001", "刘会计", "会计学院", "13800001001"],
    ["K1002", "陈老师", "会计学院", "13800001002"],
    ["K1003", "杨主任", "财务处", "13800001003"],
]
# 1,234 students in the real file: no 单位, dorms as 3号楼445.
STUDENTS = [
    ["学号", "姓名", "班级", "辅导员工号", "宿舍"],
    ["2024101", "欧阳娜娜", "会计2401", "K1001", "3号楼445"],
    ["2024102", "李雷", "会计2401", "", "3-445"],
    ["2024103", "韩梅梅", "会计2402", "K1002", "3栋4层412"],
    ["2024104", "王芳", "会计2402", "", "西苑3号楼212室"],
    ["2024105", "赵敏", "会计2402", "", "B-312"],
    ["2024106", "钱多", "会计2402", "", "东区"],
]


class ImportRosterWarningsTestCase(RosterTestCase):
    def run_command(self, rows, *args) -> list[str]:
        out = io.StringIO()
        call_command("import_roster", str(self.write_xlsx(rows)), *args, stdout=out)
        return out.getvalue().splitlines()

    def test_a_staff_file_without_a_category_is_not_committed_as_students(self):
        lines = self.run_command(STAFF)
        warnings = [line for line in lines if line.startswith("warning:")]
        self.assertIn(
            "warning: The file has no category column (类别). 3 new people state no category, "
            "and nothing in the file shows whether they are students, teachers or staff: "
            "choose a category before committing.",
            warnings,
        )
        self.assertIn(
            "warning: These units do not exist, so their rows are invalid: "
            "会计学院 (2)、财务处 (1). Create them, or correct the file.",
            warnings,
        )
        with self.assertRaisesMessage(CommandError, "give --category"):
            self.run_command(STAFF, "--commit", "--create-units")
        self.assertFalse(Person.objects.filter(number__startswith="K").exists())

    def test_the_staff_file_commits_with_a_category_and_its_units_created(self):
        lines = self.run_command(
            STAFF, "--commit", "--category", "staff", "--create-units", "--parent", "山西财经大学"
        )
        self.assertIn(
            "warning: These units do not exist and will be created under 山西财经大学: "
            "会计学院 (2)、财务处 (1)",
            lines,
        )
        self.assertIn("warning: Rows that state no category (类别) are taken as: staff.", lines)
        self.assertEqual(lines[-2], "valid: 3, invalid: 0")
        self.assertIn("created 3", lines[-1])
        self.assertIn("units created 2", lines[-1])
        accounting = Unit.objects.get(name="会计学院")
        finance = Unit.objects.get(name="财务处")
        self.assertEqual((accounting.parent, accounting.kind), (self.university, "college"))
        self.assertEqual((finance.parent, finance.kind), (self.university, "office"))
        self.assertEqual(
            set(Person.objects.filter(number__startswith="K").values_list("kind", "unit__name")),
            {("staff", "会计学院"), ("staff", "财务处")},
        )
        self.assertEqual(LogEntry.objects.filter(kind="people.unit_created").count(), 2)

    def test_a_student_file_without_a_unit_warns_and_takes_the_default_unit(self):
        self.run_command(STAFF, "--commit", "--category", "teacher", "--create-units")
        dry = self.run_command(STUDENTS)
        self.assertIn(
            "warning: The file has no category column (类别). 6 new people state no category: "
            "they are taken as students because the file has a class column (班级). If they are "
            "teachers or staff, choose a category.",
            dry,
        )
        self.assertTrue(
            any(line.startswith("warning: The file has no unit column") for line in dry)
        )
        self.assertIn(
            "warning: Dormitory rooms not understood as building, floor and room, stored as "
            "given: row 7 “东区”",
            dry,
        )
        self.assertTrue(any("Columns the file does not have: 性别、手机" in line for line in dry))

        lines = self.run_command(STUDENTS, "--commit", "--unit", "会计学院")
        self.assertIn("warning: Rows without a unit are put in 会计学院.", lines)
        self.assertIn("created 6", lines[-1])
        accounting = Unit.objects.get(name="会计学院")
        students = Person.objects.filter(number__startswith="2024")
        self.assertEqual(set(students.values_list("kind", "unit")), {("student", accounting.pk)})
        # The classes take the unit too.
        self.assertEqual(
            set(AdminClass.objects.filter(name__startswith="会计").values_list("unit", flat=True)),
            {accounting.pk},
        )
        rooms = {
            number: (
                building,
                floor,
                room,
                str(DormRoom(building=building, number=room, floor=floor)),
            )
            for number, building, floor, room in students.values_list(
                "number", "dorm_room__building", "dorm_room__floor", "dorm_room__number"
            )
        }
        self.assertEqual(rooms["2024101"], ("3号楼", 4, "445", "3号楼-445"))
        # 3号楼445 and 3-445 are the same room.
        self.assertEqual(
            Person.objects.get(number="2024102").dorm_room_id,
            Person.objects.get(number="2024101").dorm_room_id,
        )
        self.assertEqual(rooms["2024103"], ("3号楼", 4, "412", "3号楼-412"))
        self.assertEqual(rooms["2024104"], ("西苑3号楼", 2, "212", "西苑3号楼-212"))
        self.assertEqual(rooms["2024105"], ("B", 3, "312", "B-312"))
        self.assertEqual(rooms["2024106"], ("", None, "东区", "东区"))

    def test_an_unknown_default_unit_is_refused(self):
        with self.assertRaisesMessage(CommandError, "no unit named 外星学院"):
            self.run_command(STUDENTS, "--unit", "外星学院")

    def test_help_lists_every_column_with_its_synonyms(self):
        text = Command().create_parser("manage.py", "import_roster").format_help()
        for option in ("--unit NAME", "--category", "--create-units", "--parent NAME"):
            self.assertIn(option, text)
        self.assertIn("学号/工号", text)
        self.assertIn("宿舍号、寝室、寝室号", text)
        self.assertIn("辅导员工号", text)


class RosterPreviewWarningsTestCase(RosterViewTestCase):
    def test_the_preview_warns_and_lists_the_columns(self):
        self.login(self.leader)
        self.upload(rows=STAFF)
        item = RosterImport.objects.get()
        self.assertTrue(item.is_blocked)
        self.assertEqual(item.missing_units, ["会计学院", "财务处"])
        response = self.client.get(self.detail_url(item))
        self.assertContains(response, "nothing in the file shows whether they are students")
        self.assertContains(response, 'data-testid="blocked"')
        self.assertNotContains(response, "valid row")
        self.assertContains(response, "会计学院、财务处")
        self.assertContains(response, "Create these 2 units and check again")
        self.assertContains(response, "<td>宿舍</td>", html=True)
        # Committing anyway is refused.
        self.commit(item)
        item.refresh_from_db()
        self.assertEqual(item.status, "checked")
        self.assertFalse(Person.objects.filter(number__startswith="K").exists())

    def test_units_created_and_a_category_chosen_on_the_preview_make_it_committable(self):
        self.login(self.leader)
        self.upload(rows=STAFF)
        item = RosterImport.objects.get()
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("people:roster_import_create_units", args=[item.pk]),
                {"parent": self.university.pk},
            )
        self.assertEqual(Unit.objects.get(name="会计学院").parent, self.university)
        item.refresh_from_db()
        self.assertEqual((item.status, item.missing_units, item.valid_rows), ("checked", [], 3))
        self.assertTrue(item.is_blocked)

        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("people:roster_import_defaults", args=[item.pk]),
                {"unit": "", "kind": "staff"},
            )
        item.refresh_from_db()
        self.assertFalse(item.is_blocked)
        self.assertContains(self.client.get(self.detail_url(item)), "Commit 3 valid rows")
        self.commit(item)
        self.assertEqual(
            set(Person.objects.filter(number__startswith="K").values_list("kind", flat=True)),
            {"staff"},
        )
        self.assertTrue(LogEntry.objects.filter(kind="people.roster_defaults_chosen").exists())

    def test_a_default_unit_chosen_on_the_preview_reaches_the_students(self):
        self.login(self.admin)
        self.upload(rows=STUDENTS[:1] + [["2024201", "新同学", "计科2001", "", "3号楼445"]])
        item = RosterImport.objects.get()
        codes = [warning["code"] for warning in item.warnings]
        self.assertIn("no_unit_column", codes)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("people:roster_import_defaults", args=[item.pk]),
                {"unit": self.college.pk, "kind": ""},
            )
        self.commit(item)
        person = Person.objects.get(number="2024201")
        self.assertEqual((person.unit, person.kind), (self.college, "student"))
        self.assertEqual(str(person.dorm_room), "3号楼-445")
        self.assertEqual(DormRoom.objects.get(residents=person).floor, 4)

    def test_an_outsider_cannot_set_defaults(self):
        item = RosterImport.objects.create(filename="x.xlsx", uploaded_by=self.admin)
        self.login(self.leader)  # a leader sees only their own imports
        response = self.client.post(
            reverse("people:roster_import_defaults", args=[item.pk]), {"kind": "staff"}
        )
        self.assertEqual(response.status_code, 404)
