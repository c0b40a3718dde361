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
`core.tasks.recover_abandoned_jobs` (every minute) deals with it:

- A job registered `resumable=True` is queued again and a worker takes it up
  (at most MAX_ATTEMPTS claims in all), starting from where it got to. Each
  claim is a new holder (`BackgroundJob.attempts`): a worker taken for dead
  that wakes up can no longer report, finish or fail the job.
- Any other job is marked failed, and its subject told (`job_failed`).

A resumable job must be safe to run again from its last checkpoint: either
each batch commits with the checkpoint that records it (`progress.checkpoint`
inside the batch's transaction: resumed, it starts after the last batch
committed), or each step is idempotent by a unique constraint (a message's
key, one meal per isolation, slot and day), or the whole work is one
transaction (a roster commit: a dead worker's writes are rolled back, and the
run starts over). docs/decisions.md has the reasoning.

A periodic task registered as a background job (`@periodic` over
`@background_job`) gets a job for each slot the scheduler fires, with the
slot in its checkpoint (`scheduled_at`): a daily batch whose worker died is
resumed within minutes rather than the next day. Such a task takes an
optional job id and runs under `run_job`, which also runs it by hand.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from .models import BackgroundJob, JobAbandoned

# A job no worker has claimed in this time is given up: no worker is running.
QUEUE_WAIT = timedelta(minutes=30)
# Progress is written at most once a second (and when the job gets to the end).
PROGRESS_INTERVAL = 1.0
# A resumable job is taken up at most this many times: a job that kills its
# worker each time (a file too big for its memory) is failed, not run for ever.
MAX_ATTEMPTS = 3

LABELS: dict[str, str | Promise] = {}
# The kinds of job that are run again when their worker dies.
RESUMABLE: set[str] = set()

T = TypeVar("T")


def background_job(label: str | Promise, *, resumable: bool = False) -> Callable[[Any], Any]:
    """Register a django-tasks task as a background job's, under the name its
    page shows. The task takes the job's id as its one argument. A resumable
    job's task must be safe to run again after its worker died (see above)."""

    def register(task: Any) -> Any:
        LABELS[task.module_path] = label
        if resumable:
            RESUMABLE.add(task.module_path)
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


def start_job(
    task: Any,
    *,
    subject: models.Model | None,
    started_by: Any,
    checkpoint: dict[str, Any] | None = None,
) -> BackgroundJob:
    """Record a queued job for `subject`, and enqueue `task` with its id once
    the transaction commits."""
    job = BackgroundJob.objects.create(
        kind=task.module_path,
        subject=subject,
        started_by=started_by,
        lease_expires_at=timezone.now() + QUEUE_WAIT,
        checkpoint=checkpoint or {},
    )
    _enqueue_on_commit(task, job)
    return job


def _enqueue_on_commit(task: Any, job: BackgroundJob) -> None:
    # Robust: if the queue cannot be reached, the job stays queued and is
    # given up after QUEUE_WAIT, saying why, rather than failing the request.
    transaction.on_commit(lambda: task.enqueue(job.pk), robust=True)


def recover_abandoned() -> dict[str, int]:
    """Resume the resumable jobs whose worker died, and fail the others (and
    those no worker took up); returns how many of each."""
    outcome = {"resumed": 0, "failed": 0}
    for job in BackgroundJob.objects.abandoned(timezone.now()):
        if (
            job.state == BackgroundJob.State.RUNNING
            and is_resumable(job.kind)
            and job.attempts < MAX_ATTEMPTS
        ):
            outcome["resumed"] += resume(job)
        else:
            outcome["failed"] += job.fail(job.abandonment(), abandoned=True)
    return outcome


def is_resumable(kind: str) -> bool:
    label_of(kind)  # imports the task, which registers it
    return kind in RESUMABLE


def resume(job: BackgroundJob) -> bool:
    """Queue a job whose worker died for another worker to take up."""
    message = gettext(
        "Its worker stopped; the job is resuming where it got to (attempt %(attempt)d of %(most)d)."
    ) % {"attempt": job.attempts + 1, "most": MAX_ATTEMPTS}
    with transaction.atomic():
        if not job.requeue(message, QUEUE_WAIT):
            return False
        _enqueue_on_commit(import_string(job.kind), job)
    return True


def run_job(
    job_id: int | None,
    work: Callable[[BackgroundJob, Progress], T],
    *,
    failures: tuple[type[Exception], ...] = (),
) -> T | None:
    """Claim a job and run `work(job, progress)` for it; None if it is not
    the job's to run (see `BackgroundJob.claim`). Without a job id (a
    periodic task run by hand), `work` runs with nothing to report to."""
    if job_id is None:
        job = BackgroundJob(checkpoint={})
        return work(job, Unreported(job))
    claimed = BackgroundJob.claim(job_id)
    if claimed is None:
        return None
    with running(claimed, failures=failures) as progress:
        return work(claimed, progress)
    return None  # a failure its starter can act on: the job says why


def scheduled_at(job: BackgroundJob) -> datetime | None:
    """The slot a scheduled job runs for (None for one run by hand)."""
    value = job.checkpoint.get("scheduled_at")
    return parse_datetime(value) if value else None


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

    def checkpoint(self, done: int, **where: Any) -> None:
        """Record where the job got to: call it inside the transaction of the
        batch it ends, so that both commit or neither does. A resumed run
        reads it back from `job.checkpoint`."""
        self.job.done = done
        self.write(done=done, total=self.job.total, checkpoint={**self.job.checkpoint, **where})

    def write(self, **fields: Any) -> None:
        self.job.renew(**fields)
        self.written_at = time.monotonic()


class Unreported(Progress):
    """Progress of work run by hand, outside any job: reported nowhere."""

    def write(self, **fields: Any) -> None:
        for name, value in fields.items():
            setattr(self.job, name, value)


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
    except JobAbandoned:
        raise  # taken up again by another worker, whose job it now is to end
    except failures as exc:
        job.fail(str(exc))
    except Exception as exc:
        job.fail(repr(exc))
        raise
    else:
        job.finish()
