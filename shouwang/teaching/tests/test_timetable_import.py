"""Importing the academic-affairs system's timetable: check, preview, commit, again."""

from __future__ import annotations

from django.urls import reverse

from shouwang.core.models import LogEntry
from shouwang.lib.spreadsheets import SpreadsheetError
from shouwang.people.models import Person
from shouwang.teaching.audit import TeachingEvent
from shouwang.teaching.imports import check_timetable, class_rows
from shouwang.teaching.models import Lesson, Slot, TeachingClass, TimetableImport

from .imports import TIMETABLE_HEADER, ImportTestCase, xlsx


class TimetableTestCase(ImportTestCase):
    teacher_person: Person

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.create_other_college()

    def good_rows(self):
        teacher, other = self.teacher_person.number, self.counsellor_c.number
        tuesday, monday = "星期二第3-4节{1-16周}", "星期一第1-2节{1-16周}"
        return [
            # As the class was saved before: unchanged.
            ["B0101234", "数据库原理", "数据库原理-01", teacher, tuesday, "A-201", "信息学院", 32],
            # Two rows, one per slot; no unit, no hours.
            ["B0205678", "操作系统", "操作系统-01", f"{teacher}、{other}", monday, "B-105", "", ""],
            ["B0205678", "操作系统", "操作系统-01", teacher, "星期四第3-4节{1-8周(单)}", "B-105"],
            ["B0309999", "会计学原理", "会计学原理-02", other, "星期三第5-6节{1-16周}", "C-301",
             "会计学院", "32"],
        ]  # fmt: skip

    def bad_rows(self):
        teacher = self.teacher_person.number
        return [
            ["X1", "数学", "数学-01", "T9999", "星期二第3-4节{1-16周}", "", "", ""],
            ["X2", "英语", "英语-01", teacher, "星期二第3-4节{1-16周}", "", "外星学院", ""],
            ["X3", "物理", "物理-01", teacher, "周二下午", "", "", ""],
            ["X4", "化学", "化学-01", teacher, "星期一第1-2节{1-16周}", "", "", ""],
            ["X4", "化学实验", "化学-01", teacher, "星期三第1-2节{1-16周}", "", "", ""],
            ["X5", "生物", "生物-01", teacher, "星期一第1-2节{1-16周}", "A", "", ""],
            ["X5", "生物", "生物-01", teacher, "星期一第1-2节{1-16周}", "B", "", ""],
            ["X6", "", "地理-01", teacher, "星期一第1-2节{1-16周}", "", "", "三十二"],
        ]

    def check(self, rows, units=None):
        return check_timetable([TIMETABLE_HEADER, *rows], self.term, units=units)


