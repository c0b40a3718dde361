"""Questions about lessons that pages across the app ask."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from shouwang.people.models import Person

from .models import Attendance, Enrolment, Lesson, Period, Readiness, TeachingClass


def lessons_of_person(person_id: int | None, first: dt.date, last: dt.date) -> QuerySet[Lesson]:
    """The lessons a person attends or teaches from `first` to `last`, cancelled
    ones included (the page says so), in time order."""
    if person_id is None:
        return Lesson.objects.none()
    enrolled = Enrolment.objects.filter(
        teaching_class_id=OuterRef("teaching_class_id"), student_id=person_id
    )
    teaches = TeachingClass.teachers.through.objects.filter(
        teachingclass_id=OuterRef("teaching_class_id"), person_id=person_id
    )
    return (
        Lesson.objects.filter(Q(Exists(enrolled)) | Q(Exists(teaches)), date__range=(first, last))
        # The person's own lessons to teach, which the page offers to mark.
        .annotate(taught_by_person=Exists(teaches))
        .select_related("teaching_class")
        .order_by("date", "first_period", "pk")
    )


@dataclass(frozen=True)
class Times:
    """The college's periods (节次) as one read: when a lesson starts and ends."""

    starts: dict[int, dt.time]
    ends: dict[int, dt.time]

    @classmethod
    def read(cls) -> Times:
        periods = list(Period.objects.all())
        return cls(
            {period.number: period.starts for period in periods},
            {period.number: period.ends for period in periods},
        )

    def of(self, lesson: Lesson) -> tuple[dt.time | None, dt.time | None]:
        return self.starts.get(lesson.first_period), self.ends.get(lesson.last_period)


@dataclass(frozen=True)
class LessonRow:
    """A lesson as a day's list shows it: with its start and end times."""

    lesson: Lesson
    starts: dt.time | None
    ends: dt.time | None


def lesson_rows(lessons: Iterable[Lesson]) -> list[LessonRow]:
    """The lessons with their times; the periods are read only if there is a lesson."""
    lessons = list(lessons)
    if not lessons:
        return []
    times = Times.read()
    return [LessonRow(lesson, *times.of(lesson)) for lesson in lessons]


def days_of_person(person_id: int | None, first: dt.date, last: dt.date) -> list[LessonRow]:
    """A person's lessons from `first` to `last` with their times: two queries at most."""
    return lesson_rows(lessons_of_person(person_id, first, last))


def lessons_on(day: dt.date, units: Collection[int] | None) -> QuerySet[Lesson]:
    """The lessons dated `day` of the classes the units offer (every class for
    None), in time order, with what a list of them shows."""
    in_units = Q() if units is None else Q(teaching_class__unit_id__in=units)
    return (
        Lesson.objects.filter(in_units, date=day)
        .select_related("teaching_class__unit")
        .prefetch_related(
            Prefetch("teaching_class__teachers", queryset=Person.objects.only("pk", "name"))
        )
        .order_by("first_period", "teaching_class__course_name", "teaching_class__code", "pk")
    )


def status_counts(lessons: QuerySet[Lesson]) -> dict[str, int]:
    """How many of the lessons are held, scheduled and cancelled, in one query."""
    rows = lessons.order_by().values_list("status").annotate(n=Count("pk"))
    return dict(rows)


@dataclass(frozen=True)
class Taken:
    """A lesson's attendance as marked: every row, those present or late, those absent."""

    rows: int = 0
    attended: int = 0
    absent: int = 0

    @property
    def rate(self) -> float | None:
        """Present or late over every row, in per cent; None before attendance is taken."""
        return round(100 * self.attended / self.rows, 1) if self.rows else None


def attendance_taken(lesson_ids: Collection[int]) -> dict[int, Taken]:
    """Each lesson's attendance, in one query the `attendance_by_lesson` index answers."""
    attended = Q(status__in=[Attendance.Status.PRESENT, Attendance.Status.LATE])
    rows = (
        Attendance.objects.filter(lesson_id__in=lesson_ids)
        .order_by()
        .values("lesson_id")
        .annotate(
            rows=Count("student_id"),
            attended=Count("student_id", filter=attended),
            absent=Count("student_id", filter=Q(status=Attendance.Status.ABSENT)),
        )
    )
    return {row.pop("lesson_id"): Taken(**row) for row in rows}


