"""Background jobs that report their progress and can be found dead.

A long task (checking a 30,000-row roster, issuing a college's passwords) is
started with `start_job`, which records a `BackgroundJob` for the object it
works on and enqueues the task with the job's id once the transaction commits.
The task claims the job and runs inside `running`:

    @background_job(_("Checking a roster file"))
    @task()
    def check_roster_import(job_id: int) -> None:
        job = BackgroundJob.claim(job_id)
        if job is None:
            return  # delivered twice, or given up before a worker came
        with running(job, failures=(SpreadsheetError,)) as progress:
            ...  # progress(done, total); progress.say("…"); progress.heartbeat()

Each report renews the job's lease. A worker that dies stops renewing it:
the job's page shows it as stopped as soon as the lease runs out, and
`core.tasks.fail_abandoned_jobs` marks it failed and tells its subject.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from .models import BackgroundJob

# A job no worker has claimed in this time is given up: no worker is running.
QUEUE_WAIT = timedelta(minutes=30)
# Progress is written at most once a second (and when the job gets to the end).
PROGRESS_INTERVAL = 1.0

LABELS: dict[str, str | Promise] = {}


def background_job(label: str | Promise) -> Callable[[Any], Any]:
    """Register a django-tasks task as a background job's, under the name its
    page shows. The task takes the job's id as its one argument."""

    def register(task: Any) -> Any:
        LABELS[task.module_path] = label
        return task

    return register


def label_of(kind: str) -> str:
    """The registered name of a job's task, importing it if no one has yet."""
    if kind not in LABELS and kind.startswith("shouwang."):
        try:
            import_string(kind)
        except ImportError:
            return kind
    return str(LABELS.get(kind, kind))


def start_job(task: Any, *, subject: models.Model, started_by: Any) -> BackgroundJob:
    """Record a queued job for `subject`, and enqueue `task` with its id once
    the transaction commits."""
    job = BackgroundJob.objects.create(
        kind=task.module_path,
        subject=subject,
        started_by=started_by,
        lease_expires_at=timezone.now() + QUEUE_WAIT,
    )
    # Robust: if the queue cannot be reached, the job stays queued and is
    # given up after QUEUE_WAIT, saying why, rather than failing the request.
    transaction.on_commit(lambda: task.enqueue(job.pk), robust=True)
    return job


class Progress:
    """What a running job reports through. `progress(done, total)` fits the
    progress callbacks of the actions; `say` tells what it is doing;
    `heartbeat` keeps the lease in a long step that reports nothing else."""

    def __init__(self, job: BackgroundJob) -> None:
        self.job = job
        self.written_at = time.monotonic()

    def __call__(self, done: int, total: int | None = None) -> None:
        job = self.job
        job.done = done
        if total is not None:
            job.total = total
        if done == job.total or time.monotonic() - self.written_at >= PROGRESS_INTERVAL:
            self.write(done=job.done, total=job.total)

    def say(self, message: str) -> None:
        self.write(done=self.job.done, total=self.job.total, message=message)

    def heartbeat(self) -> None:
        self.write()

    def write(self, **fields: Any) -> None:
        self.job.renew(**fields)
        self.written_at = time.monotonic()


@contextmanager
def running(
    job: BackgroundJob, *, failures: tuple[type[Exception], ...] = ()
) -> Iterator[Progress]:
    """Run a claimed job: done when the block ends, failed if it raises.

    An exception of a type in `failures` is a failure its starter can act on
    (a file that cannot be read): its text is the job's message, and it stops
    here. Any other exception is failed with its repr and raised again, so
    that the worker records the traceback."""
    try:
        yield Progress(job)
    except failures as exc:
        job.fail(str(exc))
    except Exception as exc:
        job.fail(repr(exc))
        raise
    else:
        job.finish()
