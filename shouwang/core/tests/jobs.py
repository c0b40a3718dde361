"""Background jobs for the tests: one counts, one fails on its input, one crashes."""

from __future__ import annotations

from django_tasks import task

from shouwang.core.jobs import Progress, background_job, run_job, running
from shouwang.core.models import BackgroundJob

COUNT = 2500


class BadInput(Exception):
    """A failure the job's starter can act on."""


@background_job("Counting")
@task()
def count(job_id: int) -> None:
    """Count to COUNT, reporting each number."""
    job = BackgroundJob.claim(job_id)
    if job is None:
        return
    with running(job) as progress:
        for done in range(1, COUNT + 1):
            progress(done, COUNT)


@background_job("Reading a bad file")
@task()
def read_bad_file(job_id: int) -> None:
    job = BackgroundJob.claim(job_id)
    if job is None:
        return
    with running(job, failures=(BadInput,)):
        raise BadInput("row 7: not a number")


@background_job("Crashing")
@task()
def crash(job_id: int) -> None:
    job = BackgroundJob.claim(job_id)
    if job is None:
        return
    with running(job, failures=(BadInput,)):
        raise RuntimeError("the disk is full")


COUNTED_ON = 5


@background_job("Counting, resumably", resumable=True)
@task()
def count_on(job_id: int) -> None:
    """Count to COUNTED_ON from where the job got to, one checkpoint a number."""

    def work(job: BackgroundJob, progress: Progress) -> None:
        for number in range(job.checkpoint.get("at", 0) + 1, COUNTED_ON + 1):
            progress.checkpoint(number, at=number, seen=[*job.checkpoint.get("seen", []), number])

    run_job(job_id, work)
