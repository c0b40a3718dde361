"""Teaching's background jobs: checking and committing timetable and
enrolment files (the roster's pattern, `shouwang.people.tasks`), and the
evening's reminder of lessons left unmarked."""

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
from .access import overseen_unit_ids, writable_classes
from .imports import check_enrolment, check_timetable, commit_enrolment, commit_timetable
from .models import EnrolmentImport, TimetableImport


def _uploader(record: TimetableImport | EnrolmentImport) -> User | None:
    # core's uploader field names no model of ours: it is a User.
    return cast(User | None, record.uploaded_by)


def _units(record: TimetableImport) -> frozenset[int] | None:
    """The units whose classes the uploader may write (None: all)."""
    uploader = _uploader(record)
    return overseen_unit_ids(uploader) if uploader is not None else frozenset()


def _classes(record: EnrolmentImport) -> list[str]:
    classes = writable_classes(_uploader(record), record.term_id)
    return list(classes.values_list("code", flat=True))


@background_job(gettext_lazy("Checking a timetable file"), resumable=True)
@task()
def check_timetable_import(job_id: int) -> None:
    """Read and validate an uploaded timetable, reporting progress as it goes."""
    job = BackgroundJob.claim(job_id)
    if job is None:
        return  # delivered twice, or given up before a worker came
    record = job.subject_as(TimetableImport)
    record.status = TimetableImport.Status.CHECKING
    record.save(update_fields=["status"])
    with running(job, failures=(SpreadsheetError,)) as progress, record.rows() as rows:
        record.record_check(check_timetable(rows, record.term, progress, _units(record)))


@background_job(gettext_lazy("Committing a timetable file"), resumable=True)
@task()
def commit_timetable_import(job_id: int) -> None:
    """Commit a checked timetable, checked again: the database may have changed."""
    job = BackgroundJob.claim(job_id)
    if job is None:
        return
    record = job.subject_as(TimetableImport)
    with running(job, failures=(SpreadsheetError,)) as progress:
        with record.rows() as rows:
            check = check_timetable(rows, record.term, progress, _units(record))
        progress.say(_("Writing the teaching classes and their lessons"))
        commit_timetable(record, check, acting_user=_uploader(record))


@background_job(gettext_lazy("Checking an enrolment file"), resumable=True)
@task()
def check_enrolment_import(job_id: int) -> None:
    """Read and validate an uploaded enrolment list."""
    job = BackgroundJob.claim(job_id)
    if job is None:
        return
    record = job.subject_as(EnrolmentImport)
    record.status = EnrolmentImport.Status.CHECKING
    record.save(update_fields=["status"])
    with running(job, failures=(SpreadsheetError,)) as progress, record.rows() as rows:
        record.record_check(check_enrolment(rows, record.term, progress, _classes(record)))


@background_job(gettext_lazy("Committing an enrolment file"), resumable=True)
@task()
def commit_enrolment_import(job_id: int) -> None:
    """Commit a checked enrolment list, checked again."""
    job = BackgroundJob.claim(job_id)
    if job is None:
        return
    record = job.subject_as(EnrolmentImport)
    with running(job, failures=(SpreadsheetError,)) as progress:
        with record.rows() as rows:
            check = check_enrolment(rows, record.term, progress, _classes(record))
        progress.say(_("Writing the enrolments"))
        commit_enrolment(record, check, acting_user=_uploader(record))


# At the end of the teaching day (Beijing time): the evening's last period ends by 21:30.
@periodic("30 22 * * *")
@background_job(gettext_lazy("Reminding teachers of unmarked lessons"), resumable=True)
@task()
def remind_unmarked_lessons(job_id: int | None = None) -> int | None:
    """Remind teachers of the lessons of today or before they have not marked
    (each message keyed: a resumed run sends only what is left)."""
    return run_job(job_id, lambda job, progress: reminders.remind_unmarked())
