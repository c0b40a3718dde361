"""The timetable and the enrolment list, imported from the academic-affairs
system's exports with the roster's rules (`shouwang.core.importing`): a
check that writes nothing and shows every bad row and every assumption, then
a commit that writes only what changed, so that the same file imported again
changes nothing.

The timetable (课程代码, 课程名称, 教学班, 教师工号, 上课时间, 地点, and
optionally 开课单位 and 学时) has a row per teaching class or per slot of it;
the rows of one class are merged. The enrolment list (教学班, 学号) has a row
per student of a class and runs to tens of thousands of rows: every number is
looked up in one query, before the first row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.core.importing import (
    Check,
    CheckWarning,
    Column,
    Columns,
    Header,
    Importer,
    ImportRecord,
    ParsedRow,
    RowError,
    RowWarning,
)
from shouwang.people.models import Person, Unit

from . import actions
from .actions import ClassRow, SlotRow
from .models import EnrolmentImport, TeachingClass, Term, TimetableImport
from .timetable import TimetableError, parse_time, slot_hours

Progress = Callable[[int, int], None]

TIMETABLE_COLUMNS = Columns(
    Column(
        "course_code", gettext_lazy("course code"), ("课程代码", "课程号", "课程编号", "课程编码")
    ),
    Column("course_name", gettext_lazy("course name"), ("课程名称", "课程名", "课程")),
    Column(
        "code",
        gettext_lazy("teaching class"),
        ("教学班", "教学班代码", "教学班号", "教学班名称", "选课课号", "教学班编号"),
    ),
    Column(
        "teachers",
        gettext_lazy("teacher numbers"),
        ("教师工号", "任课教师工号", "教工号", "工号", "教师编号"),
    ),
    Column("time", gettext_lazy("class time"), ("上课时间", "时间", "上课时间段")),
    Column("location", gettext_lazy("location"), ("地点", "上课地点", "教室", "上课教室")),
    Column("unit", gettext_lazy("offering unit"), ("开课单位", "开课学院", "开课院系", "开课部门")),
    Column("hours", gettext_lazy("planned hours"), ("学时", "总学时", "计划学时")),
    required=("course_code", "course_name", "code", "teachers", "time"),
    no_header=gettext_lazy(
        "no header row with 课程代码, 课程名称, 教学班, 教师工号 and 上课时间 in the first rows"
    ),
)

ENROLMENT_COLUMNS = Columns(
    Column(
        "code",
        gettext_lazy("teaching class"),
        ("教学班", "教学班代码", "教学班号", "教学班名称", "选课课号", "教学班编号"),
    ),
    Column("number", gettext_lazy("student number"), ("学号", "学生学号", "number")),
    Column("name", gettext_lazy("name (not read)"), ("姓名", "学生姓名", "name")),
    required=("code", "number"),
    no_header=gettext_lazy("no header row with 教学班 and 学号 in the first rows"),
)

# Teachers' numbers in one cell: "T1001,T1002", "T1001、T1002", "T1001 T1002".
_NUMBERS = re.compile(r"[,、;/\s]+")


# -- the timetable ---------------------------------------------------------


@dataclass(slots=True)
class TimetableRow:
    """One valid row of a timetable: a teaching class, or one slot of it."""

    row: int
    code: str
    course_code: str
    course_name: str
    unit_id: int | None
    teacher_ids: list[int]
    slots: list[SlotRow]
    hours: int | None


@dataclass
class _ClassSeen:
    """What the first row of a teaching class stated, for its other rows."""

    row: int
    course_code: str
    course_name: str
    unit_id: int | None
    hours: int | None
    slots: dict[tuple[int, int, str], tuple[int, SlotRow]] = field(default_factory=dict)


class TimetableImporter(Importer[TimetableRow]):
    """A timetable's rows checked against the people and units stored."""

    columns = TIMETABLE_COLUMNS

    def __init__(self, term: Term, units: frozenset[int] | None = None) -> None:
        self.term = term
        # The units whose classes the importing user may write (None: all).
        self.units = units
        self.classes: dict[str, _ClassSeen] = {}
        self.bad_codes: dict[str, int] = {}

    def begin(self, check: Check[TimetableRow], header: Header) -> None:
        self.teachers = {
            number: (pk, unit_id)
            for number, pk, unit_id in Person.objects.exclude(kind=Person.Kind.STUDENT)
            .order_by()
            .values_list("number", "pk", "unit_id")
        }
        self.unit_ids: dict[str, int] = {}
        for name, pk in Unit.objects.order_by("-pk").values_list("name", "pk"):
            self.unit_ids[name] = pk  # the oldest unit of a name wins

    def parse_row(self, row_number: int, values: dict[str, str]) -> ParsedRow[TimetableRow]:
        parsed: ParsedRow[TimetableRow] = ParsedRow()
        errors = parsed.errors

        def error(field_name: str, reason: str) -> None:
            errors.append(RowError(row_number, field_name, reason))

        code = values["code"]
        for key in ("code", "course_code", "course_name", "teachers", "time"):
            if not values[key]:
                error(key, _("missing"))
        teacher_ids, teacher_units = self._teachers(values["teachers"], error)
        slots = self._slots(values["time"], values["location"], error)
        hours = self._hours(values["hours"], error)
        unit_id = self._unit(values["unit"], teacher_units, error)
        if not values["unit"] and teacher_units:
            parsed.warnings.append(
                RowWarning(
                    row_number,
                    "unit_from_teacher",
                    _("row %(row)d (%(code)s)") % {"row": row_number, "code": code},
                )
            )
        if self.units is not None and not errors and unit_id not in self.units:
            error("unit", _("this teaching class's unit is not one whose teaching you oversee"))
        if not errors:
            self._compare(row_number, code, values, unit_id, hours, slots, errors)
        if errors:
            self.bad_codes.setdefault(code, row_number)
            return parsed
        weeks = self.term.weeks
        if any(week > weeks for slot in slots for week in slot.weeks):
            parsed.warnings.append(RowWarning(row_number, "weeks_past_term", f"{row_number}"))
        parsed.value = TimetableRow(
            row=row_number,
            code=code,
            course_code=values["course_code"],
            course_name=values["course_name"],
            unit_id=unit_id,
            teacher_ids=teacher_ids,
            slots=slots,
            hours=hours,
        )
        return parsed

    def _teachers(
        self, cell: str, error: Callable[[str, str], None]
    ) -> tuple[list[int], list[int | None]]:
        """The teachers' pks and units, in the cell's order."""
        teacher_ids: list[int] = []
        units: list[int | None] = []
        for number in _NUMBERS.split(cell):
            found = self.teachers.get(number) if number else None
            if number and found is None:
                error("teachers", _("no teacher with number %(number)s") % {"number": number})
            elif found is not None and found[0] not in teacher_ids:
                teacher_ids.append(found[0])
                units.append(found[1])
        return teacher_ids, units

    @staticmethod
    def _slots(time: str, location: str, error: Callable[[str, str], None]) -> list[SlotRow]:
        if not time:
            return []
        try:
            return parse_time(time, location)
        except TimetableError as exc:
            error("time", str(exc))
            return []

    def _unit(
        self, name: str, teacher_units: list[int | None], error: Callable[[str, str], None]
    ) -> int | None:
        """The offering unit named, else the first teacher's."""
        if not name:
            return teacher_units[0] if teacher_units else None
        unit_id = self.unit_ids.get(name)
        if unit_id is None:
            error("unit", _("no unit named %(name)s") % {"name": name})
        return unit_id

    @staticmethod
    def _hours(cell: str, error: Callable[[str, str], None]) -> int | None:
        if not cell:
            return None
        try:
            hours = int(float(cell))
        except ValueError:
            hours = -1
        if not 0 <= hours <= 1000:
            error("hours", _("“%(value)s” is not a number of hours") % {"value": cell})
            return None
        return hours

    def _compare(
        self,
        row_number: int,
        code: str,
        values: dict[str, str],
        unit_id: int | None,
        hours: int | None,
        slots: list[SlotRow],
        errors: list[RowError],
    ) -> None:
        """A later row of a class must say what its first row said, and may
        not put two different meetings in one slot."""
        seen = self.classes.get(code)
        if seen is None:
            seen = self.classes[code] = _ClassSeen(
                row_number, values["course_code"], values["course_name"], unit_id, hours
            )
        else:
            first = {"row": seen.row}
            for key, stated, now in (
                ("course_code", seen.course_code, values["course_code"]),
                ("course_name", seen.course_name, values["course_name"]),
                ("unit", seen.unit_id, unit_id),
            ):
                if stated != now:
                    errors.append(
                        RowError(
                            row_number,
                            key,
                            _("differs from row %(row)d of the same teaching class") % first,
                        )
                    )
            if hours is not None and seen.hours is not None and hours != seen.hours:
                errors.append(
                    RowError(
                        row_number,
                        "hours",
                        _("differs from row %(row)d of the same teaching class") % first,
                    )
                )
            if seen.hours is None:
                seen.hours = hours
        for slot in slots:
            when = (slot.weekday, slot.first_period, slot.weeks_text)
            stated_at = seen.slots.get(when)
            if stated_at is None:
                seen.slots[when] = (row_number, slot)
            elif stated_at[1] != slot:
                errors.append(
                    RowError(
                        row_number,
                        "time",
                        _("row %(row)d puts another meeting of this class at the same time")
                        % {"row": stated_at[0]},
                    )
                )

    def finish(self, check: Check[TimetableRow]) -> None:
        # A class with a bad row is left out whole: committing its other rows
        # would drop the bad row's slot and the lessons laid from it.
        if self.bad_codes:
            kept = []
            for row in check.rows:
                if row.code in self.bad_codes:
                    check.errors.append(
                        RowError(
                            row.row,
                            "code",
                            _("row %(row)d of this teaching class has errors")
                            % {"row": self.bad_codes[row.code]},
                        )
                    )
                else:
                    kept.append(row)
            check.rows = kept
        assumed = check.tally("unit_from_teacher")
        if assumed.count:
            check.warnings.append(
                CheckWarning(
                    "unit_from_teacher",
                    _(
                        "%(count)d rows name no offering unit (开课单位): each class is given "
                        "its first teacher's unit: %(rows)s"
                    )
                    % {"count": assumed.count, "rows": assumed.quoted()},
                )
            )
        stated = {row.code for row in check.rows if row.hours is not None}
        computed = [
            code for code in dict.fromkeys(row.code for row in check.rows) if code not in stated
        ]
        if computed:
            shown = "、".join(computed[:10])
            if len(computed) > 10:
                shown += " " + _("and %(count)d more") % {"count": len(computed) - 10}
            check.warnings.append(
                CheckWarning(
                    "hours_computed",
                    _(
                        "%(count)d teaching classes state no planned hours (学时): they are "
                        "computed from their slots and weeks: %(classes)s"
                    )
                    % {"count": len(computed), "classes": shown},
                )
            )
        past = check.tally("weeks_past_term")
        if past.count:
            check.warnings.append(
                CheckWarning(
                    "weeks_past_term",
                    _(
                        "%(count)d rows meet in weeks after the term's %(weeks)d weeks; no "
                        "lesson is laid in those weeks: rows %(rows)s"
                    )
                    % {"count": past.count, "weeks": self.term.weeks, "rows": past.quoted()},
                )
            )


