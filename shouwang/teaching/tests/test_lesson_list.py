"""The day's lessons (`teaching:lesson_list`): what the cockpit's lessons held
and attendance open onto, for the overseers of the classes."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shouwang.lib import clock
from shouwang.teaching import actions
from shouwang.teaching.models import Lesson

from .test_report import ReportTestCase

MONDAY = dt.date(2022, 4, 11)
THURSDAY = dt.date(2022, 4, 14)


class LessonListTestCase(ReportTestCase):
    url = reverse("teaching:lesson_list")

    def rows(self, response) -> list[tuple[str, str, float | None, int]]:
        return [
            (row.lesson.teaching_class.code, row.lesson.status, taken.rate, taken.absent)
            for row, taken in response.context["rows"]
        ]

    def test_a_leader_reads_the_days_lessons_with_their_attendance(self):
        self.login(self.leader)
        response = self.client.get(self.url, {"date": MONDAY.isoformat()})
        # 操作系统 held, student_b absent and 陈七 late; the scheduled ones not yet taken.
        self.assertIn(("操作系统-01", "held", 50.0, 1), self.rows(response))
        self.assertContains(response, "1 of 2")
        self.assertContains(response, "李明")
        self.assertContains(
            response,
            reverse("teaching:lesson_detail", args=[self.systems.lessons.get(date=MONDAY).pk]),
        )

    def test_the_status_pills_count_the_day_and_filter_it(self):
        self.login(self.leader)
        every = self.client.get(self.url, {"date": THURSDAY.isoformat()})
        counts = {value: count for value, _label, count in every.context["statuses"]}
        self.assertEqual(counts["cancelled"], 1)
        self.assertEqual(every.context["total"], sum(counts.values()))
        cancelled = self.client.get(self.url, {"date": THURSDAY.isoformat(), "status": "cancelled"})
        self.assertEqual([code for code, *_rest in self.rows(cancelled)], ["操作系统-01"])
        self.assertContains(cancelled, "教师发热")
        # The pills keep the day.
        self.assertContains(cancelled, f"?date={THURSDAY.isoformat()}&amp;status=held")

    def test_one_unit_shows_its_classes_and_those_below_it(self):
        self.login(self.leader)
        response = self.client.get(
            self.url, {"date": MONDAY.isoformat(), "unit": str(self.department.pk)}
        )
        self.assertEqual([code for code, *_rest in self.rows(response)], ["操作系统-01"])

    def test_today_by_default(self):
        self.login(self.leader)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["day"], clock.today())

    def test_a_bad_date_says_so(self):
        self.login(self.leader)
        response = self.client.get(self.url, {"date": "2022-13-01"})
        self.assertEqual(response.status_code, 200)
        self.assertIsNone(response.context["page"])
        self.assertContains(response, "Enter a valid date.")

    def test_another_colleges_leader_sees_none_of_it_nor_its_units(self):
        self.create_other_college()
        self.login(self.leader_b)
        response = self.client.get(self.url, {"date": MONDAY.isoformat()})
        self.assertEqual(self.rows(response), [])
        self.assertEqual(response.context["total"], 0)
        refused = self.client.get(
            self.url, {"date": MONDAY.isoformat(), "unit": str(self.department.pk)}
        )
        self.assertIsNone(refused.context["page"])

    def test_students_counsellors_and_teachers_are_refused(self):
        for user in (self.student, self.counsellor_a_user, self.teacher):
            with self.subTest(user=user):
                self.login(user)
                self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_a_page_asks_the_same_statements_for_one_lesson_or_eleven(self):
        self.login(self.leader)
        query = {"date": MONDAY.isoformat()}
        with CaptureQueriesContext(connection) as few:
            one = self.client.get(self.url, query)
        self.assertEqual(len(one.context["rows"]), 1)
        self.add_maths_classes()
        for lesson in Lesson.objects.filter(date=MONDAY, teaching_class__course_name="高等数学"):
            actions.record_attendance(
                lesson,
                {self.student_a.pk: ("present", 90)},
                source="marked",
                acting_user=self.leader,
            )
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(self.url, query)
        self.assertEqual(len(response.context["rows"]), 11)
        self.assertEqual(len(many), len(few))
