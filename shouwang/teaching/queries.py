"""Questions about lessons that pages across the app ask."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from .models import Enrolment, Lesson, Period, TeachingClass


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
