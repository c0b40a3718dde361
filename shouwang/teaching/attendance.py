"""A lesson's attendance from the platform's export: checked, previewed,
committed, and its unmatched rows resolved by the teacher.

The file is read by `shouwang.core.attendance_files` against the class's
students' numbers. A lesson's export is a few hundred rows at most, so it is
checked while the teacher waits, and the preview (who was found, for how
long, what they will be marked) is kept on the record: committing writes
what the teacher saw. Every enrolled student is marked: present or late by
the share of the lesson they stayed, absent if the file does not name them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from shouwang.core.attendance_files import Match, State, match, read
from shouwang.lib import clock
from shouwang.lib.spreadsheets import SpreadsheetError
from shouwang.people.models import Person

from . import actions
from .actions import LessonError
from .models import Attendance, AttendanceImport, Enrolment, Lesson
from .queries import Times

if TYPE_CHECKING:
    from shouwang.accounts.models import User

# A student who stayed three quarters of the lesson attended it: the
# platforms count from the moment the app connects, and a lesson's first and
# last minutes go to a teacher starting late or a dropped connection.
PRESENT_SHARE = 0.75
# Half of it or more: there, but late (or gone early). Less: absent.
LATE_SHARE = 0.5
# A lesson whose periods have no times in the college's settings.
MINUTES_PER_PERIOD = 45

S = Attendance.Status
# A sign-in export's states as attendance.
_SIGN_IN = {State.PRESENT: S.PRESENT, State.LATE: S.LATE, State.LEAVE: S.EXCUSED}


def lesson_minutes(lesson: Lesson, times: Times | None = None) -> int:
    """How long a lesson lasts, from its first period's start to its last's end."""
    starts, ends = (times or Times.read()).of(lesson)
    if starts and ends and ends > starts:
        return (ends.hour * 60 + ends.minute) - (starts.hour * 60 + starts.minute)
    return lesson.hours * MINUTES_PER_PERIOD


def status_for(minutes: int | None, state: str, length: int) -> str:
    """What a student found in the file is marked: by the share of the
    lesson they stayed, or as a sign-in export says."""
    if minutes is None:
        return _SIGN_IN.get(state, S.PRESENT)
    if state == State.LEAVE:
        return S.EXCUSED
    if minutes >= length * PRESENT_SHARE:
        return S.PRESENT
    if minutes >= length * LATE_SHARE:
        return S.LATE
    return S.ABSENT


def enrolled(lesson: Lesson) -> list[Person]:
    """The lesson's class's students, by number."""
    return list(
        Person.objects.filter(
            pk__in=Enrolment.objects.filter(teaching_class_id=lesson.teaching_class_id).values(
                "student_id"
            )
        ).order_by("number")
    )


def check_file(item: AttendanceImport) -> None:
    """Read the uploaded file against the class's students and keep what it
    found on the record (failed, with the reason, if it is no such file)."""
    students = enrolled(item.lesson)
    numbers = {student.number: student.pk for student in students}
    try:
        with item.rows() as rows:
            check = read(rows, numbers)
    except SpreadsheetError as exc:
        item.status, item.failure = AttendanceImport.Status.FAILED, str(exc)
        item.save(update_fields=["status", "failure"])
        return
    found: Match = match(check.rows, numbers)
    item.unmatched = [row.as_dict() for row in found.unmatched]
    item.summary = {
        "matched": {str(pk): minutes for pk, minutes in found.minutes.items()},
        "states": {str(pk): state for pk, state in found.states.items()},
    }
    fields = item.store_check(check)
    item.status = AttendanceImport.Status.CHECKED
    item.save(update_fields=[*fields, "status", "unmatched", "summary"])


@dataclass(frozen=True)
class Planned:
    """One enrolled student in a preview: the minutes found and the status."""

    student: Person
    minutes: int | None
    status: str
    found: bool

    @property
    def status_label(self) -> str:
        return str(S(self.status).label)


def planned(item: AttendanceImport) -> list[Planned]:
    """Every enrolled student and what committing will mark them (once
    committed, what is recorded: rows resolved by hand included). One the
    file does not find is absent, unless already marked on leave: leave is
    given before the lesson, and no platform knows of it."""
    matched = item.summary.get("matched", {})
    states = item.summary.get("states", {})
    resolved = {entry["student"] for entry in item.summary.get("resolved", [])}
    length = lesson_minutes(item.lesson)
    recorded = {
        student: (status, minutes)
        for student, status, minutes in item.lesson.attendances.values_list(
            "student_id", "status", "minutes"
        )
    }
    committed = item.status == AttendanceImport.Status.COMMITTED
    result = []
    for student in enrolled(item.lesson):
        key = str(student.pk)
        found = key in matched or student.pk in resolved
        if committed and student.pk in recorded:
            status, minutes = recorded[student.pk]
            result.append(Planned(student, minutes, status, found))
        elif key in matched:
            minutes = matched[key]
            status = status_for(minutes, states.get(key, State.PRESENT), length)
            result.append(Planned(student, minutes, status, True))
        elif recorded.get(student.pk, ("", None))[0] == S.EXCUSED:
            result.append(Planned(student, None, S.EXCUSED, False))
        else:
            result.append(Planned(student, None, S.ABSENT, False))
    return result


@transaction.atomic
def commit(item: AttendanceImport, *, acting_user: User) -> int:
    """Mark every enrolled student as the preview says; False-y (0) and
    nothing written if the import is not waiting to be committed (a double
    click commits once). Returns the rows written."""
    moved = AttendanceImport.objects.filter(
        pk=item.pk, status=AttendanceImport.Status.CHECKED
    ).update(status=AttendanceImport.Status.COMMITTING)
    if not moved:
        raise LessonError(_("This import is not waiting to be committed."))
    rows = planned(item)
    written = actions.record_attendance(
        item.lesson,
        {row.student.pk: (row.status, row.minutes) for row in rows},
        source=Attendance.Source.IMPORTED,
        acting_user=acting_user,
    )
    counts = {status: sum(row.status == status for row in rows) for status in S.values}
    item.summary = {**item.summary, "written": written, "counts": counts}
    item.status, item.committed_at = AttendanceImport.Status.COMMITTED, clock.now()
    item.save(update_fields=["summary", "status", "committed_at"])
    return written


@transaction.atomic
def resolve(item: AttendanceImport, row: int, student: Person, *, acting_user: User) -> None:
    """The teacher says whose an unmatched row is: that student is present,
    with the row's minutes, and the row leaves the list."""
    item = AttendanceImport.objects.select_for_update().get(pk=item.pk)
    if item.status != AttendanceImport.Status.COMMITTED:
        raise LessonError(_("Commit the file before resolving its rows."))
    entry = next((entry for entry in item.unmatched if entry["row"] == row), None)
    if entry is None:
        raise LessonError(_("This row is resolved already."))
    actions.record_attendance(
        item.lesson,
        {student.pk: (S.PRESENT, entry.get("minutes"))},
        source=Attendance.Source.IMPORTED,
        acting_user=acting_user,
    )
    item.unmatched = [other for other in item.unmatched if other["row"] != row]
    resolved = [*item.summary.get("resolved", []), {**entry, "student": student.pk}]
    item.summary = {**item.summary, "resolved": resolved}
    item.save(update_fields=["unmatched", "summary"])
