"""Careers' background work: checking and committing an employer list, and
the daily digest of new positions and fairs."""

from __future__ import annotations

from typing import cast

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from shouwang.accounts.models import User
from shouwang.core.jobs import background_job, run_job, running
from shouwang.core.models import BackgroundJob
from shouwang.core.scheduler import periodic
from shouwang.lib.spreadsheets import SpreadsheetError

from . import digest
from .access import runs_careers
from .employer_import import check_employers, commit_employers
from .models import EmployerImport


def _importer(record: EmployerImport) -> User:
    """Who uploaded the list, if they still run careers."""
    # core's uploader field names no model of ours: it is a User.
    user = cast(User | None, record.uploaded_by)
    if user is None or not runs_careers(user):
        raise SpreadsheetError(_("the file's uploader no longer runs careers"))
    return user


@background_job(gettext_lazy("Checking an employer list"), resumable=True)
@task()
def check_employer_import(job_id: int) -> None:
    """Read and validate an uploaded employer list, reporting progress as it goes."""
    job = BackgroundJob.claim(job_id)
    if job is None:
        return  # delivered twice, or given up before a worker came
    record = job.subject_as(EmployerImport)
    record.status = EmployerImport.Status.CHECKING
    record.save(update_fields=["status"])
    with running(job, failures=(SpreadsheetError,)) as progress, record.rows() as rows:
        record.record_check(check_employers(rows, progress))


@background_job(gettext_lazy("Committing an employer list"), resumable=True)
@task()
def commit_employer_import(job_id: int) -> None:
    """Commit a checked employer list, checked again: the database may have changed."""
    job = BackgroundJob.claim(job_id)
    if job is None:
        return
    record = job.subject_as(EmployerImport)
    with running(job, failures=(SpreadsheetError,)) as progress:
        user = _importer(record)
        with record.rows() as rows:
            check = check_employers(rows, progress)
        progress.say(_("Writing the employers and positions"))
        commit_employers(record, check, acting_user=user)


@periodic("0 18 * * *")
@background_job(gettext_lazy("Sending the day's position digests"), resumable=True)
@task()
def send_position_digests(job_id: int | None = None) -> int | None:
    """At 18:00 Beijing time, each graduate seeking work gets the day's new
    positions for their major and new fairs, in one message (keyed by day:
    a run resumed after its worker died sends only what is left)."""
    return run_job(job_id, lambda job, progress: digest.send_digests())
