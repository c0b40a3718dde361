from django.urls import reverse

from shouwang.teaching import attendance
from shouwang.teaching.models import Attendance, AttendanceImport, Lesson

from .attendance_base import AttendanceTestCase


class AttendanceUploadTestCase(AttendanceTestCase):
    def test_the_teacher_sees_who_was_found_and_the_rows_nobody_was_found_for(self):
        self.login(self.teacher_user)
        response = self.upload()
        item = self.last_import()
        self.assertRedirects(response, reverse("teaching:attendance_import", args=[item.pk]))
        page = self.client.get(response.url)
        self.assertContains(page, "88 min")  # 张三, joined twice: 48 + 40
        self.assertContains(page, "85 min")  # 李四
        self.assertContains(page, "计科2001 王同学")
        self.assertContains(page, "李明老师")
        self.assertContains(page, "Record this attendance")
        self.assertEqual(item.status, AttendanceImport.Status.CHECKED)
        # Nothing is written before the teacher records it.
        self.assertFalse(Attendance.objects.exists())

    def test_the_upload_page_names_the_columns_it_reads(self):
        self.login(self.teacher_user)
        url = reverse("teaching:attendance_upload", args=[self.lesson.pk])
        response = self.client.get(url)
        for header in ("用户昵称", "参会时长", "签到状态", "学号"):
            self.assertContains(response, header)

    def test_a_file_that_is_no_attendance_export_says_why(self):
        self.login(self.teacher_user)
        response = self.upload(rows=[["课程", "教师"], ["数据库原理", "李明"]], name="课表.xlsx")
        page = self.client.get(response.url)
        self.assertContains(page, "This is not an attendance export")
        self.assertNotContains(page, "Record this attendance")

    def test_a_file_of_another_type_is_refused(self):
        self.login(self.teacher_user)
        response = self.upload(name="attendance.pdf", data=b"%PDF-1.4")
        self.assertContains(response, "Upload an .xlsx, .xls or .csv file.")
        self.assertFalse(AttendanceImport.objects.exists())

    def test_a_student_of_the_class_may_not_upload(self):
        self.login(self.student)
        self.assertEqual(self.upload().status_code, 403)

    def test_a_teacher_of_another_class_finds_no_such_lesson(self):
        self.login(self.counsellor_a_user)
        self.assertEqual(self.upload().status_code, 404)


class AttendanceCommitTestCase(AttendanceTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.teacher_user)
        self.upload()
        self.item = self.last_import()

    def commit(self):
        return self.client.post(reverse("teaching:attendance_import_commit", args=[self.item.pk]))

    def test_recording_marks_every_student_and_the_lesson_held(self):
        self.commit()
        marks = dict(
            Attendance.objects.filter(lesson=self.lesson).values_list("student_id", "status")
        )
        # 88 and 85 minutes of a 100-minute lesson: present.
        self.assertEqual(marks, {self.student_a.pk: "present", self.student_b.pk: "present"})
        row = Attendance.objects.get(lesson=self.lesson, student=self.student_a)
        self.assertEqual((row.minutes, row.source), (88, "imported"))
        self.lesson.refresh_from_db()
        self.assertEqual(self.lesson.status, Lesson.Status.HELD)

    def test_recording_twice_records_once(self):
        self.commit()
        response = self.client.get(self.commit().url)
        self.assertContains(response, "This import is not waiting to be committed.")
        self.assertEqual(Attendance.objects.filter(lesson=self.lesson).count(), 2)

    def test_a_student_not_in_the_file_is_absent(self):
        self.upload(rows=[["用户昵称", "参会时长"], ["2020001张三", "100分钟"]])
        self.item = self.last_import()
        self.commit()
        self.assertEqual(
            Attendance.objects.get(lesson=self.lesson, student=self.student_b).status, "absent"
        )


class ResolveTestCase(AttendanceTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.teacher_user)
        self.upload(rows=[["用户昵称", "参会时长"], ["2020001张三", "100分钟"], ["小李", "90分钟"]])
        self.item = self.last_import()
        self.client.post(reverse("teaching:attendance_import_commit", args=[self.item.pk]))

    def resolve(self, row=3, student=None):
        return self.client.post(
            reverse("teaching:attendance_resolve", args=[self.item.pk]),
            {"row": row, "student": (student or self.student_b).pk},
        )

    def test_the_teacher_says_whose_a_row_is_and_that_student_is_present(self):
        page = self.client.get(self.resolve().url)
        self.assertContains(page, "李四 is marked present.")
        row = Attendance.objects.get(lesson=self.lesson, student=self.student_b)
        self.assertEqual((row.status, row.minutes), ("present", 90))
        self.item.refresh_from_db()
        self.assertEqual(self.item.unmatched, [])
        self.assertNotContains(page, 'data-testid="unmatched-row"')
        # Both students are now found: 张三 by the file, 李四 by hand.
        self.assertContains(page, 'data-found="1"', count=2)
        self.assertNotContains(page, "not in the file")

    def test_a_row_resolved_already_is_not_resolved_twice(self):
        self.resolve()
        page = self.client.get(self.resolve(student=self.student_a).url)
        self.assertContains(page, "This row is resolved already.")
        self.assertEqual(
            Attendance.objects.get(lesson=self.lesson, student=self.student_a).minutes, 100
        )

    def test_only_the_class_students_may_be_chosen(self):
        self.resolve(student=self.volunteer_person)
        self.assertFalse(
            Attendance.objects.filter(lesson=self.lesson, student=self.volunteer_person).exists()
        )
        self.item.refresh_from_db()
        self.assertEqual(len(self.item.unmatched), 1)


class ThresholdTestCase(AttendanceTestCase):
    def test_a_share_of_the_lesson_decides_present_late_or_absent(self):
        length = attendance.lesson_minutes(self.lesson)
        self.assertEqual(attendance.status_for(length, "present", length), "present")
        self.assertEqual(attendance.status_for(int(length * 0.6), "present", length), "late")
        self.assertEqual(attendance.status_for(5, "present", length), "absent")
        # A sign-in counts no minutes: its state says.
        self.assertEqual(attendance.status_for(None, "late", length), "late")
        self.assertEqual(attendance.status_for(None, "leave", length), "excused")


class LeaveTestCase(AttendanceTestCase):
    def test_a_student_on_leave_and_not_in_the_file_stays_on_leave(self):
        Attendance.objects.create(
            lesson=self.lesson, student=self.student_b, status="excused", source="marked"
        )
        self.login(self.teacher_user)
        self.upload(rows=[["用户昵称", "参会时长"], ["2020001张三", "100分钟"]])
        page = self.client.get(reverse("teaching:attendance_import", args=[self.last_import().pk]))
        self.assertContains(page, "on leave")
        self.client.post(reverse("teaching:attendance_import_commit", args=[self.last_import().pk]))
        self.assertEqual(
            Attendance.objects.get(lesson=self.lesson, student=self.student_b).status, "excused"
        )