def class_rows(rows: Iterable[TimetableRow]) -> list[ClassRow]:
    """The checked rows merged into one ClassRow per teaching class: the
    teachers and slots of all its rows, its planned hours as stated, else
    computed from its slots."""
    merged: dict[str, ClassRow] = {}
    stated: dict[str, int | None] = {}
    for row in rows:
        item = merged.get(row.code)
        if item is None:
            item = merged[row.code] = ClassRow(
                code=row.code,
                course_code=row.course_code,
                course_name=row.course_name,
                unit_id=row.unit_id,
                teacher_ids=[],
            )
            stated[row.code] = None
        item.teacher_ids.extend(pk for pk in row.teacher_ids if pk not in item.teacher_ids)
        item.slots.extend(slot for slot in row.slots if slot not in item.slots)
        if row.hours is not None:
            stated[row.code] = row.hours
    for code, item in merged.items():
        hours = stated[code]
        item.planned_hours = hours if hours is not None else slot_hours(item.slots)
    return list(merged.values())


def check_timetable(
    rows: Iterable[Sequence[Any]],
    term: Term,
    progress: Progress | None = None,
    units: frozenset[int] | None = None,
) -> Check[TimetableRow]:
    """Validate a timetable; nothing is written."""
    return TimetableImporter(term, units).check(rows, progress)


