import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shouwang.core.startup import refuse_unsafe_production


def default_workers() -> int:
    """WEB_CONCURRENCY, or 2 × cores + 1 (gunicorn's advice for sync workers)."""
    return int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))


class Command(BaseCommand):
    help = (
        "Serve the app with gunicorn, with a task worker and the scheduler beside it: "
        "the whole of Shouwang on one machine."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="gunicorn worker processes (default: WEB_CONCURRENCY or 2 × cores + 1)",
        )

    def handle(self, *args: Any, addrport: str, workers: int, **options: Any) -> None:
        # Before any process starts: otherwise each gunicorn worker would fail alone.
        try:
            refuse_unsafe_production()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        manage = [sys.executable, "-m", "django"]
        server = [
            sys.executable,
            "-m",
            "gunicorn",
            "shouwang.wsgi:application",
            "--bind",
            addrport,
            "--workers",
            str(workers),
            # A slow phone on a bad network must not hold a worker for ever.
            "--timeout",
            "30",
            "--graceful-timeout",
            "10",
        ]
        children = [subprocess.Popen(server), subprocess.Popen([*manage, "scheduler"])]  # noqa: S603
        if settings.TASKS_BACKEND == "database":
            worker = [*manage, "db_worker", "--interval", "0.5"]
            children.append(subprocess.Popen(worker))  # noqa: S603
        else:
            self.stdout.write(
                "Tasks go to Redis: start workers with "
                "`manage.py rqworker default --job-class django_tasks_rq.Job`."
            )
        self.stdout.write(f"Shouwang at http://{addrport}/ ({workers} web workers)")
        # A service manager stops us with SIGTERM: leave through `finally`, so
        # that the worker and the scheduler stop with the server.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            children[0].wait()
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                child.terminate()
            for child in children:
                child.wait(timeout=15)
