"""`manage.py`, for crash tests, with pauses at the points where a test kills
the worker: SLOW_BATCH seconds after each batch a resumable job commits, and
SLOW_AFTER="module:function=seconds" after each call of one function (for
one inside a transaction: before it commits). The pauses only widen the
window; what runs is the real command and the real job.

    SLOW_AFTER=shouwang.compliance.tallies:store_tally=30 \
    python -m shouwang.core.tests.slow_worker db_worker --no-startup-delay
"""

from __future__ import annotations

import functools
import importlib
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


def pause_after(spec: str) -> None:
    """Sleep after each call of the function named by `module:function=seconds`
    (the callers look it up in its module, so replacing it there is enough)."""
    name, seconds = spec.rsplit("=", 1)
    module_path, function_name = name.split(":")
    module = importlib.import_module(module_path)
    function = getattr(module, function_name)

    @functools.wraps(function)
    def slow(*args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        time.sleep(float(seconds))
        return result

    setattr(module, function_name, slow)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouwang.settings")
    import django

    django.setup()
    if seconds := os.environ.get("SLOW_BATCH"):
        pause_between_batches(float(seconds))
    if spec := os.environ.get("SLOW_AFTER"):
        pause_after(spec)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["manage.py", *sys.argv[1:]])


if __name__ == "__main__":
    main()
