import datetime as dt

from django.urls import reverse
from freezegun import freeze_time

from shouwang.teaching.models import Attendance, Lesson
from shouwang.teaching.queries import absent_twice
from shouwang.test import make_person

from .attendance_base import LESSON_DAY, AttendanceTestCase

MONDAY = dt.date(2022, 4, 11)


def absent(lesson, student, status="absent"):
    Attendance.objects.create(lesson=lesson, student=student, status=status, source="marked")


class AbsencesTestCase(AttendanceTestCase):
    thursday: Lesson

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # A make-up lesson on the Thursday of the same week.
        cls.thursday = Lesson.objects.create(
            teaching_class=cls.database_class,
            date=dt.date(2022, 4, 14),
            first_period=1,
            last_period=2,
        )
        absent(cls.lesson, cls.student_a)
        absent(cls.thursday, cls.student_a)
        # Once absent, once on leave: not listed.
        absent(cls.lesson, cls.student_b)
        absent(cls.thursday, cls.student_b, "excused")

    def test_a_student_absent_twice_in_the_week_is_listed_with_the_lessons(self):
        absentees = absent_twice([self.student_a.pk, self.student_b.pk], MONDAY)
        self.assertEqual([entry.student for entry in absentees], [self.student_a])
        self.assertEqual(absentees[0].lessons, [self.lesson, self.thursday])

    def test_the_week_before_lists_nobody(self):
        self.assertEqual(absent_twice([self.student_a.pk], MONDAY - dt.timedelta(days=7)), [])

    def test_it_is_one_query_however_many_students(self):
        for n in range(5):
            student = make_person(f"20229{n:02}", f"学生{n}", admin_class=self.class_a)
            absent(self.lesson, student)
            absent(self.thursday, student)
        students = self.class_a.students.all()
        with self.assertNumQueries(1):
            self.assertEqual(len(absent_twice(students, MONDAY)), 6)

    def test_the_counsellor_sees_their_own_class_students_only(self):
        self.login(self.counsellor_a_user)
        response = self.client.get(reverse("teaching:absences"), {"week": "2022-04-13"})
        self.assertContains(response, "张三")
        self.assertContains(response, "数据库原理", count=2)
        self.assertContains(response, 'href="?week=2022-04-04"')
        self.assertContains(response, "Week 7")
        absent(self.lesson, self.volunteer_person)
        absent(self.thursday, self.volunteer_person)
        self.login(self.counsellor_b_user)
        response = self.client.get(reverse("teaching:absences"), {"week": "2022-04-11"})
        self.assertContains(response, "王五")
        self.assertNotContains(response, "张三")

    @freeze_time(LESSON_DAY)
    def test_without_a_week_it_is_this_week(self):
        self.login(self.leader)
        response = self.client.get(reverse("teaching:absences"))
        self.assertContains(response, "张三")

    def test_the_page_costs_the_same_however_many_absentees(self):
        self.login(self.leader)
        url = reverse("teaching:absences")
        self.client.get(url, {"week": "2022-04-11"})  # sessions and the like, once
        with self.assertNumQueries(7):
            self.client.get(url, {"week": "2022-04-11"})
        for n in range(5):
            student = make_person(f"20229{n:02}", f"学生{n}", unit=self.college)
            absent(self.lesson, student)
            absent(self.thursday, student)
        with self.assertNumQueries(7):
            self.client.get(url, {"week": "2022-04-11"})

    def test_a_student_or_a_teacher_may_not_see_the_list(self):
        for user in (self.student, self.teacher_user):
            self.login(user)
            self.assertEqual(self.client.get(reverse("teaching:absences")).status_code, 403)


class StudentAttendanceTestCase(AttendanceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        absent(cls.lesson, cls.student_a)

    def url(self, person):
        return reverse("teaching:student_attendance", args=[person.pk])

    def test_the_counsellor_sees_their_student_lessons(self):
        self.login(self.counsellor_a_user)
        response = self.client.get(self.url(self.student_a))
        self.assertContains(response, 'data-testid="attendance-row"', count=1)
        self.assertContains(response, "absent")

    def test_another_counsellor_finds_no_such_student(self):
        self.login(self.counsellor_b_user)
        self.assertEqual(self.client.get(self.url(self.student_a)).status_code, 404)

    def test_the_teacher_sees_their_class_student_and_the_student_themselves(self):
        for user in (self.teacher_user, self.student):
            self.login(user)
            self.assertContains(self.client.get(self.url(self.student_a)), "absent")

    def test_a_student_sees_no_other_student(self):
        self.login(self.student)
        self.assertEqual(self.client.get(self.url(self.student_b)).status_code, 404)
