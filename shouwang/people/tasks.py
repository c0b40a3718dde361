from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from shouwang.core.scheduler import periodic
from shouwang.lib.spreadsheets import SpreadsheetError, read_rows

from .actions import RosterBlocked, commit_roster, defaults_for, record_check
from .models import RosterImport
from .roster import check_roster


def _read(roster_import: RosterImport):
    with roster_import.file.open("rb") as handle:
        return read_rows(handle, roster_import.filename)


def _fail(roster_import: RosterImport, reason: str) -> None:
    roster_import.status = RosterImport.Status.FAILED
    roster_import.failure = reason
    roster_import.save(update_fields=["status", "failure"])


def _progress(import_id: int):
    def progress(done: int, total: int) -> None:
        RosterImport.objects.filter(pk=import_id).update(processed_rows=done, total_rows=total)

    return progress


@task()
def check_roster_import(import_id: int) -> None:
    """Read and validate an uploaded roster, reporting progress as it goes."""
    roster_import = RosterImport.objects.get(pk=import_id)
    roster_import.status = RosterImport.Status.CHECKING
    roster_import.save(update_fields=["status"])
    try:
        check = check_roster(
            _read(roster_import),
            progress=_progress(import_id),
            defaults=defaults_for(roster_import),
        )
        record_check(roster_import, check)
    except SpreadsheetError as exc:
        _fail(roster_import, str(exc))
    except Exception as exc:
        # Without this the page would show "checking" for ever. Re-raise so that
        # the worker records the traceback.
        _fail(roster_import, repr(exc))
        raise


@task()
def commit_roster_import(import_id: int) -> None:
    """Commit a checked roster. The file is checked again: the database may have
    changed since the preview."""
    roster_import = RosterImport.objects.select_related("uploaded_by", "default_unit").get(
        pk=import_id
    )
    try:
        check = check_roster(
            _read(roster_import),
            progress=_progress(import_id),
            defaults=defaults_for(roster_import),
        )
        commit_roster(roster_import, check, acting_user=roster_import.uploaded_by)
    except (SpreadsheetError, RosterBlocked) as exc:
        _fail(roster_import, str(exc))
    except Exception as exc:
        # The transaction rolled back; nothing half-written survives. Say so and re-raise
        # so that the worker records the traceback.
        _fail(roster_import, repr(exc))
        raise


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
