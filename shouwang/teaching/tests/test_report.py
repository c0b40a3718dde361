import datetime as dt
import io

from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from shouwang.core.models import LogEntry
from shouwang.people.models import Person, Unit
from shouwang.teaching import actions, report
from shouwang.teaching.actions import ClassRow, SlotRow
from shouwang.teaching.audit import TeachingEvent
from shouwang.teaching.models import Attendance, Lesson, TeachingClass
from shouwang.test import make_person

from .base import TeachingTestCase

WEEK = (dt.date(2022, 4, 11), dt.date(2022, 4, 17))
MARKED = Attendance.Source.MARKED


def lesson_of(teaching_class: TeachingClass, day: dt.date) -> Lesson:
    return teaching_class.lessons.get(planned_date=day)


class ReportTestCase(TeachingTestCase):
    """Week 7 of the spring term, online from 4月6日:

    - 数据库原理-01 (the college; 李明; student_a, student_b): held on Tuesday
      4月12日, student_a present, student_b absent;
    - 操作系统-01 (信息系 under the college; 李明 and 王芳; student_b, 陈七 who has
      no device): held on Monday 4月11日 (student_b absent, 陈七 late), cancelled
      on Thursday 4月14日;
    - 编译原理-01 (the college; 王芳; nobody enrolled): Wednesday's lesson moved
      to Friday, not held.
    """

    teacher_person: Person
    department: Unit
    other_teacher: Person
    student_x: Person
    systems: TeachingClass
    compilers: TeachingClass

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.department = Unit.objects.create(
            name="信息系", kind=Unit.Kind.DEPARTMENT, parent=cls.college
        )
        cls.other_teacher = make_person("T1011", "王芳", Person.Kind.TEACHER, unit=cls.college)
        cls.student_x = make_person("2020199", "陈七", unit=cls.college)
        every_week = tuple(range(1, 17))
        rows = [
            ClassRow(
                code="操作系统-01",
                course_code="B0105678",
                course_name="操作系统",
                unit_id=cls.department.pk,
                teacher_ids=[cls.teacher_person.pk, cls.other_teacher.pk],
                slots=[
                    SlotRow(1, 1, 2, every_week, "1-16周", "A-101"),
                    SlotRow(4, 1, 2, every_week, "1-16周", "A-101"),
                ],
                planned_hours=64,
            ),
            ClassRow(
                code="编译原理-01",
                course_code="B0109999",
                course_name="编译原理",
                unit_id=cls.college.pk,
                teacher_ids=[cls.other_teacher.pk],
                slots=[SlotRow(3, 5, 6, every_week, "1-16周", "B-202")],
                planned_hours=32,
            ),
        ]
        actions.save_teaching_classes(cls.term, rows, acting_user=None)
        actions.enrol(
            cls.term,
            [("操作系统-01", cls.student_b.pk), ("操作系统-01", cls.student_x.pk)],
            acting_user=None,
        )
        actions.generate_lessons(cls.term, acting_user=None)
        actions.go_online(
            term=cls.term,
            units=[cls.college],
            starts_on=dt.date(2022, 4, 6),
            acting_user=cls.leader,
        )
        cls.systems = TeachingClass.objects.get(code="操作系统-01")
        cls.compilers = TeachingClass.objects.get(code="编译原理-01")
        database = lesson_of(cls.database_class, dt.date(2022, 4, 12))
        actions.record_attendance(
            database,
            {cls.student_a.pk: ("present", 90), cls.student_b.pk: ("absent", None)},
            source=MARKED,
            acting_user=cls.leader,
        )
        systems = lesson_of(cls.systems, dt.date(2022, 4, 11))
        actions.mark_held(systems, acting_user=cls.leader)
        actions.record_attendance(
            systems,
            {cls.student_b.pk: ("absent", None), cls.student_x.pk: ("late", 70)},
            source=MARKED,
            acting_user=cls.leader,
        )
        actions.cancel_lesson(
            lesson_of(cls.systems, dt.date(2022, 4, 14)), reason="教师发热", acting_user=cls.leader
        )
        actions.move_lesson(
            lesson_of(cls.compilers, dt.date(2022, 4, 13)),
            date=dt.date(2022, 4, 15),
            first_period=5,
            last_period=6,
            reason="调课",
            acting_user=cls.leader,
        )
        actions.answer_readiness(
            cls.student_x, no_device=True, poor_network=False, acting_user=cls.leader
        )

    def setUp(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def add_maths_classes(self) -> None:
        """Ten more classes of 高等数学 on Mondays, periods 3-4, in both units."""
        rows = [
            ClassRow(
                code=f"高等数学-{n:02d}",
                course_code="M0001",
                course_name="高等数学",
                unit_id=(self.college if n % 2 else self.department).pk,
                teacher_ids=[make_person(f"T20{n:02d}", f"教师{n}", "teacher").pk],
                slots=[SlotRow(1, 3, 4, tuple(range(1, 17)), "1-16周", "C-101")],
                planned_hours=32,
            )
            for n in range(10)
        ]
        actions.save_teaching_classes(self.term, rows, acting_user=None)
        actions.generate_lessons(self.term, acting_user=None)


class BuildReportTestCase(ReportTestCase):
    def test_the_college_total_counts_every_figure(self):
        total = report.build(*WEEK, None).total
        self.assertEqual(
            (total.planned, total.held, total.moved, total.cancelled),
            (4, 2, 1, 1),
        )
        # The seed's sentence: 李明 and 王芳; student_a, student_b and 陈七; two classes.
        self.assertEqual(
            (total.teachers_online, total.students_involved, total.classes_online), (2, 3, 2)
        )
        self.assertEqual(total.attendance_rate, 50.0)
        self.assertEqual(total.absent_twice, 1)
        self.assertEqual(total.problems, 1)

    def test_each_unit_counts_its_own_classes_and_people(self):
        rows = {row.name: row.figures for row in report.build(*WEEK, None).rows}
        college, department = rows[self.college.name], rows["信息系"]
        self.assertEqual((college.planned, college.held, college.moved), (2, 1, 1))
        self.assertEqual((department.planned, department.held, department.cancelled), (2, 1, 1))
        self.assertEqual((college.teachers_online, college.students_involved), (1, 2))
        self.assertEqual((department.teachers_online, department.students_involved), (2, 2))
        # student_b was absent once in each unit: twice for the college only.
        self.assertEqual((college.absent_twice, department.absent_twice), (0, 0))
        self.assertEqual(department.problems, 1)
        self.assertEqual(college.attendance_rate, 50.0)

    def test_the_department_is_shown_under_its_college(self):
        rows = report.build(*WEEK, None).rows
        department = next(row for row in rows if row.name == "信息系")
        self.assertEqual(department.group, self.college.name)

    def test_a_day_counts_that_day_only(self):
        total = report.build(dt.date(2022, 4, 11), dt.date(2022, 4, 11), None).total
        self.assertEqual((total.planned, total.held, total.classes_online), (1, 1, 1))
        self.assertEqual((total.teachers_online, total.students_involved), (2, 2))

    def test_a_lesson_moved_out_of_the_range_is_planned_and_moved_there(self):
        wednesday = dt.date(2022, 4, 13)
        total = report.build(wednesday, wednesday, None).total
        self.assertEqual((total.planned, total.moved, total.held), (1, 1, 0))

    def test_a_lesson_held_in_the_classroom_makes_no_class_online(self):
        Lesson.objects.update(online=False)
        total = report.build(*WEEK, None).total
        self.assertEqual((total.held, total.classes_online, total.teachers_online), (2, 0, 0))

    def test_the_query_count_does_not_grow_with_the_classes(self):
        with self.assertNumQueries(11):
            report.build(*WEEK, None)
        self.add_maths_classes()
        Lesson.objects.filter(date=dt.date(2022, 4, 11)).update(
            online=True, status=Lesson.Status.HELD
        )
        with self.assertNumQueries(11):
            built = report.build(*WEEK, None)
        self.assertEqual(built.total.classes_online, 12)


class ReportPageTestCase(ReportTestCase):
    url = reverse("teaching:report")
    query: dict[str, str | int] = {"first": WEEK[0].isoformat(), "last": WEEK[1].isoformat()}

    def test_a_leader_reads_the_week_with_the_seed_sentence(self):
        self.login(self.leader)
        response = self.client.get(self.url, self.query)
        self.assertContains(
            response,
            "2 teachers, 3 students and 2 teaching classes took part in online teaching.",
        )
        self.assertContains(response, '<td data-testid="planned">4</td>', html=True)
        self.assertContains(response, "教师发热")

    def test_one_unit_shows_that_unit_alone(self):
        self.login(self.leader)
        response = self.client.get(self.url, {**self.query, "unit": self.department.pk})
        rows = response.context["report"].rows
        self.assertEqual([row.name for row in rows], ["信息系"])
        self.assertEqual(response.context["report"].total.students_involved, 2)

    def test_today_by_default(self):
        self.login(self.leader)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["report"].first, response.context["report"].last)

    def test_a_range_backwards_is_refused(self):
        self.login(self.leader)
        response = self.client.get(self.url, {"first": "2022-04-17", "last": "2022-04-11"})
        self.assertContains(response, "The range ends before it begins.")

    def test_another_colleges_leader_sees_none_of_it_nor_its_units(self):
        self.create_other_college()
        self.login(self.leader_b)
        response = self.client.get(self.url, self.query)
        self.assertEqual(response.context["report"].total.planned, 0)
        response = self.client.get(self.url, {**self.query, "unit": self.department.pk})
        self.assertIsNone(response.context["report"])

    def test_students_counsellors_and_teachers_are_refused(self):
        for user in (self.student, self.counsellor_a_user):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(self.url).status_code, 403)
                export = self.client.get(reverse("teaching:report_export"))
                self.assertEqual(export.status_code, 403)

    def test_the_page_takes_as_many_queries_for_more_classes(self):
        self.login(self.leader)
        self.client.get(self.url, self.query)
        with self.assertNumQueries(17) as before:
            self.client.get(self.url, self.query)
        systems = self.systems
        for n in range(5):
            copy = TeachingClass.objects.create(
                term=self.term,
                code=f"操作系统-{n + 2:02d}",
                course_code="B0105678",
                course_name="操作系统",
                unit=self.department,
                online_from=systems.online_from,
            )
            copy.teachers.set([self.other_teacher])
            Lesson.objects.create(
                teaching_class=copy,
                planned_date=WEEK[0],
                planned_period=1,
                date=WEEK[0],
                first_period=1,
                last_period=2,
                online=True,
                status=Lesson.Status.HELD,
            )
        with self.assertNumQueries(len(before.captured_queries)):
            response = self.client.get(self.url, self.query)
        self.assertEqual(response.context["report"].total.classes_online, 7)


class ReportExportTestCase(ReportTestCase):
    url = reverse("teaching:report_export")

    def test_the_export_is_a_workbook_with_each_unit_and_the_total_and_is_audited(self):
        self.login(self.leader)
        response = self.client.get(
            self.url, {"first": WEEK[0].isoformat(), "last": WEEK[1].isoformat()}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        self.assertEqual(rows[0][:3], ["unit", "lessons planned", "held"])
        self.assertEqual(rows[-1][:8], ["total", 4, 2, 1, 1, 2, 3, 2])
        self.assertIn(f"{self.college.name} / 信息系", [row[0] for row in rows])
        entry = LogEntry.objects.get(kind=TeachingEvent.REPORT_EXPORTED.value)
        self.assertEqual(entry.additional_data["first"], "2022-04-11")
        self.assertEqual(entry.actor, self.leader)

    def test_a_bad_range_exports_nothing(self):
        self.login(self.leader)
        response = self.client.get(self.url, {"first": "2022-04-17", "last": "2022-04-11"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(LogEntry.objects.filter(kind=TeachingEvent.REPORT_EXPORTED.value))
