from __future__ import annotations

from datetime import timedelta
from importlib import import_module
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from shouwang.core.jobs import background_job, running
from shouwang.core.models import BackgroundJob
from shouwang.core.scheduler import periodic

from . import sealed, sso
from .actions import issue_passwords
from .models import PasswordIssue
from .slips import sheet, slips_pdf

if TYPE_CHECKING:
    from pathlib import Path

FILES = ("sheet", "slips")


def file_path(issue: PasswordIssue, which: str) -> Path:
    """Where one of an issue's sealed files waits (which: "sheet" or "slips")."""
    return sealed.folder() / f"issue-{issue.pk}-{which}.sealed"


@background_job(gettext_lazy("Issuing initial passwords"))
@task()
def issue_passwords_task(job_id: int) -> None:
    """Issue the passwords, then seal the sheet and the slips for the issuer's browser."""
    # Claimed, so that a task delivered twice issues once.
    job = BackgroundJob.claim(job_id)
    if job is None:
        return
    issue = job.subject_as(PasswordIssue)
    issue.status = PasswordIssue.Status.RUNNING
    issue.save(update_fields=["status"])
    # On failure the passwords written (if any) are in no one's hands: the
    # people keep their place for the next issue. The job's failure marks the
    # issue failed (PasswordIssue.job_failed) and is raised for the traceback.
    with running(job) as progress:
        issued = issue_passwords(issue, acting_user=issue.issued_by, progress=progress)
        progress.say(_("Writing the sheet and the slips"))
        contents = {
            "sheet": sheet(issued.slips, issue.login_url, issued.expires_at),
            "slips": slips_pdf(issued.slips, issue.login_url, issued.expires_at),
        }
        progress.say(_("Sealing the files"))
        for which, data in contents.items():
            path = file_path(issue, which)
            path.write_bytes(sealed.seal(data, issue.public_key))
            path.chmod(0o600)
        issue.status = PasswordIssue.Status.DONE
        issue.finished_at = timezone.now()
        issue.save(update_fields=["status", "finished_at"])


def delete_files(issue: PasswordIssue) -> None:
    for which in FILES:
        file_path(issue, which).unlink(missing_ok=True)
    PasswordIssue.objects.filter(pk=issue.pk, files_deleted_at=None).update(
        files_deleted_at=timezone.now()
    )


@periodic("*/10 * * * *")
@task()
def delete_old_issued_files() -> int:
    """Delete the sealed files of issues older than ISSUED_FILES_HOURS, downloaded or
    not. (An issue whose worker died is marked failed when its job is:
    core.tasks.recover_abandoned_jobs.)"""
    cutoff = timezone.now() - timedelta(hours=settings.ISSUED_FILES_HOURS)
    old = PasswordIssue.objects.filter(created_at__lt=cutoff, files_deleted_at=None)
    deleted = 0
    for issue in old:
        delete_files(issue)
        deleted += 1
    return deleted


@periodic("50 3 * * *")
@task()
def forget_ended_cas_sessions() -> int:
    """Delete the CAS tickets of sessions that have ended."""
    return sso.forget_ended_cas_sessions()


@periodic("40 3 * * *")
@task()
def clear_expired_sessions() -> None:
    """Delete the sessions that have expired: Django leaves them to
    `clearsessions`, and without it the table grows by a row per login for ever."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
