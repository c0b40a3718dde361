"""A lesson neither marked nor followed by attendance reminds its teachers once."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from freezegun import freeze_time

from shouwang.core.scheduler import JOBS
from shouwang.lib.clock import beijing
from shouwang.notify.models import Message
from shouwang.people.models import Person
from shouwang.teaching import actions, tasks
from shouwang.teaching.message_kinds import LESSON_UNMARKED
from shouwang.teaching.models import Attendance, Lesson
from shouwang.test import make_person

from .base import TeachingTestCase

# Load the URLs before the clock is frozen: the API's schemas refuse freezegun's dates.
TODAY_URL = reverse("teaching:today")
TUESDAY = dt.date(2022, 4, 12)
EVENING = beijing(2022, 4, 12, 22, 30)


class UnmarkedReminderTestCase(TeachingTestCase):
    second_teacher: Person

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.second_teacher = make_person("T1011", "王芳", "teacher", unit=cls.college)
        cls.database_class.teachers.add(cls.second_teacher)

    def lesson(self, day: dt.date) -> Lesson:
        return self.database_class.lessons.get(date=day)

    def reminders(self):
        return Message.objects.filter(kind=LESSON_UNMARKED)

    def run_task(self) -> None:
        # Tasks run inline in tests, as the scheduler would enqueue them.
        tasks.remind_unmarked_lessons.enqueue()

    @freeze_time(EVENING)
    def test_each_teacher_of_an_unmarked_lesson_gets_one_message_linking_to_it(self):
        # The last week's lessons are due: 4月12日 (4月5日 was 清明), none older.
        self.run_task()
        due = self.database_class.lessons.filter(date__range=(dt.date(2022, 4, 5), TUESDAY))
        self.assertEqual(due.count(), 1)
        self.assertEqual(self.reminders().count(), 2)
        self.assertFalse(self.lesson(dt.date(2022, 3, 29)).reminded_at)
        message = self.reminders().get(
            recipient=self.teacher_person, link=self.lesson(TUESDAY).get_absolute_url()
        )
        self.assertIn("数据库原理", message.title)
        self.assertEqual(set(due.values_list("reminded_at", flat=True)), {EVENING})
        self.assertFalse(self.lesson(dt.date(2022, 4, 19)).reminded_at)

    @freeze_time(EVENING)
    def test_it_reminds_once_only(self):
        self.run_task()
        Lesson.objects.update(reminded_at=None)  # even were the mark lost, the key holds
        self.run_task()
        self.assertEqual(self.reminders().count(), 2)

    @freeze_time(beijing(2022, 3, 22, 22, 30))
    def test_held_cancelled_and_attended_lessons_remind_nobody(self):
        # Four Tuesdays from 3月1日 to 3月22日; the last week's reach back to 3月15日.
        with freeze_time(beijing(2022, 3, 15, 12, 0)):
            actions.mark_held(self.lesson(dt.date(2022, 3, 15)), acting_user=self.leader)
        actions.cancel_lesson(
            self.lesson(dt.date(2022, 3, 22)), reason="x", acting_user=self.leader
        )
        self.run_task()
        self.assertEqual(self.reminders().count(), 0)

    @freeze_time(EVENING)
    def test_a_lesson_with_attendance_reminds_nobody(self):
        Attendance.objects.create(
            lesson=self.lesson(TUESDAY),
            student=self.student_a,
            status=Attendance.Status.PRESENT,
            source=Attendance.Source.IMPORTED,
        )
        self.run_task()
        self.assertEqual(self.reminders().count(), 0)

    def test_the_job_runs_at_the_end_of_the_teaching_day(self):
        job = JOBS[tasks.remind_unmarked_lessons.module_path]
        self.assertEqual(job.cron, "30 22 * * *")
