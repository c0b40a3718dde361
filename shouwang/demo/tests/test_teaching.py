import datetime as dt
from collections import Counter

from django.db.models import Count, Exists, OuterRef, Q
from django.test import TestCase

from shouwang.accounts.models import Role, RoleGrant
from shouwang.care.models import Isolation
from shouwang.core.calendar import Calendar
from shouwang.demo import build
from shouwang.demo.lockdown import NOW, TODAY
from shouwang.demo.models import DemoLogin
from shouwang.demo.teaching import COURSES, FIRST_MONDAY, ONLINE_FROM, TERM
from shouwang.lib import clock
from shouwang.people.models import Person, Unit
from shouwang.teaching import report
from shouwang.teaching.models import (
    Attendance,
    Criterion,
    Lesson,
    Observation,
    OnlineSwitch,
    Period,
    Readiness,
    TeachingClass,
    Term,
)


def online_figures(first: dt.date, last: dt.date) -> tuple[int, int, int]:
    """The seed's sentence: teachers of a teaching class with a lesson held
    online in the period, the students enrolled in those classes, the classes."""
    held_online = Lesson.objects.filter(
        teaching_class=OuterRef("pk"),
        status=Lesson.Status.HELD,
        online=True,
        date__range=(first, last),
    )
    classes = TeachingClass.objects.filter(Exists(held_online))
    teachers = Person.objects.filter(taught_classes__in=classes).distinct().count()
    students = Person.objects.filter(teaching_classes__in=classes).distinct().count()
    return teachers, students, classes.count()


def start_of(lesson: Lesson) -> dt.datetime:
    return clock.at(lesson.date, Period.objects.get(number=lesson.first_period).starts)


