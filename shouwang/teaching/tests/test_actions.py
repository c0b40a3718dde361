import datetime as dt

from django.test import override_settings
from freezegun import freeze_time

from shouwang.core.calendar import add_working_days, is_working_day, working_days_between
from shouwang.lib.clock import beijing
from shouwang.teaching import actions
from shouwang.teaching.actions import ClassRow, LessonError, SlotRow
from shouwang.teaching.models import Attendance, Lesson, TeachingClass

from .base import QINGMING, SWAPPED, TeachingTestCase


class CalendarTestCase(TeachingTestCase):
    def test_holidays_and_swapped_days_follow_the_calendar(self):
        self.assertFalse(is_working_day(QINGMING[0]))
        self.assertTrue(is_working_day(SWAPPED))
        self.assertTrue(is_working_day(dt.date(2022, 4, 6)))
        self.assertFalse(is_working_day(dt.date(2022, 4, 9)))
        # Friday 4月1日 to Friday 4月8日: 1日, 6日, 7日, 8日.
        self.assertEqual(working_days_between(dt.date(2022, 4, 1), dt.date(2022, 4, 8)), 4)
        self.assertEqual(add_working_days(dt.date(2022, 4, 1), 2), dt.date(2022, 4, 7))


class LessonsTestCase(TeachingTestCase):
    def test_the_timetable_makes_a_lesson_a_week_but_none_on_a_holiday(self):
        dates = list(self.database_class.lessons.values_list("date", flat=True))
        self.assertEqual(len(dates), 15)  # 16 Tuesdays, 清明's 4月5日 off
        self.assertNotIn(QINGMING[1], dates)
        self.assertIn(dt.date(2022, 4, 12), dates)

    def test_generating_twice_creates_nothing(self):
        self.assertEqual(actions.generate_lessons(self.term, acting_user=None), 0)

    def test_the_same_timetable_again_changes_nothing(self):
        row = ClassRow(
            code="数据库原理-01",
            course_code="B0101234",
            course_name="数据库原理",
            unit_id=self.college.pk,
            teacher_ids=[self.teacher_person.pk],
            slots=[SlotRow(2, 3, 4, tuple(range(1, 17)), "1-16周", "A-201")],
            planned_hours=32,
        )
        summary = actions.save_teaching_classes(self.term, [row], acting_user=None)
        self.assertEqual(summary, {"created": 0, "updated": 0, "unchanged": 1})
        again = actions.enrol(self.term, [("数据库原理-01", self.student_a.pk)], acting_user=None)
        self.assertEqual(again, {"created": 0, "unchanged": 1})

    def test_going_online_makes_the_lessons_from_that_day_online(self):
        actions.go_online(
            term=self.term,
            units=[self.college],
            starts_on=dt.date(2022, 4, 6),
            acting_user=self.leader,
        )
        lessons = self.database_class.lessons
        self.assertFalse(lessons.get(date=dt.date(2022, 3, 29)).online)
        self.assertTrue(lessons.get(date=dt.date(2022, 4, 12)).online)
        self.assertEqual(TeachingClass.objects.get().online_from, dt.date(2022, 4, 6))


@override_settings(TEACHING_CHANGES_NEED_APPROVAL=True)
class MarkingTestCase(TeachingTestCase):
    def lesson(self, day: dt.date) -> Lesson:
        return self.database_class.lessons.get(date=day)

    @freeze_time(beijing(2022, 4, 12, 20, 0))
    def test_attendance_taken_marks_the_lesson_held(self):
        lesson = self.lesson(dt.date(2022, 4, 12))
        written = actions.record_attendance(
            lesson,
            {self.student_a.pk: ("present", 90), self.student_c_or_none(): ("present", 1)},
            source="imported",
            acting_user=self.leader,
        )
        self.assertEqual(written, 1)  # the stranger is not enrolled
        lesson.refresh_from_db()
        self.assertEqual(lesson.status, Lesson.Status.HELD)
        self.assertEqual(Attendance.objects.get().minutes, 90)

    def student_c_or_none(self) -> int:
        return self.volunteer_person.pk

    @freeze_time(beijing(2022, 4, 12, 8, 0))
    def test_a_cancelled_lesson_gets_its_make_up_and_waits_for_the_office(self):
        lesson = self.lesson(dt.date(2022, 4, 19))
        makeup = actions.cancel_lesson(
            lesson,
            reason="教师隔离",
            makeup_date=dt.date(2022, 4, 23),
            makeup_periods=(1, 2),
            acting_user=self.leader,
        )
        assert makeup is not None
        self.assertEqual(makeup.makeup_for, lesson)
        self.assertEqual(lesson.approval, Lesson.Approval.PENDING)
        actions.decide_change(lesson, approve=False, acting_user=self.admin)
        self.assertEqual(lesson.status, Lesson.Status.SCHEDULED)
        with self.assertRaises(LessonError):
            actions.mark_held(lesson, acting_user=self.leader)  # not its day yet
