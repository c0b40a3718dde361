from datetime import timedelta
from typing import cast

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from shouwang.accounts.models import User
from shouwang.core.jobs import background_job, running
from shouwang.core.models import BackgroundJob
from shouwang.core.scheduler import periodic
from shouwang.lib.spreadsheets import SpreadsheetError

from .actions import RosterBlocked, commit_roster, defaults_for
from .models import PlatformAccountImport, RosterImport
from .platform_accounts import check_accounts, commit_accounts
from .roster import check_roster


@background_job(gettext_lazy("Checking a roster file"), resumable=True)
@task()
def check_roster_import(job_id: int) -> None:
    """Read and validate an uploaded roster, reporting progress as it goes."""
    job = BackgroundJob.claim(job_id)
    if job is None:
        return  # delivered twice, or given up before a worker came
    roster_import = job.subject_as(RosterImport)
    roster_import.status = RosterImport.Status.CHECKING
    roster_import.save(update_fields=["status"])
    # A file that cannot be read fails the job with the reason; anything else
    # fails it too (the page would otherwise say "checking" for ever) and is
    # raised again for the worker's traceback.
    with running(job, failures=(SpreadsheetError,)) as progress, roster_import.rows() as rows:
        roster_import.record_check(check_roster(rows, progress, defaults_for(roster_import)))


@background_job(gettext_lazy("Committing a roster file"), resumable=True)
@task()
def commit_roster_import(job_id: int) -> None:
    """Commit a checked roster. The file is checked again: the database may have
    changed since the preview."""
    job = BackgroundJob.claim(job_id)
    if job is None:
        return
    roster_import = job.subject_as(RosterImport)
    # The commit is one transaction: a failure leaves nothing half-written.
    with running(job, failures=(SpreadsheetError, RosterBlocked)) as progress:
        with roster_import.rows() as rows:
            check = check_roster(rows, progress, defaults_for(roster_import))
        progress.say(_("Writing the people"))
        # The uploader, a User (core's uploader field names no model of ours).
        uploader = cast(User | None, roster_import.uploaded_by)
        commit_roster(roster_import, check, acting_user=uploader)


@background_job(gettext_lazy("Checking a sheet of WeCom and DingTalk accounts"), resumable=True)
@task()
def check_platform_account_import(job_id: int) -> None:
    """Read and validate an uploaded accounts sheet."""
    job = BackgroundJob.claim(job_id)
    if job is None:
        return
    record = job.subject_as(PlatformAccountImport)
    record.status = PlatformAccountImport.Status.CHECKING
    record.save(update_fields=["status"])
    with running(job, failures=(SpreadsheetError,)) as progress, record.rows() as rows:
        record.record_check(check_accounts(rows, progress))


@background_job(gettext_lazy("Committing a sheet of WeCom and DingTalk accounts"), resumable=True)
@task()
def commit_platform_account_import(job_id: int) -> None:
    """Commit a checked accounts sheet, checked again: accounts may have moved since."""
    job = BackgroundJob.claim(job_id)
    if job is None:
        return
    record = job.subject_as(PlatformAccountImport)
    with running(job, failures=(SpreadsheetError,)) as progress:
        with record.rows() as rows:
            check = check_accounts(rows, progress)
        progress.say(_("Writing the accounts"))
        commit_accounts(record, check, acting_user=cast(User | None, record.uploaded_by))


@periodic("40 3 * * *")
@task()
def prune_roster_files() -> int:
    """Delete uploaded roster files older than ROSTER_FILE_DAYS; keep the records."""
    cutoff = timezone.now() - timedelta(days=settings.ROSTER_FILE_DAYS)
    pruned = 0
    for roster_import in RosterImport.objects.filter(created_at__lt=cutoff).exclude(file=""):
        if roster_import.is_running:
            continue
        roster_import.file.delete(save=False)
        roster_import.save(update_fields=["file"])
        pruned += 1
    return pruned
