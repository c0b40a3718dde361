from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from shouwang.core.scheduler import periodic

from . import sealed, sso
from .actions import issue_passwords
from .models import PasswordIssue
from .slips import sheet, slips_pdf

FILES = ("sheet", "slips")


def file_path(issue: PasswordIssue, which: str):
    """Where one of an issue's sealed files waits (which: "sheet" or "slips")."""
    return sealed.folder() / f"issue-{issue.pk}-{which}.sealed"


def _progress(issue_id: int):
    def progress(done: int, total: int) -> None:
        PasswordIssue.objects.filter(pk=issue_id).update(processed=done, total=total)

    return progress


@task()
def issue_passwords_task(issue_id: int) -> None:
    """Issue the passwords, then seal the sheet and the slips for the issuer's browser."""
    # Claimed, so that a task delivered twice issues once.
    if not PasswordIssue.objects.filter(pk=issue_id, status=PasswordIssue.Status.PENDING).update(
        status=PasswordIssue.Status.RUNNING
    ):
        return
    issue = PasswordIssue.objects.select_related("issued_by").get(pk=issue_id)
    try:
        issued = issue_passwords(issue, acting_user=issue.issued_by, progress=_progress(issue_id))
        contents = {
            "sheet": sheet(issued.slips, issue.login_url, issued.expires_at),
            "slips": slips_pdf(issued.slips, issue.login_url, issued.expires_at),
        }
        for which, data in contents.items():
            path = file_path(issue, which)
            path.write_bytes(sealed.seal(data, issue.public_key))
            path.chmod(0o600)
    except Exception as exc:
        # The passwords written (if any) are in no one's hands: the people keep
        # their place for the next issue. Re-raise for the worker's traceback.
        issue.status = PasswordIssue.Status.FAILED
        issue.failure = repr(exc)
        issue.save(update_fields=["status", "failure"])
        raise
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
    not; an issue whose worker died before it finished is marked failed."""
    cutoff = timezone.now() - timedelta(hours=settings.ISSUED_FILES_HOURS)
    old = PasswordIssue.objects.filter(created_at__lt=cutoff, files_deleted_at=None)
    deleted = 0
    for issue in old:
        delete_files(issue)
        deleted += 1
    with transaction.atomic():
        PasswordIssue.objects.filter(
            created_at__lt=cutoff,
            status__in=[PasswordIssue.Status.PENDING, PasswordIssue.Status.RUNNING],
        ).update(status=PasswordIssue.Status.FAILED, failure="the task did not finish")
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
