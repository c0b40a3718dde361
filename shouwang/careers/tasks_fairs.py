"""The background jobs of a fair room's attendance file: its check and its
commit (the import pipeline's, as `shouwang.people.tasks` runs the roster's)."""

from typing import cast

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from shouwang.accounts.models import User
from shouwang.core.jobs import background_job, running
from shouwang.core.models import BackgroundJob
from shouwang.lib.spreadsheets import SpreadsheetError

from . import fair_attendance
from .models import FairAttendanceImport


@background_job(gettext_lazy("Checking a fair room's attendance file"), resumable=True)
@task()
def check_fair_attendance(job_id: int) -> None:
    """Read the platform's export and find the graduates in it."""
    job = BackgroundJob.claim(job_id)
    if job is None:
        return  # delivered twice, or given up before a worker came
    item = job.subject_as(FairAttendanceImport)
    item.status = FairAttendanceImport.Status.CHECKING
    item.save(update_fields=["status"])
    with running(job, failures=(SpreadsheetError,)) as progress:
        fair_attendance.check(item, progress)


@background_job(gettext_lazy("Committing a fair room's attendance file"), resumable=True)
@task()
def commit_fair_attendance(job_id: int) -> None:
    """Count the graduates the file finds in its room, the file read again."""
    job = BackgroundJob.claim(job_id)
    if job is None:
        return
    item = job.subject_as(FairAttendanceImport)
    with running(job, failures=(SpreadsheetError, ValidationError)) as progress:
        progress.say(_("Counting the graduates in the room"))
        # Who pressed commit; core's field names no model of ours: it is a User.
        fair_attendance.commit(item, progress, acting_user=cast(User | None, job.started_by))
