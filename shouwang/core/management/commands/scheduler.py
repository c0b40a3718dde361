import logging
import threading
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils.module_loading import autodiscover_modules

from shouwang.core.scheduler import JOBS, fire_due
from shouwang.lib import clock

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Enqueue periodic tasks when their cron slot comes (safe to run on several machines)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Fire what is due now and exit.")
        parser.add_argument(
            "--run-tasks",
            action="store_true",
            help=(
                "Also run the database queue's tasks in this process (what `db_worker` "
                "does), so that one process does both; with --once, run the queue dry and exit."
            ),
        )

    def handle(
        self, *args: Any, once: bool = False, run_tasks: bool = False, **options: Any
    ) -> None:
        autodiscover_modules("tasks")
        self.stdout.write(f"scheduler: {len(JOBS)} jobs: {', '.join(sorted(JOBS))}")
        if not run_tasks:
            self.fire(once=once)
            return
        if once:
            self.fire(once=True)
            call_command("db_worker", batch=True, startup_delay=False)
            return
        # The worker keeps the main thread, where signals arrive: on SIGTERM it
        # finishes its task and exits, and the scheduler's thread goes with it.
        threading.Thread(target=self.fire, name="scheduler", daemon=True).start()
        call_command("db_worker", interval=0.5)

    def fire(self, once: bool = False) -> None:
        if once:
            for run in fire_due():
                self.stdout.write(f"scheduler: enqueued {run}")
            return
        while True:
            # A connection idle for a minute may have been dropped by the server.
            close_old_connections()
            try:
                for run in fire_due():
                    self.stdout.write(f"scheduler: enqueued {run}")
            except Exception:
                # A locked or lost database must not end the schedule for good:
                # the slot goes to whoever claims it, now or next minute.
                logger.exception("scheduler: firing failed; trying again next minute")
            # Wake just after the next minute boundary, where cron slots fall.
            time.sleep(60.5 - clock.now().second)
