"""A real worker process runs what the web process enqueued, on each backend."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.test import TransactionTestCase, override_settings
from django.utils.module_loading import autodiscover_modules
from django_tasks import TaskResultStatus, default_task_backend
from django_tasks_db.models import DBTaskResult

from shouwang.core.management.commands.run import default_workers
from shouwang.core.models import ScheduledRun
from shouwang.core.scheduler import JOBS
from shouwang.core.tasks import ping

BASE_DIR = Path(settings.BASE_DIR)
# A Redis database per test process (pytest-xdist's gw0, gw1, …): a queue
# worker one test starts must not take another test's jobs.
_PROCESS = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", f"redis://127.0.0.1:6379/{15 - _PROCESS}")


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def database_env() -> dict[str, str]:
    """Point a child process at the database this test is using."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"SQLITE_PATH": db["NAME"], "DATABASE_URL": ""}
    auth = quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    return {"DATABASE_URL": f"postgres://{auth}@{host}/{db['NAME']}"}


@override_settings(TASKS={"default": settings.TASKS_BACKENDS["database"]})
class DatabaseWorkerTestCase(TransactionTestCase):
    def test_a_worker_process_runs_an_enqueued_task(self):
        result = ping.enqueue("你好")
        self.assertEqual(result.status, TaskResultStatus.READY)

        worker = manage("db_worker", "--batch", "--no-startup-delay", env=database_env())

        self.assertEqual(worker.returncode, 0, worker.stderr)
        result.refresh()
        self.assertEqual(result.status, TaskResultStatus.SUCCESSFUL)
        self.assertEqual(result.return_value, "你好")

    def test_worker_processes_that_also_schedule_run_each_slot_once(self):
        # Two task workers that fire the schedule, at the same 09:00 slot: every
        # job due then is enqueued once and run once, whoever claimed it.
        env = {
            **database_env(),
            "SHOUWANG_DEMO_START": "2022-04-16T09:00:01+08:00",
            "SHOUWANG_DEMO_EPOCH": str(time.time()),
        }
        command = [sys.executable, "manage.py", "scheduler", "--run-tasks", "--once"]
        workers = [
            subprocess.Popen(  # noqa: S603
                command, cwd=BASE_DIR, env={**os.environ, **env}, stdout=subprocess.DEVNULL
            )
            for _ in range(2)
        ]
        self.assertEqual([worker.wait(timeout=120) for worker in workers], [0, 0])

        autodiscover_modules("tasks")
        runs = list(ScheduledRun.objects.all())
        every_minute = {job.name for job in JOBS.values() if job.cron == "* * * * *"}
        self.assertTrue(every_minute)
        self.assertLessEqual(every_minute, {run.job for run in runs if run.due_at.minute == 0})
        results = DBTaskResult.objects.filter(task_path__in=[run.job for run in runs])
        self.assertEqual(
            sorted(str(result.id) for result in results),
            sorted(run.task_result_id for run in runs),
        )
        self.assertEqual({result.status for result in results}, {TaskResultStatus.SUCCESSFUL})


def redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"needs Redis at {REDIS_TEST_URL} (set REDIS_TEST_URL)")


def kill_worker(worker: subprocess.Popen) -> None:
    """kill -9 a worker and what it forked (rq's work horse, which leaves the
    worker's process group)."""
    if worker.poll() is None:
        for pid in [*descendants(worker.pid), worker.pid]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        worker.wait(timeout=10)


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


if TYPE_CHECKING:
    # A scenario's or a queue's methods are a test case's; the classes that
    # mix them with TransactionTestCase are the test cases.
    ScenarioBase = TransactionTestCase
else:
    ScenarioBase = object


class DatabaseQueue(ScenarioBase):
    """Workers started by a test read the database queue (mixed in first)."""

    worker_args: tuple[str, ...] = (
        "db_worker",
        "--no-startup-delay",
        "--no-reload",
        "--interval",
        "0.2",
    )
    burst_args: tuple[str, ...] = (*worker_args, "--batch")
    queue_env = {"TASKS_BACKEND": "database"}

    def setUp(self) -> None:
        queue = override_settings(TASKS={"default": settings.TASKS_BACKENDS["database"]})
        queue.enable()
        self.addCleanup(queue.disable)
        super().setUp()


