"""Questions about lessons that pages across the app ask."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

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
