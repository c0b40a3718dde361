"""What other apps do at two points of a check-in's life, registered from their
`AppConfig.ready()` with `add`.

Explicit lists, not signals: checkins imports none of the apps that register,
a reader finds every registration by searching for a list's name, and the
hooks run in INSTALLED_APPS order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from shouwang.incidents.models import Incident

    from .models import CheckIn

# A check-in about to be stored (`actions.submit_checkin`), called before its
# transaction begins with the answers being stored; what it returns, if
# anything, runs inside the transaction once the row is written, and not at
# all when the submission was a replay that wrote nothing. (The transaction
# holds SQLite's one write lock: whatever can be worked out before it, is.)
CheckInStored = Callable[["CheckIn"], Callable[[], object] | None]
checkin_stored: list[CheckInStored] = []

# An incident's check-in detail about to be purged (`retention.purge_incident`):
# called inside the purge's transaction, before the check-ins are deleted, with
# the purge's time. Returns how many rows of each kind it wrote or deleted, for
# the purge's audit row (counts of the same name add up).
BeforePurge = Callable[["Incident", dt.datetime], Mapping[str, int]]
before_purge: list[BeforePurge] = []

H = TypeVar("H")


def add(hooks: list[H], hook: H) -> None:
    """Register `hook` once, however often an app's ready() runs."""
    if hook not in hooks:
        hooks.append(hook)