def moved_q() -> Q:
    """A lesson held at another time than the timetable planned."""
    return Q(planned_date__isnull=False) & (
        ~Q(date=F("planned_date")) | ~Q(first_period=F("planned_period"))
    )


def delivery(teaching_class: TeachingClass) -> dict[str, int]:
    """计划不打折: planned hours against the hours of lessons held, and the
    lessons scheduled, held, cancelled and moved, in one query."""
    held = Q(status=Lesson.Status.HELD)
    counts = teaching_class.lessons.aggregate(
        lessons=Count("pk"),
        scheduled=Count("pk", filter=Q(status=Lesson.Status.SCHEDULED)),
        held=Count("pk", filter=held),
        cancelled=Count("pk", filter=Q(status=Lesson.Status.CANCELLED)),
        moved=Count("pk", filter=moved_q() & ~Q(status=Lesson.Status.CANCELLED)),
        delivered_hours=Sum(F("last_period") - F("first_period") + 1, filter=held),
    )
    counts["delivered_hours"] = counts["delivered_hours"] or 0
    counts["planned_hours"] = teaching_class.planned_hours
    return counts


def with_delivered_hours(classes: QuerySet[TeachingClass]) -> QuerySet[TeachingClass]:
    """Each class with its students' count and the hours of its lessons held."""
    held = (
        Lesson.objects.filter(teaching_class_id=OuterRef("pk"), status=Lesson.Status.HELD)
        .order_by()
        .values("teaching_class_id")
        .annotate(total=Sum(F("last_period") - F("first_period") + 1))
        .values("total")
    )
    students = (
        Enrolment.objects.filter(teaching_class_id=OuterRef("pk"))
        .order_by()
        .values("teaching_class_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return classes.annotate(
        delivered_hours=Coalesce(Subquery(held), 0),
        student_count=Coalesce(Subquery(students), 0),
    )


@dataclass(frozen=True)
class Absentee:
    """A student absent from two lessons or more in a week, with those lessons."""

    student: Person
    lessons: list[Lesson]


# Absent from this many lessons in a week: the counsellor should know.
ABSENCES_TO_LIST = 2


def absent_twice(students: QuerySet[Person] | Iterable[int], week_start: dt.date) -> list[Absentee]:
    """The students (a queryset or ids) absent from two lessons or more in the
    week from `week_start`, each with the lessons missed, by class and name.
    One query: the absences of those with two, the count a subquery."""
    week = (week_start, week_start + dt.timedelta(days=6))
    ids = students.values("pk") if isinstance(students, QuerySet) else list(students)
    absent = Attendance.objects.filter(
        status=Attendance.Status.ABSENT, lesson__date__range=week
    ).exclude(lesson__status=Lesson.Status.CANCELLED)
    twice = (
        absent.filter(student_id__in=ids)
        .order_by()
        .values("student_id")
        .annotate(missed=Count("pk"))
        .filter(missed__gte=ABSENCES_TO_LIST)
        .values("student_id")
    )
    rows = (
        absent.filter(student_id__in=twice)
        .select_related("student__admin_class", "lesson__teaching_class")
        .order_by(
            "student__admin_class__name", "student__number", "lesson__date", "lesson__first_period"
        )
    )
    result: dict[int, Absentee] = {}
    for row in rows:
        entry = result.setdefault(row.student_id, Absentee(row.student, []))
        entry.lessons.append(row.lesson)
    return list(result.values())


def needs_readiness(person_id: int | None, day: dt.date) -> bool:
    """Whether a student has teaching online by `day` and has not said yet
    whether they can attend it."""
    if person_id is None:
        return False
    answered = Readiness.objects.filter(person_id=person_id)
    return (
        Enrolment.objects.filter(student_id=person_id, teaching_class__online_from__lte=day)
        .filter(~Exists(answered))
        .exists()
    )


def taught_class_ids(person_id: int | None) -> set[int]:
    """The teaching classes a person teaches, as ids."""
    if person_id is None:
        return set()
    return set(
        TeachingClass.teachers.through.objects.filter(person_id=person_id).values_list(
            "teachingclass_id", flat=True
        )
    )
