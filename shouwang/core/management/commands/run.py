import json
import os
import sys
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shouwang.core.startup import refuse_unsafe_production


def default_workers() -> int:
    """WEB_CONCURRENCY, or one web worker per core plus one.

    Not gunicorn's 2 × cores + 1: on the small campus server this command is
    for, each worker costs memory and the database is on the same cores."""
    return int(os.environ.get("WEB_CONCURRENCY", (os.cpu_count() or 1) + 1))


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
            help="gunicorn worker processes (default: WEB_CONCURRENCY or cores + 1)",
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
            "--config",
            "python:shouwang.core.gunicorn_conf",
            "--bind",
            addrport,
            "--workers",
            str(workers),
        ]
        if settings.TASKS_BACKEND == "database":
            # One process runs the queue's tasks and fires the schedule.
            children = [server, [*manage, "scheduler", "--run-tasks"]]
        else:
            children = [server, [*manage, "scheduler"]]
            self.stdout.write(
                "Tasks go to Redis: start workers with "
                "`manage.py rqworker default --job-class django_tasks_rq.Job`."
            )
        self.stdout.write(f"Shouwang at http://{addrport}/ ({workers} web workers)")
        self.stdout.flush()
        # The parent only waits on its children: it becomes a small process
        # without Django rather than keep a copy of the app it never uses.
        supervisor = [sys.executable, "-m", "shouwang.core.supervise", json.dumps(children)]
        os.execv(sys.executable, supervisor)  # noqa: S606
