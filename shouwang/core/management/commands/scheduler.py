import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.module_loading import autodiscover_modules

from shouwang.core.scheduler import JOBS, fire_due
from shouwang.lib import clock


class Command(BaseCommand):
    help = "Enqueue periodic tasks when their cron slot comes (safe to run on several machines)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Fire what is due now and exit.")

    def handle(self, *args: Any, once: bool = False, **options: Any) -> None:
        autodiscover_modules("tasks")
        self.stdout.write(f"scheduler: {len(JOBS)} jobs: {', '.join(sorted(JOBS))}")
        while True:
            for run in fire_due():
                self.stdout.write(f"scheduler: enqueued {run}")
            if once:
                return
            # Wake just after the next minute boundary, where cron slots fall.
            time.sleep(60.5 - clock.now().second)
