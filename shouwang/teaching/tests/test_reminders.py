"""A lesson neither marked nor followed by attendance reminds its teachers once."""

from __future__ import annotations

import datetime as dt

from freezegun import freeze_time

from shouwang.lib.clock import beijing
from shouwang.notify.models import Message
from shouwang.teaching import actions, tasks
from shouwang.teaching.message_kinds import LESSON_UNMARKED
from shouwang.teaching.models import Attendance, Lesson
from shouwang.test import make_person

from .base import TeachingTestCase

TUESDAY = dt.date(2022, 4, 12)
EVENING = beijing(2022, 4, 12, 22, 30)


class UnmarkedReminderTestCase(TeachingTestCase):
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
        # Only the lessons of 4月12日 and before are due: six Tuesdays so far.
        self.run_task()
        due = self.database_class.lessons.filter(date__lte=TUESDAY)
        self.assertEqual(due.count(), 6)
        self.assertEqual(self.reminders().count(), 12)
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
        self.assertEqual(self.reminders().count(), 12)

    @freeze_time(EVENING)
    def test_held_cancelled_and_attended_lessons_remind_nobody(self):
        with freeze_time(beijing(2022, 3, 1, 12, 0)):
            actions.mark_held(self.lesson(dt.date(2022, 3, 1)), acting_user=self.leader)
        actions.cancel_lesson(self.lesson(dt.date(2022, 3, 8)), reason="x", acting_user=self.leader)
        Attendance.objects.create(
            lesson=self.lesson(dt.date(2022, 3, 15)),
            student=self.student_a,
            status=Attendance.Status.PRESENT,
            source=Attendance.Source.IMPORTED,
        )
        self.run_task()
        reminded = {m.link for m in self.reminders()}
        for day in (1, 8, 15):
            self.assertNotIn(self.lesson(dt.date(2022, 3, day)).get_absolute_url(), reminded)
        self.assertEqual(self.reminders().count(), 6)  # 3 lessons × 2 teachers

    def test_the_job_runs_at_the_end_of_the_teaching_day(self):
        from shouwang.core.scheduler import JOBS

        job = JOBS[tasks.remind_unmarked_lessons.module_path]
        self.assertEqual(job.cron, "30 22 * * *")