class CheckTestCase(TimetableTestCase):
    def test_rows_of_one_class_merge_into_one_class_with_its_slots(self):
        check = self.check(self.good_rows())
        self.assertEqual(check.errors, [])
        classes = {row.code: row for row in class_rows(check.rows)}
        self.assertEqual(list(classes), ["数据库原理-01", "操作系统-01", "会计学原理-02"])
        system = classes["操作系统-01"]
        self.assertEqual(
            [(s.weekday, s.first_period, s.last_period, s.weeks_text) for s in system.slots],
            [(1, 1, 2, "1-16周"), (4, 3, 4, "1-8周(单)")],
        )
        self.assertEqual(system.teacher_ids, [self.teacher_person.pk, self.counsellor_c.pk])
        # No unit stated: the first teacher's. No hours: 2 x 16 + 2 x 4.
        self.assertEqual((system.unit_id, system.planned_hours), (self.college.pk, 40))
        self.assertEqual(classes["会计学原理-02"].unit_id, self.college_b.pk)
        self.assertEqual(classes["会计学原理-02"].planned_hours, 32)

    def test_what_it_assumed_is_said_in_warnings(self):
        warnings = {w.code: w.message for w in self.check(self.good_rows()).warnings}
        self.assertEqual(set(warnings), {"unit_from_teacher", "hours_computed"})
        self.assertIn("2 rows name no offering unit", warnings["unit_from_teacher"])
        self.assertIn("row 3 (操作系统-01)", warnings["unit_from_teacher"])
        self.assertIn("1 teaching classes state no planned hours", warnings["hours_computed"])
        self.assertIn("操作系统-01", warnings["hours_computed"])

    def test_every_bad_row_says_why(self):
        check = self.check(self.bad_rows())
        self.assertEqual(
            [(e.row, e.field, e.reason) for e in check.errors],
            [
                (2, "teachers", "no teacher with number T9999"),
                (3, "unit", "no unit named 外星学院"),
                (4, "time", "“周二下午” is not a class time such as 星期二第3-4节{1-16周}"),
                # A class with a bad row is left out whole.
                (5, "code", "row 6 of this teaching class has errors"),
                (6, "course_name", "differs from row 5 of the same teaching class"),
                (7, "code", "row 8 of this teaching class has errors"),
                (8, "time", "row 7 puts another meeting of this class at the same time"),
                (9, "course_name", "missing"),
                (9, "hours", "“三十二” is not a number of hours"),
            ],
        )
        self.assertEqual((check.total, len(check.rows), check.invalid_count), (8, 0, 8))

    def test_teachers_numbers_are_separated_as_exports_write_them(self):
        pair = [self.teacher_person.pk, self.counsellor_c.pk]
        for separator in (",", "，", "、", " ", " , "):
            row = self.good_rows()[1]
            row[3] = separator.join([self.teacher_person.number, self.counsellor_c.number])
            with self.subTest(separator=separator):
                self.assertEqual(self.check([row]).rows[0].teacher_ids, pair)

    def test_a_row_listed_twice_is_one_slot(self):
        row = self.good_rows()[1]
        check = self.check([row, row])
        self.assertEqual(check.errors, [])
        self.assertEqual(len(class_rows(check.rows)[0].slots), 1)

    def test_weeks_after_the_term_are_a_warning(self):
        row = self.good_rows()[0]
        row[4] = "星期二第3-4节{1-20周}"
        warnings = {w.code: w.message for w in self.check([row]).warnings}
        self.assertIn("after the term's 18 weeks", warnings["weeks_past_term"])

    def test_a_class_of_a_unit_the_user_does_not_oversee_is_a_bad_row(self):
        check = self.check(self.good_rows(), units=frozenset({self.college.pk}))
        self.assertEqual(
            [(e.row, e.field) for e in check.errors],
            [(5, "unit")],
        )
        self.assertIn("not one whose teaching you oversee", check.errors[0].reason)

    def test_a_title_above_and_lines_below_the_table_are_no_rows(self):
        check = check_timetable(
            [
                ["山西财经大学2021-2022学年第二学期教学班课表"],
                TIMETABLE_HEADER,
                *self.good_rows(),
                [],
                ["合计：4条"],
                ["制表人：教务处", None, None, None, "打印日期：2022-02-20"],
            ],
            self.term,
        )
        self.assertEqual((check.total, len(check.rows), check.errors), (4, 4, []))

    def test_a_file_without_the_columns_is_refused(self):
        with self.assertRaisesMessage(SpreadsheetError, "no header row with 课程代码"):
            check_timetable([["学号", "姓名"], ["1", "2"]], self.term)

    def test_the_headers_go_by_other_names_too(self):
        header = [
            "课程号",
            "课程名",
            "教学班名称",
            "任课教师工号",
            "上课时间",
            "上课地点",
            "开课学院",
        ]
        check = check_timetable([header, self.good_rows()[0][:7]], self.term)
        self.assertEqual((check.errors, len(check.rows)), ([], 1))

    def test_checking_asks_the_database_the_same_whatever_the_rows(self):
        with self.assertNumQueries(2):
            self.check(self.good_rows())
        with self.assertNumQueries(2):
            self.check(self.good_rows() * 20)


