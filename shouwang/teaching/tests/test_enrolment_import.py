"""Importing the enrolment list (教学班 + 学号): check, preview, commit, again."""

from __future__ import annotations

from django.urls import reverse

from shouwang.people.models import Person
from shouwang.teaching import actions
from shouwang.teaching.actions import ClassRow, SlotRow
from shouwang.teaching.imports import check_enrolment
from shouwang.teaching.models import Enrolment, EnrolmentImport, TeachingClass
from shouwang.test import make_person

from .imports import ENROLMENT_HEADER, ImportTestCase, xlsx


class EnrolmentTestCase(ImportTestCase):
    accounting: TeachingClass
    student_d: Person

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.create_other_college()
        actions.save_teaching_classes(
            cls.term,
            [
                ClassRow(
                    code="会计学原理-02",
                    course_code="B0309999",
                    course_name="会计学原理",
                    unit_id=cls.college_b.pk,
                    teacher_ids=[cls.counsellor_c.pk],
                    slots=[SlotRow(3, 5, 6, tuple(range(1, 17)), "1-16周")],
                )
            ],
            acting_user=None,
        )
        cls.accounting = TeachingClass.objects.get(code="会计学原理-02")
        cls.student_d = make_person("2021003", "孙七", unit=cls.college)

    def rows(self):
        return [
            ["数据库原理-01", self.student_a.number, "张三"],  # enrolled already
            ["数据库原理-01", self.student_d.number, "孙七"],
            ["会计学原理-02", self.student_c.number, "郑六"],
            ["会计学原理-02", self.student_d.number, ""],
        ]

    def bad_rows(self):
        return [
            ["数据库原理-01", "2099999", "无名"],
            ["不存在-01", self.student_a.number, "张三"],
            ["数据库原理-01", self.counsellor_a.number, "赵璞"],
            ["", "", "只有姓名"],
            ["数据库原理-01", "", "没有学号"],
        ]

    def check(self, rows, classes=None):
        return check_enrolment([ENROLMENT_HEADER, *rows], self.term, classes=classes)


class CheckTestCase(EnrolmentTestCase):
    def test_good_rows_are_pairs_of_class_and_student(self):
        check = self.check(self.rows())
        self.assertEqual(check.errors, [])
        self.assertEqual(
            check.rows,
            [
                ("数据库原理-01", self.student_a.pk),
                ("数据库原理-01", self.student_d.pk),
                ("会计学原理-02", self.student_c.pk),
                ("会计学原理-02", self.student_d.pk),
            ],
        )

    def test_unknown_numbers_classes_and_non_students_are_bad_rows(self):
        check = self.check(self.bad_rows())
        self.assertEqual(
            [(e.row, e.field, e.reason) for e in check.errors],
            [
                (2, "number", "no person with number 2099999"),
                (3, "code", "no teaching class 不存在-01 in term 2021-2022-2"),
                (4, "number", f"{self.counsellor_a.number} is not a student"),
                (6, "number", "missing"),
            ],
        )
        # A row with only a name is no row of data.
        self.assertEqual((check.total, check.rows), (4, []))

    def test_a_class_of_another_term_is_unknown(self):
        check = self.check(self.rows(), classes=["数据库原理-01"])
        self.assertEqual([(e.row, e.field) for e in check.errors], [(4, "code"), (5, "code")])

    def test_a_student_listed_twice_for_a_class_is_read_once_with_a_warning(self):
        check = self.check(self.rows() + self.rows()[:1])
        self.assertEqual(len(check.rows), 4)
        self.assertEqual(check.errors, [])
        (warning,) = check.warnings
        self.assertEqual(warning.code, "duplicate")
        self.assertIn("rows 6", warning.message)

    def test_checking_asks_the_database_once_whatever_the_rows(self):
        with self.assertNumQueries(2):  # the classes, and every person's number
            self.check(self.rows())
        with self.assertNumQueries(2):
            self.check(self.rows() * 500)


class EnrolmentImportPageTestCase(EnrolmentTestCase):
    url = reverse("teaching:enrolment_import")

    def detail(self, item):
        return reverse("teaching:enrolment_import_detail", args=[item.pk])

    def test_an_upload_is_previewed_with_its_errors_and_nothing_written(self):
        self.login(self.admin)
        response = self.upload("enrolment", xlsx(ENROLMENT_HEADER, self.rows() + self.bad_rows()))
        item = EnrolmentImport.objects.get()
        self.assertRedirects(response, self.detail(item))
        self.assertEqual((item.total_rows, item.valid_rows, item.invalid_rows), (8, 4, 4))
        response = self.client.get(self.detail(item))
        self.assertContains(
            response,
            "<td>6</td><td>student number</td><td>no person with number 2099999</td>",
            html=True,
        )
        self.assertContains(response, "Commit 4 valid rows")
        self.assertFalse(Enrolment.objects.filter(student=self.student_d).exists())

    def test_committing_enrols_the_students_and_again_changes_nothing(self):
        self.login(self.admin)
        data = xlsx(ENROLMENT_HEADER, self.rows() + self.bad_rows())
        self.upload("enrolment", data)
        item = EnrolmentImport.objects.get()
        self.commit("enrolment", item)
        item.refresh_from_db()
        self.assertEqual((item.status, item.summary), ("committed", {"created": 3, "unchanged": 1}))
        self.assertEqual(set(self.accounting.students.all()), {self.student_c, self.student_d})
        self.assertIn(self.student_d, self.database_class.students.all())
        response = self.client.get(self.detail(item))
        self.assertContains(response, "Committed: 3 enrolments created, 1 already there.")

        enrolments = list(Enrolment.objects.order_by("pk").values())
        self.upload("enrolment", data)
        again = EnrolmentImport.objects.latest("pk")
        self.commit("enrolment", again)
        again.refresh_from_db()
        self.assertEqual(again.summary, {"created": 0, "unchanged": 4})
        self.assertEqual(list(Enrolment.objects.order_by("pk").values()), enrolments)

    def test_a_leader_enrols_in_the_classes_of_their_own_college_only(self):
        self.login(self.leader)
        self.upload("enrolment", xlsx(ENROLMENT_HEADER, self.rows()))
        item = EnrolmentImport.objects.get()
        self.assertEqual((item.valid_rows, item.invalid_rows), (2, 2))
        self.commit("enrolment", item)
        self.assertFalse(self.accounting.students.exists())

    def test_committing_twice_commits_once(self):
        self.login(self.admin)
        self.upload("enrolment", xlsx(ENROLMENT_HEADER, self.rows()))
        item = EnrolmentImport.objects.get()
        self.commit("enrolment", item)
        response = self.client.post(
            reverse("teaching:enrolment_import_commit", args=[item.pk]), follow=True
        )
        self.assertContains(response, "This import is not waiting to be committed.")

    def test_only_those_who_oversee_teaching_open_the_pages(self):
        self.login(self.student)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.login(self.leader)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)
