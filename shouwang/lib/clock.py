"""The app's clock. Domain code asks it, not `timezone.now()`, for one reason:
the demo replays the April 2022 lockdown, so its "now" must be a moment inside
that incident. `SHOUWANG_DEMO_START=2022-04-16T09:30+08:00` is where the
demo's clock stands at the real moment `SHOUWANG_DEMO_EPOCH` (Unix seconds,
when the demo started), and from there it runs on with the real clock. Every
process of one demo (web, worker, scheduler) is given the same two values, so
they all read the same time. Unset (production, tests), it is `timezone.now()`,
so freezegun works on it. Which timers keep the wall clock instead is
CONTRIBUTING.md's "Time".

Beijing time is written one way, in code and tests alike: `BEIJING` is the
zone, `beijing(2022, 4, 16, 9, 30)` a moment in it, `at(day, time)` a local
day's moment (a deadline, a meal's time). The college's day turns at Beijing
midnight (settings.TIME_ZONE is the same zone).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from zoneinfo import ZoneInfo

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

BEIJING = ZoneInfo("Asia/Shanghai")


@cache
def _offset() -> dt.timedelta:
    start = os.environ.get("SHOUWANG_DEMO_START", "")
    if not start:
        return dt.timedelta(0)
    epoch = os.environ.get("SHOUWANG_DEMO_EPOCH", "")
    if not epoch:
        # Each process would otherwise start the demo's clock at its own
        # start, and the worker and the web would disagree by seconds or days.
        raise ImproperlyConfigured("SHOUWANG_DEMO_START needs SHOUWANG_DEMO_EPOCH")
    started = dt.datetime.fromisoformat(start)
    if timezone.is_naive(started):
        raise ImproperlyConfigured("SHOUWANG_DEMO_START needs its UTC offset, e.g. +08:00")
    return started - dt.datetime.fromtimestamp(float(epoch), tz=dt.timezone.utc)


# Set while the demo builds a record of a past day (`standing_at`).
_standing: ContextVar[dt.timedelta | None] = ContextVar("clock_standing", default=None)


def now() -> dt.datetime:
    standing = _standing.get()
    return timezone.now() + (_offset() if standing is None else standing)


@contextmanager
def standing_at(moment: dt.datetime) -> Iterator[None]:
    """The clock stands at `moment` (and runs on from it) while the block
    runs: the demo records what was done on a past day, audit entries and
    messages included, on that day."""
    token = _standing.set(moment - timezone.now())
    try:
        yield
    finally:
        _standing.reset(token)


def today() -> dt.date:
    """The local (Asia/Shanghai) date: the check-in day turns at Beijing midnight."""
    return timezone.localdate(now())


def reset() -> None:
    """Read the demo's environment again (a test that starts a demo clock)."""
    _offset.cache_clear()


def beijing(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    """A moment in Beijing time."""
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=BEIJING)


def at(day: dt.date, time: dt.time) -> dt.datetime:
    """The moment of `time` on the Beijing day `day`."""
    return dt.datetime.combine(day, time, tzinfo=BEIJING)
