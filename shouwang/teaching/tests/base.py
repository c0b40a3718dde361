"""A term, a teaching class of the shared personas' college, and its lessons."""

from __future__ import annotations

import datetime as dt

from shouwang.core.models import CalendarDay
from shouwang.people.models import Person
from shouwang.teaching import actions
from shouwang.teaching.actions import ClassRow, SlotRow
from shouwang.teaching.models import TeachingClass, Term
from shouwang.test import BaseTestCase

# The spring term of 2021-22: first Monday 2022-02-28, 18 weeks. 清明 fell on
# Sunday to Tuesday 4月3–5日; Sunday 4月24日 was worked in exchange (调休).
FIRST_MONDAY = dt.date(2022, 2, 28)
QINGMING = (dt.date(2022, 4, 4), dt.date(2022, 4, 5))
SWAPPED = dt.date(2022, 4, 24)


def spring_term() -> Term:
    term = Term.objects.create(name="2021-2022-2", first_monday=FIRST_MONDAY, weeks=18)
    for day in (dt.date(2022, 4, 3), *QINGMING):
        CalendarDay.objects.create(date=day, kind=CalendarDay.Kind.HOLIDAY, name="清明节")
    CalendarDay.objects.create(date=SWAPPED, kind=CalendarDay.Kind.WORKING_DAY, name="调休")
    return term


class TeachingTestCase(BaseTestCase):
    term: Term
    database_class: TeachingClass
    teacher_person: Person

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.term = spring_term()
        # 数据库原理: Tuesdays, periods 3-4, weeks 1-16, so lessons on 4月5日
        # (清明) and 4月12日, 19日...
        actions.save_teaching_classes(
            cls.term,
            [
                ClassRow(
                    code="数据库原理-01",
                    course_code="B0101234",
                    course_name="数据库原理",
                    unit_id=cls.college.pk,
                    teacher_ids=[cls.teacher_person.pk],
                    slots=[SlotRow(2, 3, 4, tuple(range(1, 17)), "1-16周", "A-201")],
                    planned_hours=32,
                )
            ],
            acting_user=None,
        )
        cls.database_class = TeachingClass.objects.get(code="数据库原理-01")
        actions.enrol(
            cls.term,
            [("数据库原理-01", cls.student_a.pk), ("数据库原理-01", cls.student_b.pk)],
            acting_user=None,
        )
