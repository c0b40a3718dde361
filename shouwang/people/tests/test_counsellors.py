"""Only teachers and staff counsel a class; a student only when an admin has
marked them an assistant counsellor (兼职辅导员), which is audited. A student
named as a counsellor would otherwise get a counsellor's powers over the class."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from shouwang.accounts.models import Role
from shouwang.core.models import LogEntry
from shouwang.people.actions import set_assistant_counsellor, set_class_counsellor
from shouwang.people.models import AdminClass, Person

from .roster_files import RosterTestCase


class RosterCounsellorTestCase(RosterTestCase):
    def run_command(self, rows, *args) -> list[str]:
        out = io.StringIO()
        call_command("import_roster", str(self.write_xlsx(rows)), *args, stdout=out)
        return [line for line in out.getvalue().splitlines() if not line.startswith("warning:")]

    def test_a_students_number_as_counsellor_is_a_bad_row(self):
        lines = self.run_command(
            [
                ["学号", "姓名", "班级", "辅导员工号"],
                ["2024001", "欧阳娜娜", "计科2001", "2021001"],
            ],
            "--commit",
        )
        self.assertEqual(
            lines[0],
            "row 2: counsellor: 2021001 is a student: only a teacher or staff member counsels "
            "a class (a student only when an admin has marked them an assistant counsellor, "
            "兼职辅导员)",
        )
        self.class_a.refresh_from_db()
        self.assertEqual(self.class_a.counsellor, self.counsellor_a)
        self.assertFalse(Person.objects.filter(number="2024001").exists())

    def test_a_student_listed_in_the_same_file_cannot_counsel_either(self):
        lines = self.run_command(
            [
                ["学号", "姓名", "类别", "班级", "辅导员工号"],
                ["2024001", "欧阳娜娜", "学生", "会计2401", "2024002"],
                ["2024002", "李雷", "学生", "", ""],
            ]
        )
        self.assertIn("row 2: counsellor: 2024002 is a student", lines[0])

    def test_a_teacher_made_a_student_by_the_file_cannot_counsel(self):
        lines = self.run_command(
            [
                ["学号", "姓名", "类别", "班级", "辅导员工号"],
                ["2024001", "欧阳娜娜", "学生", "会计2401", "T1002"],
                ["T1002", "钱老师", "学生", "", ""],
            ]
        )
        self.assertIn("row 2: counsellor: T1002 is a student", lines[0])

    def test_a_marked_assistant_counsellor_may_counsel(self):
        set_assistant_counsellor(self.student_b, True, acting_user=self.admin)
        lines = self.run_command(
            [
                ["学号", "姓名", "班级", "辅导员工号"],
                ["2024001", "欧阳娜娜", "会计2401", "2021001"],
            ],
            "--commit",
        )
        self.assertEqual(lines[0], "valid: 1, invalid: 0")
        self.assertEqual(AdminClass.objects.get(name="会计2401").counsellor, self.student_b)


class CounsellorActionsTestCase(RosterTestCase):
    def test_setting_a_student_as_counsellor_is_refused(self):
        with self.assertRaises(ValidationError):
            set_class_counsellor(self.class_a, self.student_b, acting_user=self.admin)
        self.class_a.refresh_from_db()
        self.assertEqual(self.class_a.counsellor, self.counsellor_a)

    def test_setting_a_teacher_as_counsellor_is_audited(self):
        set_class_counsellor(self.class_a, self.counsellor_b, acting_user=self.admin)
        self.class_a.refresh_from_db()
        self.assertEqual(self.class_a.counsellor, self.counsellor_b)
        entry = LogEntry.objects.get(kind="people.counsellor_set")
        self.assertEqual((entry.actor, entry.additional_data["counsellor"]), (self.admin, "T1002"))

    def test_a_teacher_is_not_marked_an_assistant_counsellor(self):
        with self.assertRaises(ValidationError):
            set_assistant_counsellor(self.counsellor_a, True, acting_user=self.admin)

    def test_a_student_counselling_a_class_without_the_mark_gets_no_counsellor_powers(self):
        # As an import before this rule could have left it.
        AdminClass.objects.filter(pk=self.class_a.pk).update(counsellor=self.student_b)
        self.student_b_user.refresh_from_db()
        self.assertFalse(self.student_b_user.has_role(Role.COUNSELLOR))
        self.login(self.student_b_user)
        url = reverse("people:person_detail", args=[self.student_a.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

        set_assistant_counsellor(self.student_b, True, acting_user=self.admin)
        user = type(self.student_b_user).objects.get(pk=self.student_b_user.pk)
        self.assertTrue(user.has_role(Role.COUNSELLOR))
        self.assertEqual(self.client.get(url).status_code, 200)


class CounsellorAdminTestCase(RosterTestCase):
    def setUp(self):
        super().setUp()
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def change_class(self, counsellor: Person):
        url = reverse("admin:people_adminclass_change", args=[self.class_a.pk])
        return self.client.post(
            url,
            {
                "name": self.class_a.name,
                "grade": self.class_a.grade,
                "programme": self.class_a.programme,
                "degree_level": self.class_a.degree_level,
                "unit": self.college.pk,
                "counsellor": counsellor.pk,
            },
        )

    def test_the_admin_refuses_a_student_as_a_classs_counsellor(self):
        self.login(self.admin)
        response = self.change_class(self.student_b)
        self.assertContains(response, "is a student: only a teacher or staff member")
        self.class_a.refresh_from_db()
        self.assertEqual(self.class_a.counsellor, self.counsellor_a)

    def test_the_admin_accepts_a_teacher(self):
        self.login(self.admin)
        self.assertEqual(self.change_class(self.counsellor_b).status_code, 302)
        self.class_a.refresh_from_db()
        self.assertEqual(self.class_a.counsellor, self.counsellor_b)

    def test_an_admin_marks_and_unmarks_an_assistant_counsellor_with_an_audit_row(self):
        self.login(self.admin)
        changelist = reverse("admin:people_person_changelist")
        self.client.post(
            changelist,
            {"action": "mark_assistant_counsellor", "_selected_action": [self.student_b.pk]},
        )
        self.student_b.refresh_from_db()
        self.assertTrue(self.student_b.assistant_counsellor)
        entry = LogEntry.objects.get(kind="people.assistant_counsellor_marked")
        self.assertEqual((entry.actor, entry.object_pk), (self.admin, str(self.student_b.pk)))

        self.assertEqual(self.change_class(self.student_b).status_code, 302)
        self.client.post(
            changelist,
            {"action": "unmark_assistant_counsellor", "_selected_action": [self.student_b.pk]},
        )
        self.student_b.refresh_from_db()
        self.class_a.refresh_from_db()
        self.assertFalse(self.student_b.assistant_counsellor)
        # Unmarked, they counsel no class any more.
        self.assertIsNone(self.class_a.counsellor)
        entry = LogEntry.objects.get(kind="people.assistant_counsellor_unmarked")
        self.assertEqual(entry.additional_data["classes_released"], 1)

    def test_the_mark_cannot_be_set_by_editing_the_person(self):
        self.login(self.admin)
        response = self.client.get(reverse("admin:people_person_change", args=[self.student_b.pk]))
        self.assertNotContains(response, 'name="assistant_counsellor"')

    def test_the_admin_refuses_to_make_a_counsellor_a_student(self):
        self.login(self.admin)
        url = reverse("admin:people_person_change", args=[self.counsellor_a.pk])
        response = self.client.get(url)
        data = {
            field.name: field.value() if field.value() is not None else ""
            for field in response.context["adminform"].form
        }
        data["kind"] = "student"
        response = self.client.post(url, data)
        self.assertContains(response, "counsels a class: give the class another counsellor first")
        self.counsellor_a.refresh_from_db()
        self.assertEqual(self.counsellor_a.kind, "teacher")
