"""A fair room's attendance from the meeting platform's export: checked,
previewed with the rows no graduate was found for, committed.

The file is read by `shouwang.core.attendance_files` (腾讯会议's 参会成员明细,
钉钉, 学习通) against the graduates' numbers: a graduate is found by the number
column or by their number in the nickname they joined under ("2018010215张三").
Committing counts each graduate found once in the room
(`actions.record_participations`, source: the attendance export): one already
counted by the room's code, or by another file of the room, stays counted once.
Both steps run as background jobs (`tasks_fairs`); the commit reads the file
again, since graduates may have been added since the check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shouwang.core import audit
from shouwang.core.attendance_files import Match, check_upload
from shouwang.core.importing import Check
from shouwang.core.jobs import Progress
from shouwang.lib import clock
from shouwang.people.models import Person

from . import actions
from .audit import CareersEvent
from .models import FairAttendanceImport, Participation

if TYPE_CHECKING:
    from shouwang.accounts.models import User

S = FairAttendanceImport.Status


def graduates_numbers() -> dict[str, int]:
    """Every graduate's number and person: whom a room's file may find."""
    return dict(
        Person.objects.filter(graduate__isnull=False).order_by().values_list("number", "pk")
    )


def _read(item: FairAttendanceImport, progress: Progress | None) -> tuple[Check[Any], Match]:
    return check_upload(item, graduates_numbers(), progress)


def check(item: FairAttendanceImport, progress: Progress | None = None) -> None:
    """Read the uploaded file and keep what it found on the record, to preview.
    A file that is no attendance export raises SpreadsheetError (the job fails
    with the reason)."""
    found_check, found = _read(item, progress)
    fields = item.store_check(found_check)
    item.summary = found.summary()
    item.status = S.CHECKED
    item.save(update_fields=[*fields, "summary", "status"])


@transaction.atomic
def commit(
    item: FairAttendanceImport, progress: Progress | None = None, *, acting_user: User | None
) -> int:
    """Count every graduate the file finds in its room; returns how many were
    new there. Refused if the file is not checked or being committed (a
    second commit of the same import writes nothing)."""
    moved = FairAttendanceImport.objects.filter(
        pk=item.pk, status__in=(S.CHECKED, S.COMMITTING)
    ).update(status=S.COMMITTING)
    if not moved:
        raise ValidationError(_("This import is not waiting to be committed."))
    found_check, found = _read(item, progress)
    room = item.room
    new = actions.record_participations(room, found.minutes, Participation.Source.ATTENDANCE)
    fields = item.store_check(found_check)
    item.summary = {**found.summary(), "new": new}
    item.status, item.committed_at = S.COMMITTED, clock.now()
    item.save(update_fields=[*fields, "summary", "status", "committed_at"])
    audit.record(
        CareersEvent.ATTENDANCE_IMPORTED,
        room.fair,
        acting_user=acting_user,
        room=room.pk,
        employer=room.employer.name,
        file=item.filename,
        found=len(found.minutes),
        new=new,
    )
    return new
