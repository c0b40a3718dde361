"""The app's clock. Domain code asks it, not `timezone.now()`, for one reason:
the demo replays the April 2022 lockdown, so its "today" must be a day inside
that incident. `SHOUWANG_DEMO_DATE=2022-04-15` shifts the clock by whole days
to that date, keeping the time of day; every process computes the same shift.
Unset (production, tests), it is `timezone.now()`, so freezegun works on it.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import cache

from django.utils import timezone


@cache
def _offset() -> dt.timedelta:
    target = os.environ.get("SHOUWANG_DEMO_DATE", "")
    if not target:
        return dt.timedelta(0)
    return dt.date.fromisoformat(target) - timezone.localdate()


def now() -> dt.datetime:
    return timezone.now() + _offset()


def today() -> dt.date:
    """The local (Asia/Shanghai) date: the check-in day turns at Beijing midnight."""
    return timezone.localdate(now())
