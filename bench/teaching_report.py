"""Benchmark: the daily online-teaching report (线上教学运行日报) of a large university.

    .venv/bin/python bench/teaching_report.py [--people 30000] [--classes 1500]
                                              [--repeat 15] [--smoke]

Sets up a throwaway database (SQLite in a temporary folder, or DATABASE_URL,
which must name an empty PostgreSQL database) with --people students in
classes of 40 across ten colleges of a university (bench/_common.py), three
departments under each college offering --classes teaching classes (one or two
teachers each, two weekly slots over 16 weeks), every student enrolled in six
of them (--people × 6 enrolments, written by one INSERT … SELECT), and the
term's lessons laid by `teaching.actions.generate_lessons`. Teaching goes online
from the Wednesday of week 2 (`go_online`); every lesson up to the report's day
(Wednesday of week 6) is held, except one in 50 cancelled and one in 33 moved
to later periods; attendance of every enrolled student of every held lesson
(90 % present, 4 % late, 5 % absent, 1 % on leave) is written by INSERT …
SELECT, then analysed (VACUUM ANALYZE on PostgreSQL, as autovacuum would
have left it). 3 % of the students said they have no device.

It then times, through the Django test client in this process (the server
time of a request: session, access checks, queries, template), the report page
as the university's leader: for the college on the report's day, for one
college (?unit=), and for the college over the week; the first (cold) request
of each, then the median and p95 of --repeat requests, with the number of SQL
statements. It prints the number of statements of the report itself
(`teaching.report.build`) for the whole university and for the units offering
half the classes: the same. It measures the trivial view (/health/) the same
way, for the ratio. --smoke runs 2,000 students and 100 classes and checks the
report's figures against counts made here: CI runs it.

Last, it runs bench/teaching_import.py on a database of its own: an
enrolment list of 30,000 rows (600 with --smoke) checked and committed,
target under 15 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from _common import (
    ATTENDANCE_SQL,
    ENROLMENTS_SQL,
    build_university,
    loadavg,
    machine,
    setup_django,
    time_page,
    trivial_rate,
)

TARGET_MS = 200.0
ENROLMENTS_PER_STUDENT = 6
DEPARTMENTS_PER_COLLEGE = 3
FIRST_MONDAY = dt.date(2022, 2, 28)


@dataclass
class University:
    leader: object
    day: dt.date
    college_id: int
    college_units: frozenset[int]
    half_units: frozenset[int]


def build(people: int, classes: int) -> University:
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import F
    from django.db.models.functions import Mod

    from shouwang.accounts.models import Role, User
    from shouwang.lib import clock
    from shouwang.people.models import Person, Unit
    from shouwang.teaching import actions
    from shouwang.teaching.models import (
        Lesson,
        Readiness,
        Slot,
        TeachingClass,
        Term,
    )

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with transaction.atomic():
        university, _counsellors = build_university(people)
        colleges = list(Unit.objects.filter(parent=university).order_by("pk"))
        departments = Unit.objects.bulk_create(
            [
                Unit(name=f"{college.name}系{n}", kind=Unit.Kind.DEPARTMENT, parent=college)
                for college in colleges
                for n in range(DEPARTMENTS_PER_COLLEGE)
            ]
        )
        teachers = Person.objects.bulk_create(
            [
                Person(
                    number=f"J{n:05d}",
                    name=f"教师{n}",
                    kind=Person.Kind.TEACHER,
                    unit=departments[(2 * n) % len(departments)],
                )
                for n in range(classes // 2 + 1)
            ],
            batch_size=2000,
        )
        term = Term.objects.create(name="2021-2022-2", first_monday=FIRST_MONDAY, weeks=16)
        created = TeachingClass.objects.bulk_create(
            [
                TeachingClass(
                    term=term,
                    code=f"({term.name})-C{n:05d}-01",
                    course_code=f"C{n:05d}",
                    course_name=f"课程{n}",
                    # Not n % 30: a department's classes would all meet on the same days.
                    unit=departments[(n // 7) % len(departments)],
                    planned_hours=64,
                )
                for n in range(classes)
            ],
            batch_size=2000,
        )
        ids = [teaching_class.pk for teaching_class in created]
        if ids != list(range(ids[0], ids[0] + classes)):
            ids = list(TeachingClass.objects.order_by("pk").values_list("pk", flat=True))
            if ids != list(range(ids[0], ids[0] + classes)):
                raise SystemExit("the teaching classes' ids are not consecutive")
        through = TeachingClass.teachers.through
        links = [
            through(teachingclass_id=pk, person_id=teachers[n // 2].pk) for n, pk in enumerate(ids)
        ]
        # One class in ten has a second teacher.
        links += [
            through(teachingclass_id=pk, person_id=teachers[n // 2 + 1].pk)
            for n, pk in enumerate(ids)
            if n % 10 == 0
        ]
        through.objects.bulk_create(links, batch_size=2000)
        weeks = list(range(1, 17))
        Slot.objects.bulk_create(
            [
                Slot(
                    teaching_class_id=pk,
                    weekday=1 + (n + shift) % 5,
                    first_period=1 + 2 * ((n // 5 + shift) % 5),
                    last_period=2 + 2 * ((n // 5 + shift) % 5),
                    weeks=weeks,
                    weeks_text="1-16周",
                    location="A-101",
                )
                for n, pk in enumerate(ids)
                for shift in (0, 2)
            ],
            batch_size=2000,
        )
        step = classes // ENROLMENTS_PER_STUDENT + 1
        with connection.cursor() as cursor:
            cursor.execute(
                ENROLMENTS_SQL,
                {
                    "per": ENROLMENTS_PER_STUDENT,
                    "first_class": ids[0],
                    "step": step,
                    "classes": classes,
                },
            )
        leader = User.objects.create(
            username="leader",
            must_change_password=False,
            person=Person.objects.create(
                number="L0001", name="校领导", kind=Person.Kind.STAFF, unit=university
            ),
        )
        leader.groups.add(Group.objects.create(name=Role.LEADER.value))
        students = list(
            Person.objects.filter(kind=Person.Kind.STUDENT).values_list("pk", flat=True)
        )
        Readiness.objects.bulk_create(
            [Readiness(person_id=pk, no_device=True) for pk in students[::33]], batch_size=2000
        )
    print(f"  people, classes and enrolments in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    lessons = actions.generate_lessons(term, acting_user=None)
    online_from = term.date_of(2, 3)
    actions.go_online(term=term, units=[university], starts_on=online_from, acting_user=leader)
    day = term.date_of(6, 3)
    with transaction.atomic():
        past = Lesson.objects.filter(date__lte=day).alias(n=Mod(F("pk"), 100))
        past.update(status=Lesson.Status.HELD)
        past.filter(n__in=[0, 50]).update(status=Lesson.Status.CANCELLED, reason="教师发热")
        moved = Lesson.objects.alias(n=Mod(F("pk"), 33)).filter(n=0, first_period__lte=7)
        moved.update(first_period=F("first_period") + 2, last_period=F("last_period") + 2)
    print(f"  {lessons} lessons generated and marked in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(ATTENDANCE_SQL, {"now": clock.now()})
        rows = cursor.rowcount
    with connection.cursor() as cursor:
        # As autovacuum leaves tables loaded long ago: analysed, and the
        # visibility map set, which index-only scans need.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"  {rows} attendance rows written and analysed in {time.perf_counter() - started:.1f} s")

    college = colleges[0]
    half = frozenset(Unit.subtree_ids([unit.pk for unit in colleges[: len(colleges) // 2]]))
    return University(leader, day, college.pk, frozenset(college.descendant_ids()), half)


# -- measuring -----------------------------------------------------------------------


def measure(client, name: str, url: str, repeat: int) -> tuple[float, object]:
    timing = time_page(client, name, url, repeat, width=36)
    return timing.median_ms, timing.response


def report_statements(first: dt.date, last: dt.date, units) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shouwang.teaching import report

    with CaptureQueriesContext(connection) as captured:
        report.build(first, last, units)
    return len(captured.captured_queries)


def profile(day: dt.date) -> None:
    """Each statement of the report for the university on `day`, with its time."""
    from django.db import connection

    from shouwang.teaching import report

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            print(f"  {elapsed:7.1f} ms  {sql[:110]}")

    with connection.execute_wrapper(wrapper):
        report.build(day, day, None)


def check(university: University) -> None:
    """The university's figures on the day, against counts made here."""
    from django.db.models import Q

    from shouwang.teaching import report
    from shouwang.teaching.models import Attendance, Enrolment, Lesson, TeachingClass

    day = university.day
    total = report.build(day, day, None).total
    held_online = Lesson.objects.filter(date=day, status=Lesson.Status.HELD, online=True)
    classes = set(held_online.values_list("teaching_class_id", flat=True))
    teachers = set(
        TeachingClass.teachers.through.objects.filter(teachingclass_id__in=classes).values_list(
            "person_id", flat=True
        )
    )
    students = set(
        Enrolment.objects.filter(teaching_class_id__in=classes).values_list("student_id", flat=True)
    )
    rows = Attendance.objects.filter(lesson__date=day)
    attended = rows.filter(Q(status="present") | Q(status="late")).count()
    expected = {
        "classes online": (total.classes_online, len(classes)),
        "teachers online": (total.teachers_online, len(teachers)),
        "students involved": (total.students_involved, len(students)),
        "planned": (total.planned, Lesson.objects.filter(planned_date=day).count()),
        "held": (total.held, Lesson.objects.filter(date=day, status="held").count()),
        "attended": (total.attended, attended),
        "attendance rows": (total.attendance_rows, rows.count()),
    }
    wrong = {name: pair for name, pair in expected.items() if pair[0] != pair[1]}
    if wrong:
        raise SystemExit(f"the report is wrong (shown, counted): {wrong}")
    print(
        f"  the report says: {total.teachers_online} teachers, {total.students_involved} "
        f"students and {total.classes_online} teaching classes online; checked"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--classes", type=int, default=1_500)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--profile", action="store_true", help="time each statement")
    parser.add_argument("--smoke", action="store_true", help="2,000 students, 100 classes; checked")
    args = parser.parse_args()
    if args.smoke:
        args.people, args.classes, args.repeat = 2000, 100, 3

    with tempfile.TemporaryDirectory(prefix="shouwang-teaching-") as tmp:
        setup_django(Path(tmp))
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        started = time.perf_counter()
        print(
            f"a university of {args.people} students and {args.classes} teaching classes, "
            f"{ENROLMENTS_PER_STUDENT} each:"
        )
        university = build(args.people, args.classes)
        print(f"  set up in {time.perf_counter() - started:.1f} s")
        print(f"{machine()}; load average {loadavg()}")

        client = Client()
        client.force_login(university.leader)
        url = reverse("teaching:report")
        day = university.day.isoformat()
        week = (university.day - dt.timedelta(days=2)).isoformat()
        print(f"server time per request (the university's leader, {day}):")
        college_ms, _ = measure(
            client, "report, the university, a day", f"{url}?first={day}", args.repeat
        )
        unit_ms, _ = measure(
            client,
            "report, one college, a day",
            f"{url}?first={day}&unit={university.college_id}",
            args.repeat,
        )
        measure(
            client, "report, the university, a week", f"{url}?first={week}&last={day}", args.repeat
        )
        rate = trivial_rate(client, max(200, args.repeat * 20))
        print(
            f"  trivial view (/health/): {rate:,.0f} requests/s, {1000 / rate:.2f} ms each; "
            f"report / trivial {college_ms * rate / 1000:.0f}×"
        )
        whole = report_statements(university.day, university.day, None)
        half = report_statements(university.day, university.day, university.half_units)
        one = report_statements(university.day, university.day, university.college_units)
        print(
            f"statements of the report itself: university {whole}, half the classes {half}, "
            f"one college {one}"
        )
        if not whole == half == one:
            raise SystemExit("the report's query count grows with the classes")
        check(university)
        if args.profile:
            profile(university.day)
        slowest = max(college_ms, unit_ms)
        verdict = "met" if slowest < TARGET_MS else "NOT met"
        if args.people == 30_000:
            print(
                f"target: the report under {TARGET_MS:.0f} ms ({connection.vendor}): "
                f"university {college_ms:.1f} ms, one college {unit_ms:.1f} ms, {verdict}"
            )
        if args.smoke:
            print("smoke: the report's figures are right and its query count is constant")

    # The import on a fresh database of its own: its students are not the university's.
    print("the enrolment import (bench/teaching_import.py):", flush=True)
    command = [sys.executable, str(Path(__file__).with_name("teaching_import.py"))]
    subprocess.run([*command, *(["--smoke"] if args.smoke else [])], check=True)  # noqa: S603


if __name__ == "__main__":
    main()
