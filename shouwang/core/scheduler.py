"""Periodic work: cron expressions that enqueue django-tasks tasks.

The decision and the alternatives are in docs/decisions.md. In short: every
process that runs `manage.py scheduler` (or `manage.py run`) looks once a
minute for jobs whose cron slot has come, and claims each slot by inserting a
`ScheduledRun` row; the database's unique constraint lets exactly one claim
win, so any number of schedulers may run.

A periodic task registered as a background job (`shouwang.core.jobs`) is
started as one, with the slot in its checkpoint: a run whose worker died is
then found and resumed like any other job, not left until its next slot.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from cronsim import CronSim
from django.db import IntegrityError, transaction
from django.utils import timezone

from shouwang.lib import clock

from .jobs import LABELS, start_job
from .models import ScheduledRun

logger = logging.getLogger(__name__)

# A scheduler that was down longer than this does not replay what it missed:
# a 09:00 reminder sent at 15:00 does more harm than good.
CATCH_UP = timedelta(minutes=30)


@dataclass(frozen=True)
class Job:
    name: str
    cron: str
    task: Any  # a django-tasks Task

    def last_due(self, now: datetime) -> datetime | None:
        """The latest slot at or before `now`, in local time, within CATCH_UP."""
        local_now = timezone.localtime(now).replace(second=0, microsecond=0)
        start = local_now - CATCH_UP
        last = None
        for due in CronSim(self.cron, start):
            if due > local_now:
                break
            last = due
        return last


JOBS: dict[str, Job] = {}


class _Registered(Protocol):
    @property
    def module_path(self) -> str: ...


_Task = TypeVar("_Task", bound=_Registered)


def periodic(cron: str) -> Callable[[_Task], _Task]:
    """Register a task to be enqueued on a cron schedule (local time, Asia/Shanghai)."""
    CronSim(cron, timezone.localtime(clock.now()))  # reject a bad expression at import time

    def register(task: _Task) -> _Task:
        JOBS[task.module_path] = Job(name=task.module_path, cron=cron, task=task)
        return task

    return register


def fire_due(now: datetime | None = None) -> list[ScheduledRun]:
    """Claim and enqueue every job whose slot has come; return the runs this call won."""
    # The app's clock: on the demo, the day's jobs run by the demo's day.
    now = now or clock.now()
    won = []
    for job in JOBS.values():
        due = job.last_due(now)
        if due is None:
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, due_at=due)
                if job.name in LABELS:
                    started = start_job(
                        job.task,
                        subject=None,
                        started_by=None,
                        checkpoint={"scheduled_at": due.isoformat()},
                    )
                    run.task_result_id = f"job {started.pk}"
                else:
                    run.task_result_id = str(job.task.enqueue().id)
                run.save(update_fields=["task_result_id"])
        except IntegrityError:
            continue  # another scheduler claimed this slot
        logger.info("scheduled %s for %s", job.name, due)
        won.append(run)
    return won
