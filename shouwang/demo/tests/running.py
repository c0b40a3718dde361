"""The demo as `scripts/demo.sh` runs it: its clock started at the demo's now."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from shouwang.demo.lockdown import NOW
from shouwang.lib import clock


@contextmanager
def demo_clock() -> Iterator[None]:
    """The environment demo.sh gives every process, with the demo starting now."""
    env = {"SHOUWANG_DEMO_START": NOW.isoformat(), "SHOUWANG_DEMO_EPOCH": str(time.time())}
    try:
        with mock.patch.dict(os.environ, env):
            clock.reset()
            yield
    finally:
        clock.reset()
