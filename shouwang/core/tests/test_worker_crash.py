"""A worker killed (`kill -9`) in the middle of a batch job: the job is
found by its lease, resumed by another worker, and ends complete, with
nothing a person would notice done twice. On the database queue and on Redis."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import TransactionTestCase, override_settings
from django.utils import timezone

from shouwang.core import jobs
from shouwang.core.models import BackgroundJob
from shouwang.notices.models import Notice, Receipt
from shouwang.notices.tasks import deliver_notice
from shouwang.notify.models import Message, MessageDelivery
from shouwang.people.models import Person, RosterImport
from shouwang.people.tasks import commit_roster_import
from shouwang.test import make_person, make_user

from .test_worker import BASE_DIR, REDIS_TEST_URL, database_env, manage, redis_or_skip, wait_for

PEOPLE = 1070
ROSTER_ROWS = 300
# Pushes go to a webhook that is not there: each stays queued for its retries.
CHANNELS = {"NOTIFY_CHANNELS": "inbox,wecom", "WECOM_WEBHOOK_URL": "http://127.0.0.1:9/hook"}


class CrashTests:
    """The scenarios; a subclass says which queue the workers read."""

    worker_args: tuple[str, ...]
    burst_args: tuple[str, ...]
    queue_env: dict[str, str]

    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]
        media = tempfile.TemporaryDirectory()
        self.addCleanup(media.cleanup)  # type: ignore[attr-defined]
        self.media = media.name
        media_settings = override_settings(MEDIA_ROOT=self.media)
        media_settings.enable()
        self.addCleanup(media_settings.disable)  # type: ignore[attr-defined]
        self.env = {**database_env(), **self.queue_env, **CHANNELS, "MEDIA_ROOT": self.media}

    def start_worker(self, **slow: str) -> subprocess.Popen:
        worker = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "shouwang.core.tests.slow_worker", *self.worker_args],
            cwd=BASE_DIR,
            env={**os.environ, **self.env, **slow},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.addCleanup(self.kill, worker)  # type: ignore[attr-defined]
        return worker

    def kill(self, worker: subprocess.Popen) -> None:
        """kill -9 the worker and what it forked (rq's work horse, which
        leaves the worker's process group)."""
        if worker.poll() is None:
            for pid in [*descendants(worker.pid), worker.pid]:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            worker.wait(timeout=10)

    def recover(self, job: BackgroundJob) -> None:
        """The lease runs out (as JOB_LEASE later), the scheduler's recovery
        runs, and a new worker drains the queue."""
        BackgroundJob.objects.filter(pk=job.pk).update(
            lease_expires_at=timezone.now() - timedelta(seconds=1)
        )
        self.assertEqual(jobs.recover_abandoned(), {"resumed": 1, "failed": 0})  # type: ignore[attr-defined]
        worker = manage(*self.burst_args, env=self.env)
        self.assertEqual(worker.returncode, 0, worker.stderr)  # type: ignore[attr-defined]
        job.refresh_from_db()
        self.assertEqual((job.state, job.attempts), ("done", 2), job.message)  # type: ignore[attr-defined]

    def test_a_notice_fan_out_killed_after_its_first_batch_reaches_everyone_once(self):
        author = make_user(make_person("T0001", "校长", kind=Person.Kind.STAFF))
        people = Person.objects.bulk_create(
            Person(number=f"2022{n:05d}", name=f"学生{n}") for n in range(PEOPLE)
        )
        notice = Notice.objects.create(
            author=author, title="停课通知", body="明日停课。", status=Notice.Status.PUBLISHED
        )
        Receipt.objects.bulk_create(Receipt(notice=notice, person=person) for person in people)
        sent = Message.objects.filter(key__startswith=f"notice:{notice.pk}:")

        worker = self.start_worker(SLOW_BATCH="3")
        job = jobs.start_job(deliver_notice, subject=notice, started_by=author)
        wait_for(lambda: sent.exists(), timeout=60)
        self.kill(worker)
        # Killed in the middle: the first batch sent, the rest not.
        self.assertTrue(0 < sent.count() < PEOPLE, sent.count())  # type: ignore[attr-defined]

        self.recover(job)
        self.assertEqual(sent.count(), PEOPLE)  # type: ignore[attr-defined]
        self.assertEqual(sent.values("recipient").distinct().count(), PEOPLE)  # type: ignore[attr-defined]
        pushes = MessageDelivery.objects.filter(message__in=sent)
        self.assertEqual(pushes.count(), PEOPLE)  # type: ignore[attr-defined]
        self.assertEqual(pushes.values("message").distinct().count(), PEOPLE)  # type: ignore[attr-defined]
        self.assertEqual(Receipt.objects.filter(notice=notice).count(), PEOPLE)  # type: ignore[attr-defined]

    def test_a_roster_commit_killed_while_writing_commits_each_person_once(self):
        rows = "".join(f"2030{n:05d},新生{n}\r\n" for n in range(ROSTER_ROWS))
        item = RosterImport(filename="roster.csv", default_kind=Person.Kind.STUDENT)
        item.file.save("roster.csv", ContentFile(f"学号,姓名\r\n{rows}".encode()), save=False)
        item.status = RosterImport.Status.CHECKED
        item.save()
        imported = Person.objects.filter(number__startswith="2030")

        worker = self.start_worker(SLOW_ROSTER_WRITE="30")
        self.assertTrue(item.start_commit(commit_roster_import, started_by=None))  # type: ignore[attr-defined]
        job = BackgroundJob.objects.of(item).get()
        # Its check is done and it says it is writing the people: it is inside the commit.
        wait_for(lambda: BackgroundJob.objects.filter(pk=job.pk).exclude(message="").exists())
        wait_for(lambda: not BackgroundJob.objects.get(pk=job.pk).is_active or _slept(1.5))
        self.kill(worker)
        item.refresh_from_db()
        self.assertEqual((item.status, imported.count()), ("committing", 0))  # type: ignore[attr-defined]

        self.recover(job)
        item.refresh_from_db()
        self.assertEqual(item.status, "committed")  # type: ignore[attr-defined]
        self.assertEqual(item.summary["created"], ROSTER_ROWS)  # type: ignore[attr-defined]
        self.assertEqual(imported.count(), ROSTER_ROWS)  # type: ignore[attr-defined]
        self.assertEqual(imported.values("number").distinct().count(), ROSTER_ROWS)  # type: ignore[attr-defined]


def _slept(seconds: float) -> bool:
    time.sleep(seconds)
    return True


def descendants(pid: int) -> list[int]:
    """The processes below `pid`, from /proc (Linux)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
    found, todo = [], [pid]
    while todo:
        below = todo.pop()
        children = [child for child, parent in parents.items() if parent == below]
        found += children
        todo += children
    return found


@override_settings(TASKS={"default": settings.TASKS_BACKENDS["database"]})
class DatabaseQueueCrashTestCase(CrashTests, TransactionTestCase):
    worker_args = ("db_worker", "--no-startup-delay", "--interval", "0.2")
    burst_args = ("db_worker", "--batch", "--no-startup-delay")
    queue_env = {"TASKS_BACKEND": "database"}


@pytest.mark.needs_service
@override_settings(
    TASKS={"default": settings.TASKS_BACKENDS["rq"]},
    RQ_QUEUES={"default": {"URL": REDIS_TEST_URL}},
)
class RedisQueueCrashTestCase(CrashTests, TransactionTestCase):
    worker_args = ("rqworker", "default", "--job-class", "django_tasks_rq.Job")
    burst_args = ("rqworker", "default", "--burst", "--job-class", "django_tasks_rq.Job")
    queue_env = {"TASKS_BACKEND": "rq", "REDIS_URL": REDIS_TEST_URL}

    def setUp(self) -> None:
        redis_or_skip()
        super().setUp()
