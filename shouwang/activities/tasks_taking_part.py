"""A session's attendance file, checked and committed as background jobs."""

from __future__ import annotations

from typing import cast

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from shouwang.accounts.models import User
from shouwang.core.jobs import background_job, running
from shouwang.core.models import BackgroundJob
from shouwang.lib.spreadsheets import SpreadsheetError

from . import attendance
from .access import runs
from .models import AttendanceImport


class Refused(Exception):
    """The file cannot be committed; the text says why."""


def _importer(item: AttendanceImport) -> User:
    """Who uploaded the file, if they still run its activity."""
    # core's uploader field names no model of ours: it is a User.
    user = cast(User | None, item.uploaded_by)
    if user is None or not runs(user, item.session.activity):
        raise Refused(_("the file's uploader no longer runs this activity"))
    return user


@background_job(gettext_lazy("Checking a session's attendance file"), resumable=True)
@task()
def check_session_attendance(job_id: int) -> None:
    job = BackgroundJob.claim(job_id)
    if job is None:
        return  # delivered twice, or given up before a worker came
    item = job.subject_as(AttendanceImport)
    item.status = AttendanceImport.Status.CHECKING
    item.save(update_fields=["status"])
    with running(job, failures=(SpreadsheetError,)) as progress:
        attendance.check_file(item, progress)


@background_job(gettext_lazy("Recording a session's attendance"), resumable=True)
@task()
def commit_session_attendance(job_id: int) -> None:
    job = BackgroundJob.claim(job_id)
    if job is None:
        return
    item = job.subject_as(AttendanceImport)
    with running(job, failures=(Refused,)) as progress:
        user = _importer(item)
        progress.say(_("Recording the attendance"))
        try:
            attendance.commit(item, acting_user=user)
        except ValidationError as exc:
            raise Refused(exc.messages[0]) from exc
