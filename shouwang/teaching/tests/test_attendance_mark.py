from django.urls import reverse
from freezegun import freeze_time

from shouwang.lib.clock import beijing
from shouwang.teaching.models import Attendance, Lesson

from .attendance_base import AttendanceTestCase


class AttendanceMarkTestCase(AttendanceTestCase):
    def url(self):
        return reverse("teaching:attendance_mark", args=[self.lesson.pk])

    def test_every_enrolled_student_has_the_four_choices(self):
        self.login(self.teacher_user)
        response = self.client.get(self.url())
        self.assertContains(response, 'data-testid="mark-row"', count=2)
        for label in ("present", "late", "absent", "on leave"):
            self.assertContains(response, f">{label}</label>", count=2)

    def test_the_teacher_marks_the_list_and_sees_it_saved(self):
        self.login(self.teacher_user)
        data = {
            f"student_{self.student_a.pk}": "late",
            f"student_{self.student_b.pk}": "excused",
        }
        response = self.client.post(self.url(), data, follow=True)
        self.assertContains(response, "Attendance saved.")
        marks = dict(
            Attendance.objects.filter(lesson=self.lesson).values_list("student_id", "status")
        )
        self.assertEqual(marks, {self.student_a.pk: "late", self.student_b.pk: "excused"})
        self.assertEqual(set(Attendance.objects.values_list("source", flat=True)), {"marked"})
        # The saved marks are what the list shows next time.
        page = response.content.decode()
        self.assertRegex(page, r'value="late"[^>]* checked>')
        self.assertRegex(page, r'value="excused"[^>]* checked>')

    def test_a_list_with_a_student_left_unmarked_is_not_saved(self):
        self.login(self.teacher_user)
        response = self.client.post(self.url(), {f"student_{self.student_a.pk}": "late"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Attendance.objects.exists())

    def test_a_cancelled_lesson_takes_no_attendance(self):
        Lesson.objects.filter(pk=self.lesson.pk).update(status=Lesson.Status.CANCELLED)
        self.login(self.teacher_user)
        data = {f"student_{s.pk}": "present" for s in (self.student_a, self.student_b)}
        response = self.client.post(self.url(), data)
        self.assertContains(response, "A cancelled lesson has no attendance.")
        self.assertFalse(Attendance.objects.exists())

    def test_the_students_of_the_class_may_not_mark(self):
        self.login(self.student)
        self.assertEqual(self.client.get(self.url()).status_code, 403)

    def test_a_leader_of_the_college_may_mark(self):
        self.login(self.leader)
        self.assertEqual(self.client.get(self.url()).status_code, 200)


class TodayLinksTestCase(AttendanceTestCase):
    def test_the_teacher_takes_attendance_from_today_and_the_students_do_not(self):
        self.login(self.teacher_user)
        with freeze_time(beijing(2022, 4, 12, 9)):
            response = self.client.get(reverse("teaching:today"))
        self.assertContains(response, reverse("teaching:attendance_mark", args=[self.lesson.pk]))
        self.assertContains(response, reverse("teaching:attendance_upload", args=[self.lesson.pk]))
        self.login(self.student)
        with freeze_time(beijing(2022, 4, 12, 9)):
            response = self.client.get(reverse("teaching:today"))
        self.assertContains(response, "数据库原理")
        self.assertNotContains(response, 'data-testid="take-attendance"')