@transaction.atomic
def commit_timetable(
    record: TimetableImport, check: Check[TimetableRow], *, acting_user: Any
) -> dict[str, int]:
    """Save the checked classes (their lessons laid), and what changed on the record."""
    summary = actions.save_teaching_classes(
        record.term, class_rows(check.rows), acting_user=acting_user
    )
    _committed(record, check, summary)
    return summary


# -- the enrolment list ------------------------------------------------------


class EnrolmentImporter(Importer[tuple[str, int]]):
    """An enrolment list's rows: (teaching class code, student pk)."""

    columns = ENROLMENT_COLUMNS

    def __init__(self, term: Term, classes: Iterable[str]) -> None:
        self.term = term
        self.codes = set(classes)
        self.seen: set[tuple[str, int]] = set()

    def begin(self, check: Check[tuple[str, int]], header: Header) -> None:
        # Every number at once: one query, whatever the file's length.
        self.people = {
            number: (pk, kind)
            for number, pk, kind in Person.objects.order_by().values_list("number", "pk", "kind")
        }

    def parse_row(self, row_number: int, values: dict[str, str]) -> ParsedRow[tuple[str, int]]:
        parsed: ParsedRow[tuple[str, int]] = ParsedRow()
        code, number = values["code"], values["number"].replace(" ", "")
        if not code:
            parsed.errors.append(RowError(row_number, "code", _("missing")))
        elif code not in self.codes:
            parsed.errors.append(
                RowError(
                    row_number,
                    "code",
                    _("no teaching class %(code)s in term %(term)s")
                    % {"code": code, "term": self.term.name},
                )
            )
        person = self.people.get(number)
        if not number:
            parsed.errors.append(RowError(row_number, "number", _("missing")))
        elif person is None:
            parsed.errors.append(
                RowError(row_number, "number", _("no person with number %(n)s") % {"n": number})
            )
        elif person[1] != Person.Kind.STUDENT:
            parsed.errors.append(
                RowError(row_number, "number", _("%(n)s is not a student") % {"n": number})
            )
        if parsed.errors or person is None:
            return parsed
        pair = (code, person[0])
        if pair in self.seen:
            parsed.warnings.append(RowWarning(row_number, "duplicate", str(row_number)))
        else:
            self.seen.add(pair)
            parsed.value = pair
        return parsed

    def finish(self, check: Check[tuple[str, int]]) -> None:
        duplicates = check.tally("duplicate")
        if duplicates.count:
            check.warnings.append(
                CheckWarning(
                    "duplicate",
                    _(
                        "%(count)d rows repeat a student already listed for the same "
                        "teaching class; they are read once: rows %(rows)s"
                    )
                    % {"count": duplicates.count, "rows": duplicates.quoted()},
                )
            )


def check_enrolment(
    rows: Iterable[Sequence[Any]],
    term: Term,
    progress: Progress | None = None,
    classes: Iterable[str] | None = None,
) -> Check[tuple[str, int]]:
    """Validate an enrolment list against the term's classes (or the codes
    `classes`, those the importing user may write); nothing is written."""
    if classes is None:
        classes = TeachingClass.objects.filter(term=term).values_list("code", flat=True)
    return EnrolmentImporter(term, classes).check(rows, progress)


@transaction.atomic
def commit_enrolment(
    record: EnrolmentImport, check: Check[tuple[str, int]], *, acting_user: Any
) -> dict[str, int]:
    summary = actions.enrol(record.term, check.rows, acting_user=acting_user)
    _committed(record, check, summary)
    return summary


def _committed(record: ImportRecord, check: Check[Any], summary: dict[str, int]) -> None:
    # The counts shown are those of the check committed, which may differ from
    # the preview's if the database changed in between.
    fields = record.store_check(check)
    record.summary = summary
    record.status = ImportRecord.Status.COMMITTED
    record.committed_at = timezone.now()
    record.save(update_fields=[*fields, "summary", "status", "committed_at"])
