import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Start the web server, a task worker and the scheduler together (one machine)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        manage = [sys.executable, "-m", "django"]
        children = [subprocess.Popen([*manage, "scheduler"])]  # noqa: S603
        if settings.TASKS_BACKEND == "database":
            worker = [*manage, "db_worker", "--interval", "0.5"]
            children.append(subprocess.Popen(worker))  # noqa: S603
        else:
            self.stdout.write(
                "Tasks go to Redis: start workers with "
                "`manage.py rqworker default --job-class django_tasks_rq.Job`."
            )
        # A service manager stops us with SIGTERM: leave through `finally`, so
        # that the worker and the scheduler stop with the server.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            for child in children:
                child.terminate()
            for child in children:
                child.wait(timeout=10)
