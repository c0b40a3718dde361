"""The work plan's background and periodic tasks."""

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

from . import reminders
from .access import leads
from .imports import check_outline, commit_outline
from .models import PlanImport


def _importer(record: PlanImport) -> User:
    """Who uploaded the outline, if they still lead its plan."""
    # core's uploader field names no model of ours: it is a User.
    user = cast(User | None, record.uploaded_by)
    if user is None or not leads(user, record.plan):
        raise SpreadsheetError(_("the file's uploader no longer leads this plan"))
    return user


@background_job(gettext_lazy("Checking a plan's outline"), resumable=True)
@task()
def check_plan_import(job_id: int) -> None:
    """Read and validate an uploaded outline, reporting progress as it goes."""
    job = BackgroundJob.claim(job_id)
    if job is None:
        return  # delivered twice, or given up before a worker came
    record = job.subject_as(PlanImport)
    record.status = PlanImport.Status.CHECKING
    record.save(update_fields=["status"])
    with running(job, failures=(SpreadsheetError,)) as progress, record.rows() as rows:
        record.record_check(check_outline(rows, record.plan, progress))


@background_job(gettext_lazy("Committing a plan's outline"), resumable=True)
@task()
def commit_plan_import(job_id: int) -> None:
    """Commit a checked outline, checked again: the database may have changed."""
    job = BackgroundJob.claim(job_id)
    if job is None:
        return
    record = job.subject_as(PlanImport)
    with running(job, failures=(SpreadsheetError,)) as progress:
        user = _importer(record)
        with record.rows() as rows:
            check = check_outline(rows, record.plan, progress)
        progress.say(_("Writing the plan's outline"))
        commit_outline(record, check, acting_user=user)


# Each message keyed: a run resumed after its worker died sends only what is left.
@periodic("0 8 * * *")
@background_job(gettext_lazy("Reminding owners of progress reports due"), resumable=True)
@task()
def remind_reports_due(job_id: int | None = None) -> int | None:
    """Remind owners of the progress reports falling due in the next days."""
    return run_job(job_id, lambda job, progress: reminders.remind_due())


@periodic("30 8 * * *")
@background_job(gettext_lazy("Telling leaders of progress reports overdue"), resumable=True)
@task()
def tell_reports_overdue(job_id: int | None = None) -> int | None:
    """Tell the plans' leaders of the progress reports now overdue."""
    return run_job(job_id, lambda job, progress: reminders.tell_overdue())
