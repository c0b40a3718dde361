"""A session's attendance from the meeting platform's export: checked as a
job, previewed (who was found, for how long, whether that counts, and the
rows that found nobody), committed as a job.

The file is read by `shouwang.core.attendance_files` against the numbers of
the students the activity is open to (`queries.eligible_students`): a forum
for the whole college expects the whole college. The check keeps what it
found on the record, and committing writes what the organiser saw: one
attendance per student per session, a second file of the same session
keeping each student's longer stay, so that importing a file again changes
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shouwang.core import audit
from shouwang.core.attendance_files import check_upload
from shouwang.core.importing import Progress
from shouwang.lib import clock
from shouwang.people.models import Person

from .audit import ActivitiesEvent
from .models import Attendance, AttendanceImport, Session
from .queries import ATTENDED_SHARE, eligible_students

if TYPE_CHECKING:
    from shouwang.accounts.models import User


def expected(session: Session) -> dict[str, int]:
    """{number: person pk} of the students the session's activity is open to."""
    return dict(eligible_students(session.activity).values_list("number", "pk"))


def check_file(item: AttendanceImport, progress: Progress | None = None) -> None:
    """Read the uploaded file (a SpreadsheetError if it is no such file) and
    keep on the record who it found and the rows that found nobody."""
    check, found = check_upload(item, expected(item.session), progress)
    item.summary = found.summary()
    fields = item.store_check(check)
    item.status = AttendanceImport.Status.CHECKED
    item.save(update_fields=[*fields, "status", "summary"])


def counts(minutes: int | None, session: Session) -> bool:
    """Whether a stay makes a student take part: half the session, or a
    sign-in that gives no minutes."""
    return minutes is None or minutes * ATTENDED_SHARE >= session.minutes


@dataclass(frozen=True)
class Found:
    """One student the file found: the minutes and whether they count."""

    student: Person
    minutes: int | None
    counts: bool


def found(item: AttendanceImport) -> list[Found]:
    """The students the file found, by number, with their minutes."""
    matched = item.summary.get("matched", {})
    students = Person.objects.filter(pk__in=[int(pk) for pk in matched]).order_by("number")
    return [
        Found(student, matched[str(student.pk)], counts(matched[str(student.pk)], item.session))
        for student in students
    ]


@transaction.atomic
def commit(item: AttendanceImport, *, acting_user: User) -> dict[str, int]:
    """Record the checked file's attendance: a new row for each student
    found, a longer stay for one recorded already; nothing twice. Raises
    ValidationError if the file is not waiting to be committed."""
    moved = AttendanceImport.objects.filter(
        pk=item.pk, status__in=(AttendanceImport.Status.CHECKED, AttendanceImport.Status.COMMITTING)
    ).update(status=AttendanceImport.Status.COMMITTING)
    if not moved:
        raise ValidationError(_("This import is not waiting to be committed."))
    matched = {int(pk): minutes for pk, minutes in item.summary.get("matched", {}).items()}
    recorded = {
        row.person_id: row
        for row in Attendance.objects.select_for_update().filter(
            session=item.session, person_id__in=matched
        )
    }
    created, updated = [], []
    for person_id, minutes in matched.items():
        row = recorded.get(person_id)
        if row is None:
            created.append(Attendance(session=item.session, person_id=person_id, minutes=minutes))
        elif row.minutes is not None and (minutes is None or minutes > row.minutes):
            row.minutes = minutes
            updated.append(row)
    Attendance.objects.bulk_create(created, ignore_conflicts=True)
    Attendance.objects.bulk_update(updated, ["minutes"])
    written = {
        "created": len(created),
        "updated": len(updated),
        "unchanged": len(matched) - len(created) - len(updated),
    }
    item.summary = {**item.summary, **written}
    item.status, item.committed_at = AttendanceImport.Status.COMMITTED, clock.now()
    item.save(update_fields=["summary", "status", "committed_at"])
    audit.record(
        ActivitiesEvent.ATTENDANCE_IMPORTED,
        item.session.activity,
        acting_user=acting_user,
        session=item.session_id,
        file=item.filename,
        created=written["created"],
        updated=written["updated"],
    )
    return written