class DemoTeachingTestCase(TestCase):
    term: Term

    @classmethod
    def setUpTestData(cls):
        build.build()
        cls.term = Term.objects.get(name=TERM)

    def test_the_seeds_figures_are_59_teachers_997_students_24_classes_online(self):
        self.assertEqual(online_figures(ONLINE_FROM, TODAY), (59, 997, 24))

    def test_the_online_teaching_report_computes_the_seeds_sentence(self):
        total = report.build(ONLINE_FROM, TODAY, None).total
        self.assertEqual(
            (total.teachers_online, total.students_involved, total.classes_online), (59, 997, 24)
        )

    def test_every_teacher_teaches_and_every_student_is_enrolled(self):
        self.assertFalse(Person.objects.filter(kind="teacher", taught_classes__isnull=True))
        self.assertFalse(Person.objects.filter(kind="student", teaching_classes__isnull=True))
        teams = Counter(
            TeachingClass.objects.annotate(n=Count("teachers")).values_list("n", flat=True)
        )
        self.assertEqual(set(teams), {2, 3})
        sizes = TeachingClass.objects.annotate(n=Count("enrolments")).values_list("n", flat=True)
        self.assertTrue(any(80 <= n <= 150 for n in sizes))

    def test_the_classes_are_the_departments_of_the_college(self):
        units = set(TeachingClass.objects.values_list("unit__name", "unit__kind").distinct())
        self.assertEqual(
            units,
            {
                (name, Unit.Kind.DEPARTMENT)
                for name in ("计算机科学与技术系", "信息管理系", "电子商务系", "数据科学系")
            },
        )
        self.assertEqual(TeachingClass.objects.count(), len(COURSES))
        self.assertFalse(TeachingClass.objects.filter(slots__isnull=True))
        self.assertFalse(TeachingClass.objects.filter(planned_hours=0))

    def test_the_calendar_is_2022s(self):
        calendar = Calendar(FIRST_MONDAY, self.term.last_day)
        for day in (3, 4, 5):
            self.assertFalse(calendar.is_working_day(dt.date(2022, 4, day)))
        self.assertTrue(calendar.is_working_day(dt.date(2022, 4, 24)))
        self.assertTrue(calendar.is_working_day(dt.date(2022, 5, 7)))
        self.assertFalse(calendar.is_working_day(dt.date(2022, 5, 4)))
        self.assertFalse(
            Lesson.objects.filter(date__in=[dt.date(2022, 4, 4), dt.date(2022, 4, 5)]).exists()
        )

    def test_teaching_went_online_on_april_6_for_the_lockdown(self):
        switch = OnlineSwitch.objects.get()
        self.assertEqual(switch.starts_on, ONLINE_FROM)
        # The vice dean for teaching: a teacher, and a leader of the college.
        self.assertEqual(
            Person.objects.filter(user=switch.created_by).values_list("kind", "unit__name").get(),
            ("teacher", "信息学院"),
        )
        self.assertIn(Role.LEADER, switch.created_by.roles)
        self.assertEqual(
            OnlineSwitch.objects.values_list("incident__title", flat=True).get(), "并州疫情校园封控"
        )
        self.assertLess(switch.created_at, clock.at(ONLINE_FROM, dt.time(8)))
        self.assertFalse(TeachingClass.objects.exclude(online_from=ONLINE_FROM))
        self.assertFalse(TeachingClass.objects.filter(Q(platform="") | Q(join_link="")))
        self.assertFalse(Lesson.objects.filter(date__gte=ONLINE_FROM, online=False))
        self.assertFalse(Lesson.objects.filter(date__lt=ONLINE_FROM, online=True))

    def test_every_lesson_before_now_is_accounted_for_and_none_after(self):
        past = Lesson.objects.filter(date__lte=TODAY)
        self.assertFalse(past.filter(status=Lesson.Status.SCHEDULED))
        self.assertFalse(Lesson.objects.filter(date__gt=TODAY).exclude(status="scheduled"))
        self.assertFalse(Lesson.objects.filter(marked_at__gt=NOW))
        self.assertFalse(Attendance.objects.filter(recorded_at__gt=NOW))
        self.assertFalse(Attendance.objects.filter(lesson__date__lt=ONLINE_FROM))
        self.assertFalse(Attendance.objects.filter(lesson__date__lt=self.term.first_monday))
        online = past.filter(online=True, status=Lesson.Status.HELD)
        self.assertFalse(online.filter(attendances__isnull=True))
        for lesson in Lesson.objects.filter(marked_at__isnull=False).exclude(status="cancelled"):
            self.assertGreater(lesson.marked_at or NOW, start_of(lesson), lesson)

    def test_attendance_is_of_the_enrolled_imported_or_marked(self):
        self.assertFalse(
            Attendance.objects.exclude(
                Exists(
                    TeachingClass.students.through.objects.filter(
                        teaching_class=OuterRef("lesson__teaching_class"),
                        student=OuterRef("student"),
                    )
                )
            )
        )
        imported = Attendance.objects.filter(source=Attendance.Source.IMPORTED)
        self.assertTrue(imported.exists())
        self.assertFalse(imported.filter(status="present", minutes__isnull=True))
        self.assertTrue(Attendance.objects.filter(source=Attendance.Source.MARKED).exists())
        statuses = Counter(Attendance.objects.values_list("status", flat=True))
        self.assertGreater(statuses["absent"], 0)
        self.assertLess(statuses["absent"], sum(statuses.values()) * 0.03)

    def test_four_students_are_absent_twice_in_one_week_two_of_zhao_pus(self):
        absences = Counter(
            (student, self.term.week_of(day))
            for student, day in Attendance.objects.filter(status="absent").values_list(
                "student_id", "lesson__date"
            )
        )
        twice = [student for (student, _week), n in absences.items() if n >= 2]
        self.assertEqual(len(twice), 4)
        zhao = Person.objects.filter(pk__in=twice, admin_class__counsellor__name="赵璞")
        self.assertEqual(zhao.count(), 2)

    def test_the_isolated_attend_from_isolation(self):
        attended = 0
        for isolation in Isolation.objects.all():
            end = isolation.ended_at or NOW
            for attendance in Attendance.objects.filter(student=isolation.person).select_related(
                "lesson"
            ):
                if isolation.started_at <= start_of(attendance.lesson) < end:
                    self.assertEqual(attendance.status, "present", isolation.person)
                    attended += 1
        self.assertGreater(attended, 10)

    def test_two_cancelled_lessons_are_made_up_with_the_offices_approval(self):
        cancelled = Lesson.objects.filter(status=Lesson.Status.CANCELLED)
        self.assertEqual(cancelled.count(), 2)
        self.assertFalse(cancelled.exclude(approval="approved"))
        makeups = Lesson.objects.filter(makeup_for__in=cancelled)
        self.assertEqual(makeups.count(), 2)
        self.assertFalse(makeups.exclude(approval="approved"))
        self.assertEqual(set(makeups.values_list("status", flat=True)), {"held", "scheduled"})
        self.assertFalse(Lesson.objects.filter(approval="pending"))
        self.assertTrue(Lesson.objects.filter(status="held", reason__contains="核酸").exists())

    def test_a_handful_of_students_lack_a_device_or_a_connection(self):
        problems = Readiness.objects.filter(Q(no_device=True) | Q(poor_network=True))
        self.assertTrue(5 <= problems.count() <= 8)
        self.assertTrue(problems.filter(no_device=True).exists())
        self.assertTrue(problems.filter(poor_network=True).exists())
        self.assertFalse(problems.exclude(person__admin_class__counsellor__name="赵璞"))

    def test_supervisors_observed_lessons_and_one_is_still_to_do(self):
        supervisors = Person.objects.filter(
            user__groups__name=Role.SUPERVISOR, observations__isnull=False
        ).distinct()
        self.assertEqual(supervisors.count(), 3)
        done = Observation.objects.filter(observed_at__isnull=False)
        self.assertGreaterEqual(done.count(), 4)
        criteria = {str(pk) for pk in Criterion.objects.values_list("pk", flat=True)}
        for observation in done.select_related("lesson"):
            self.assertEqual(set(observation.ratings), criteria)
            self.assertTrue(observation.comments)
            self.assertEqual(observation.lesson.status, "held")
            self.assertFalse(
                observation.lesson.teaching_class.teachers.filter(pk=observation.supervisor_id)
            )
        self.assertFalse(done.filter(observed_at__gt=NOW))
        self.assertEqual(Observation.objects.filter(observed_at__isnull=True).count(), 1)
        # The teacher login has feedback on their own lesson.
        # The first teacher login teaches (付琳 of 团委 holds another).
        teacher = DemoLogin.objects.filter(role=Role.TEACHER).earliest("pk").user.person
        self.assertTrue(done.filter(lesson__teaching_class__teachers=teacher).exists())

    def test_the_teaching_office_and_the_supervisor_have_logins_with_their_roles(self):
        office = DemoLogin.objects.get(role=Role.TEACHING_OFFICE).user
        self.assertTrue(Person.objects.filter(user=office, unit__name="教学科研办公室").exists())
        self.assertIn(Role.TEACHING_OFFICE, office.roles)
        supervisor = DemoLogin.objects.get(role=Role.SUPERVISOR).user
        self.assertIn(Role.SUPERVISOR, supervisor.roles)
        self.assertTrue(Observation.objects.filter(supervisor=supervisor.person).exists())
        grants = RoleGrant.objects.filter(role__in=[Role.SUPERVISOR, Role.TEACHING_OFFICE])
        self.assertEqual(grants.count(), 4)
        self.assertFalse(grants.filter(granted_at__gt=NOW))
        student = DemoLogin.objects.get(role=Role.STUDENT).user
        self.assertTrue(TeachingClass.objects.filter(students__user=student).exists())