class RedisQueue(ScenarioBase):
    """Workers started by a test read Redis (mixed in first; the test case
    is marked needs_service)."""

    worker_args: tuple[str, ...] = ("rqworker", "default", "--job-class", "django_tasks_rq.Job")
    burst_args: tuple[str, ...] = (*worker_args, "--burst")
    queue_env = {"TASKS_BACKEND": "rq", "REDIS_URL": REDIS_TEST_URL}

    def setUp(self) -> None:
        redis_or_skip()
        queue = override_settings(
            TASKS={"default": settings.TASKS_BACKENDS["rq"]},
            RQ_QUEUES={"default": {"URL": REDIS_TEST_URL}},
        )
        queue.enable()
        self.addCleanup(queue.disable)
        super().setUp()


@pytest.mark.needs_service
@override_settings(
    TASKS={"default": settings.TASKS_BACKENDS["rq"]},
    RQ_QUEUES={"default": {"URL": REDIS_TEST_URL}},
)
class RedisWorkerTestCase(TransactionTestCase):
    def setUp(self):
        # No flush: job ids are random, and another test run may share this Redis.
        redis_or_skip()

    def test_an_rq_worker_process_runs_an_enqueued_task(self):
        result = ping.enqueue("守望")
        self.assertEqual(default_task_backend.get_result(result.id).status, TaskResultStatus.READY)

        env = {**database_env(), "TASKS_BACKEND": "rq", "REDIS_URL": REDIS_TEST_URL}
        worker = manage(
            "rqworker", "default", "--burst", "--job-class", "django_tasks_rq.Job", env=env
        )

        self.assertEqual(worker.returncode, 0, worker.stderr)
        result = default_task_backend.get_result(result.id)
        self.assertEqual(result.status, TaskResultStatus.SUCCESSFUL)
        self.assertEqual(result.return_value, "守望")


@override_settings(TASKS={"default": settings.TASKS_BACKENDS["database"]})
class RunCommandTestCase(TransactionTestCase):
    """`manage.py run` is the demo's one command: server, worker and scheduler."""

    def test_it_serves_pages_and_runs_tasks_until_stopped(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        env = {**os.environ, **database_env(), "DEBUG": "1"}
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "run", f"127.0.0.1:{port}"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            result = ping.enqueue("一条命令")
            page = wait_for(lambda: fetch(f"http://127.0.0.1:{port}/accounts/login/"))
            self.assertEqual(page, 200)
            wait_for(lambda: refreshed(result).status == TaskResultStatus.SUCCESSFUL)
            self.assertEqual(result.return_value, "一条命令")
            # The parent only waits on its children: it holds no copy of Django.
            self.assertLess(resident_mib(server.pid), 40)
        finally:
            server.terminate()
            self.assertEqual(server.wait(timeout=20), 0)
        # The worker and the scheduler stopped with it: nothing is left in its group.
        with self.assertRaises(ProcessLookupError):
            os.killpg(server.pid, 0)


def test_when_one_process_of_run_dies_the_others_stop():
    # So that the service manager restarts the whole, not a server without its worker.
    supervisor = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "shouwang.core.supervise",
            '[["sleep", "60"], ["python3", "-c", "raise SystemExit(3)"]]',
        ],
        cwd=BASE_DIR,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    _, stderr = supervisor.communicate(timeout=30)
    assert supervisor.returncode == 3
    assert b"stopping the others" in stderr
    try:
        os.killpg(supervisor.pid, 0)
    except ProcessLookupError:
        pass
    else:
        raise AssertionError("a child outlived the supervisor")


def test_web_workers_default_to_one_per_core_plus_one(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert default_workers() == 3
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    assert default_workers() == 5


def resident_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmRSS:", 1)[1].split()[0]) / 1024


def fetch(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
            return response.status
    except OSError:
        return None


def refreshed(result):
    result.refresh()
    return result


def wait_for(probe, timeout: float = 90.0):
    """Poll a real process until it answers; a worker has no callback to await.

    `manage.py run` boots its web workers, a task worker and the scheduler: on
    a busy machine, beside the suite's other test process, that took over 30 s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"gave up after {timeout} s")
