"""`manage.py`, for crash tests, with pauses at the points where a test kills
the worker: SLOW_BATCH seconds after each batch a resumable job commits, and
SLOW_ROSTER_WRITE seconds inside a roster commit's transaction. The pauses
only widen the window; what runs is the real command and the real job.

    python -m shouwang.core.tests.slow_worker db_worker --no-startup-delay
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any


def pause_between_batches(seconds: float) -> None:
    from django.db import transaction

    from shouwang.core.jobs import Progress

    checkpoint = Progress.checkpoint

    def slow_checkpoint(self: Progress, done: int, **where: Any) -> None:
        checkpoint(self, done, **where)
        # Once the batch has committed: the test sees it, then kills.
        transaction.on_commit(lambda: time.sleep(seconds))

    Progress.checkpoint = slow_checkpoint  # type: ignore[method-assign]


def pause_in_roster_write(seconds: float) -> None:
    from shouwang.people import actions

    update_classes = actions._update_classes

    def slow_update_classes(*args: Any, **kwargs: Any) -> Any:
        result = update_classes(*args, **kwargs)
        time.sleep(seconds)  # the people are written, not yet committed
        return result

    actions._update_classes = slow_update_classes


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouwang.settings")
    import django

    django.setup()
    if seconds := os.environ.get("SLOW_BATCH"):
        pause_between_batches(float(seconds))
    if seconds := os.environ.get("SLOW_ROSTER_WRITE"):
        pause_in_roster_write(float(seconds))
    from django.core.management import execute_from_command_line

    execute_from_command_line(["manage.py", *sys.argv[1:]])


if __name__ == "__main__":
    main()