class TimetableImportPageTestCase(TimetableTestCase):
    url = reverse("teaching:timetable_import")

    def test_the_page_offers_the_form_and_the_columns(self):
        self.login(self.leader)
        response = self.client.get(self.url)
        self.assertContains(response, 'type="file"')
        self.assertContains(response, "<td>上课时间</td>", html=True)
        self.assertContains(response, "2021-2022-2")

    def test_an_upload_is_checked_and_previewed_with_its_errors_and_nothing_written(self):
        self.login(self.admin)
        response = self.upload(
            "timetable", xlsx(TIMETABLE_HEADER, self.good_rows()[1:2] + self.bad_rows()[:1])
        )
        item = TimetableImport.objects.get()
        detail = reverse("teaching:timetable_import_detail", args=[item.pk])
        self.assertRedirects(response, detail)
        self.assertEqual(
            (item.status, item.term, item.uploaded_by), ("checked", self.term, self.admin)
        )
        response = self.client.get(detail)
        self.assertContains(
            response, '<div class="stat text-success" data-testid="valid">1</div>', html=True
        )
        self.assertContains(
            response,
            "<td>3</td><td>teacher numbers</td><td>no teacher with number T9999</td>",
            html=True,
        )
        self.assertContains(response, "name no offering unit")
        self.assertContains(response, "Commit 1 valid row")
        self.assertFalse(TeachingClass.objects.filter(code="操作系统-01").exists())

    def test_committing_saves_the_classes_and_lays_their_lessons(self):
        self.login(self.admin)
        self.upload("timetable", xlsx(TIMETABLE_HEADER, self.good_rows()))
        item = TimetableImport.objects.get()
        response = self.commit("timetable", item)
        self.assertRedirects(response, reverse("teaching:timetable_import_detail", args=[item.pk]))
        item.refresh_from_db()
        self.assertEqual(item.status, "committed")
        self.assertEqual(item.summary, {"created": 2, "updated": 0, "unchanged": 1})
        system = TeachingClass.objects.get(term=self.term, code="操作系统-01")
        self.assertEqual(
            (system.course_code, system.unit, system.planned_hours),
            ("B0205678", self.college, 40),
        )
        self.assertEqual(set(system.teachers.all()), {self.teacher_person, self.counsellor_c})
        self.assertEqual(system.slots.count(), 2)
        # 16 Mondays but 清明 (4月4日), and the Thursdays of weeks 1, 3, 5, 7.
        self.assertEqual(system.lessons.count(), 15 + 4)
        self.assertTrue(
            LogEntry.objects.filter(kind=TeachingEvent.TIMETABLE_COMMITTED.value).exists()
        )
        response = self.client.get(reverse("teaching:timetable_import_detail", args=[item.pk]))
        self.assertContains(
            response, "Committed: 2 teaching classes created, 0 updated, 1 unchanged."
        )

    def test_importing_the_same_file_again_changes_nothing(self):
        self.login(self.admin)
        data = xlsx(TIMETABLE_HEADER, self.good_rows())
        self.upload("timetable", data)
        self.commit("timetable", TimetableImport.objects.get())
        slots = list(Slot.objects.order_by("pk").values())
        lessons = list(Lesson.objects.order_by("pk").values())
        self.upload("timetable", data)
        again = TimetableImport.objects.latest("pk")
        self.commit("timetable", again)
        again.refresh_from_db()
        self.assertEqual(again.summary, {"created": 0, "updated": 0, "unchanged": 3})
        self.assertEqual(list(Slot.objects.order_by("pk").values()), slots)
        self.assertEqual(list(Lesson.objects.order_by("pk").values()), lessons)

    def test_a_changed_slot_updates_the_class_and_its_lessons_to_come(self):
        self.login(self.admin)
        rows = self.good_rows()[:1]
        rows[0][4] = "星期二第3-4节{1-8周}"
        self.upload("timetable", xlsx(TIMETABLE_HEADER, rows))
        item = TimetableImport.objects.get()
        self.commit("timetable", item)
        item.refresh_from_db()
        self.assertEqual(item.summary, {"created": 0, "updated": 1, "unchanged": 0})
        # The Tuesdays of weeks 1-8 but 清明 (4月5日).
        self.assertEqual(self.database_class.lessons.count(), 7)

    def test_a_leader_imports_the_classes_of_their_own_college_only(self):
        self.login(self.leader)
        self.upload("timetable", xlsx(TIMETABLE_HEADER, self.good_rows()))
        item = TimetableImport.objects.get()
        self.assertEqual((item.valid_rows, item.invalid_rows), (3, 1))
        self.commit("timetable", item)
        self.assertFalse(TeachingClass.objects.filter(code="会计学原理-02").exists())
        self.assertTrue(TeachingClass.objects.filter(code="操作系统-01").exists())

    def test_a_file_that_cannot_be_read_fails_with_the_reason(self):
        self.login(self.admin)
        self.upload("timetable", xlsx(["学号", "姓名"], [["1", "2"]]))
        item = TimetableImport.objects.get()
        self.assertEqual(item.status, "failed")
        response = self.client.get(reverse("teaching:timetable_import_detail", args=[item.pk]))
        self.assertContains(response, "no header row with 课程代码")

    def test_a_file_of_another_kind_is_refused_at_upload(self):
        self.login(self.admin)
        response = self.upload("timetable", b"x", name="timetable.pdf")
        self.assertContains(response, "Upload an .xlsx, .xls or .csv file.")
        self.assertFalse(TimetableImport.objects.exists())

    def test_nobody_else_opens_the_pages(self):
        self.login(self.admin)
        self.upload("timetable", xlsx(TIMETABLE_HEADER, self.good_rows()))
        item = TimetableImport.objects.get()
        for user in (self.student, self.counsellor_a_user):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(self.url).status_code, 403)
                detail = reverse("teaching:timetable_import_detail", args=[item.pk])
                self.assertEqual(self.client.get(detail).status_code, 403)
        # A leader sees their own imports, not an admin's.
        self.login(self.leader)
        detail = reverse("teaching:timetable_import_detail", args=[item.pk])
        self.assertEqual(self.client.get(detail).status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)
