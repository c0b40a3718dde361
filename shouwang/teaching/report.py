"""The daily online-teaching report (线上教学运行日报): for a date or a range of
dates, per offering unit and for the college, what was planned and what was
delivered.

What each figure counts, for the lessons of the teaching classes in scope:

- planned: lessons the timetable put in the range (`planned_date` in it),
  wherever they were moved to; make-up lessons are not planned;
- held, cancelled: lessons dated in the range with that status (make-ups held
  count as held);
- moved: planned in the range and now at another date or first period;
- classes online: teaching classes with at least one lesson held online in
  the range; teachers online: the distinct teachers assigned to those classes;
  students involved: the distinct students enrolled in them (the seed's "59
  teachers, 997 students and 24 teaching classes");
- attendance rate: present or late over every attendance row of the lessons
  dated in the range;
- absent twice: students with two or more lessons marked absent in the range
  (a unit's row counts that unit's lessons only, so a student absent once in
  two units is absent twice for the college and in neither unit's row);
- problems reported: students involved whose readiness answer says no device
  or a poor network. Cancelled lessons are listed apart with their reasons
  (`cancelled_lessons`), not added into one number that would mean nothing.

Everything is counted in the database, grouped by unit: a fixed number of
queries whatever the number of classes (see `tests/test_report.py`).
Per-unit counts of people do not add up to the college's: a teacher teaching
for two units is one teacher of the college, so the college's totals are
counted on their own. A class with no offering unit (an import always gives
one) counts in the college's figures, but its row shows no students.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from shouwang.people.models import Unit

from .models import Attendance, Enrolment, Lesson, Readiness, TeachingClass

# Cancelled lessons listed with their reasons, at most.
CANCELLED_SHOWN = 50
UNIT = "teaching_class__unit_id"
LESSON_UNIT = "lesson__teaching_class__unit_id"


@dataclass
class Figures:
    """One row of the report: a unit's, or the college's total."""

    planned: int = 0
    held: int = 0
    moved: int = 0
    cancelled: int = 0
    classes_online: int = 0
    teachers_online: int = 0
    students_involved: int = 0
    attendance_rows: int = 0
    attended: int = 0
    absent_twice: int = 0
    problems: int = 0

    @property
    def attendance_rate(self) -> float | None:
        """Present or late over all attendance rows, in per cent; None without rows."""
        if not self.attendance_rows:
            return None
        return round(100 * self.attended / self.attendance_rows, 1)


@dataclass
class UnitRow:
    unit_id: int | None
    name: str
    # The college (or department) the unit belongs to, which the rows are grouped by.
    group: str
    figures: Figures = field(default_factory=Figures)


@dataclass
class Report:
    first: dt.date
    last: dt.date
    rows: list[UnitRow]
    total: Figures
    cancelled_lessons: list[Lesson]

    @property
    def seed_sentence(self) -> str:
        return _(
            "%(teachers)d teachers, %(students)d students and %(classes)d teaching classes "
            "took part in online teaching."
        ) % {
            "teachers": self.total.teachers_online,
            "students": self.total.students_involved,
            "classes": self.total.classes_online,
        }


# The figures that add up over units (each lesson, attendance row and class
# belongs to one unit); the others are counted for the college apart.
ADDITIVE = (
    "planned",
    "held",
    "moved",
    "cancelled",
    "classes_online",
    "attendance_rows",
    "attended",
)


def _in_scope(units: Collection[int] | None, path: str = "") -> Q:
    return Q() if units is None else Q(**{f"{path}unit_id__in": units})


def _count(query: QuerySet[Any]) -> Subquery:
    return Subquery(query.values("n"), output_field=IntegerField())


def online_classes(
    first: dt.date, last: dt.date, units: Collection[int] | None
) -> QuerySet[TeachingClass]:
    """The teaching classes with a lesson held online in the range."""
    held_online = Lesson.objects.filter(
        teaching_class_id=OuterRef("pk"),
        online=True,
        status=Lesson.Status.HELD,
        date__range=(first, last),
    )
    return TeachingClass.objects.filter(_in_scope(units), Exists(held_online))


class _Counter:
    """The figures of each unit, filled in by one grouped query per kind of figure."""

    def __init__(self, first: dt.date, last: dt.date, units: Collection[int] | None):
        self.first, self.last, self.units = first, last, units
        self.by_unit: dict[int | None, Figures] = {}
        self.total = Figures()

    def figures(self, unit_id: int | None) -> Figures:
        return self.by_unit.setdefault(unit_id, Figures())

    def lessons(self) -> None:
        moved = Q(planned_date__isnull=False) & (
            ~Q(date=F("planned_date")) | ~Q(first_period=F("planned_period"))
        )
        planned = Q(planned_date__range=(self.first, self.last))
        dated = Q(date__range=(self.first, self.last))
        rows = (
            Lesson.objects.filter(_in_scope(self.units, "teaching_class__"))
            .filter(planned | dated)
            .order_by()
            .values(UNIT)
            .annotate(
                planned=Count("pk", filter=planned),
                held=Count("pk", filter=dated & Q(status=Lesson.Status.HELD)),
                cancelled=Count("pk", filter=dated & Q(status=Lesson.Status.CANCELLED)),
                moved=Count("pk", filter=planned & moved),
            )
        )
        for row in rows:
            target = self.figures(row[UNIT])
            for name in ("planned", "held", "cancelled", "moved"):
                setattr(target, name, row[name])

    def attendance(self) -> QuerySet[Attendance]:
        """The attendance rows and rate; returns the absences, for `absent_twice`."""
        rows = Attendance.objects.filter(
            _in_scope(self.units, "lesson__teaching_class__"),
            lesson__date__range=(self.first, self.last),
        ).order_by()
        attended = Q(status__in=[Attendance.Status.PRESENT, Attendance.Status.LATE])
        # Counting student_id, not id: the attendance_by_lesson index answers alone.
        counts = rows.values(LESSON_UNIT).annotate(
            rows=Count("student_id"), attended=Count("student_id", filter=attended)
        )
        for row in counts:
            target = self.figures(row[LESSON_UNIT])
            target.attendance_rows, target.attended = row["rows"], row["attended"]
        return rows.filter(status=Attendance.Status.ABSENT)

    def absent_twice(self, absences: QuerySet[Attendance]) -> None:
        twice = Counter(
            unit_id
            for unit_id, _student in absences.values(LESSON_UNIT, "student_id")
            .annotate(absences=Count("*"))
            .filter(absences__gte=2)
            .values_list(LESSON_UNIT, "student_id")
        )
        for unit_id, count in twice.items():
            self.figures(unit_id).absent_twice = count
        self.total.absent_twice = (
            absences.values("student_id")
            .annotate(absences=Count("*"))
            .filter(absences__gte=2)
            .count()
        )

    def online(self) -> None:
        """Classes, teachers and students online, and students with problems."""
        online = online_classes(self.first, self.last, self.units)
        for row in online.order_by().values("unit_id").annotate(classes=Count("pk")):
            self.figures(row["unit_id"]).classes_online = row["classes"]

        teachers = TeachingClass.teachers.through.objects.filter(
            teachingclass__in=online.values("pk")
        ).order_by()
        by_unit = teachers.values("teachingclass__unit_id").annotate(
            teachers=Count("person_id", distinct=True)
        )
        for row in by_unit:
            self.figures(row["teachingclass__unit_id"]).teachers_online = row["teachers"]
        self.total.teachers_online = teachers.values("person_id").distinct().count()

        # Students with a problem: a hashed IN over the few who reported one.
        problem = Readiness.objects.filter(Q(no_device=True) | Q(poor_network=True))
        with_problem = Q(student_id__in=problem.values("person_id"))
        enrolments = Enrolment.objects.filter(teaching_class__in=online.values("pk")).order_by()
        # Per unit, each unit's students counted apart (a small sort each)
        # rather than one large sort of every enrolment by unit.
        of_unit = enrolments.filter(teaching_class__unit_id=OuterRef("pk")).values(UNIT)
        units = Unit.objects.filter(pk__in=online.values("unit_id")).annotate(
            students=_count(of_unit.annotate(n=Count("student_id", distinct=True))),
            problems=_count(
                of_unit.annotate(n=Count("student_id", distinct=True, filter=with_problem))
            ),
        )
        for pk, students, problems in units.values_list("pk", "students", "problems"):
            target = self.figures(pk)
            target.students_involved, target.problems = students or 0, problems or 0
        # The college's: each student once (a hashed DISTINCT, no sort), then
        # those of them with a problem.
        college = (
            enrolments.values("student_id")
            .distinct()
            .aggregate(
                students=Count("student_id"), problems=Count("student_id", filter=with_problem)
            )
        )
        self.total.students_involved, self.total.problems = college["students"], college["problems"]

    def add_up(self) -> None:
        for unit_figures in self.by_unit.values():
            for name in ADDITIVE:
                setattr(self.total, name, getattr(self.total, name) + getattr(unit_figures, name))


def build(first: dt.date, last: dt.date, units: Collection[int] | None) -> Report:
    """The report for `first`..`last` over the teaching classes of `units`
    (None: every unit). Eleven queries, however many classes."""
    counter = _Counter(first, last, units)
    counter.lessons()
    counter.absent_twice(counter.attendance())
    counter.online()
    counter.add_up()
    cancelled = Lesson.objects.filter(
        _in_scope(units, "teaching_class__"),
        date__range=(first, last),
        status=Lesson.Status.CANCELLED,
    ).select_related("teaching_class")
    return Report(
        first=first,
        last=last,
        rows=_rows(counter.by_unit),
        total=counter.total,
        cancelled_lessons=list(cancelled[:CANCELLED_SHOWN]),
    )


def _rows(by_unit: dict[int | None, Figures]) -> list[UnitRow]:
    """The units' rows, grouped by the college (or department) each belongs to."""
    units = {
        unit.pk: unit
        for unit in Unit.objects.filter(pk__in=[pk for pk in by_unit if pk]).select_related(
            "parent"
        )
    }
    rows = []
    for unit_id, unit_figures in by_unit.items():
        unit = units.get(unit_id) if unit_id else None
        if unit is None:
            rows.append(UnitRow(None, _("no offering unit"), "", unit_figures))
            continue
        is_top = unit.parent is None or unit.kind in (Unit.Kind.COLLEGE, Unit.Kind.UNIVERSITY)
        group = unit.name if is_top or unit.parent is None else unit.parent.name
        rows.append(UnitRow(unit.pk, unit.name, group, unit_figures))
    rows.sort(key=lambda row: (row.unit_id is None, row.group, row.name))
    return rows


def headers() -> list[str]:
    return [
        _("unit"),
        _("lessons planned"),
        _("held"),
        _("moved"),
        _("cancelled"),
        _("teachers online"),
        _("students involved"),
        _("teaching classes online"),
        _("attendance rate (%)"),
        _("absent twice"),
        _("students without a device or with a poor network"),
    ]


def _cells(name: str, figures: Figures) -> list[Any]:
    return [
        name,
        figures.planned,
        figures.held,
        figures.moved,
        figures.cancelled,
        figures.teachers_online,
        figures.students_involved,
        figures.classes_online,
        figures.attendance_rate if figures.attendance_rate is not None else "",
        figures.absent_twice,
        figures.problems,
    ]


def sheet_rows(report: Report) -> list[list[Any]]:
    """The export's rows: each unit (under its college's name), then the total."""
    rows = [
        _cells(f"{row.group} / {row.name}" if row.group != row.name else row.name, row.figures)
        for row in report.rows
    ]
    rows.append(_cells(_("total"), report.total))
    return rows
