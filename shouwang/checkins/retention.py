"""The retention purge (PIPL): a set number of days after an incident closes,
its check-in detail goes and only the counts stay.

The incident's check-ins and the reminders about it are deleted, and with
them whatever the other apps keep that says whose health was in question or
who did not report when, through `hooks.before_purge` (the counts that outlive
the detail are written there too, from the detail, before it goes). Privacy
acceptances stay: they record consent, not health, and are the proof of it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q

from shouwang.core import audit
from shouwang.incidents.models import Incident
from shouwang.lib import clock

from . import hooks
from .audit import CheckinEvent
from .models import CheckIn
from .reminders import delete_messages

if TYPE_CHECKING:
    from shouwang.accounts.models import User


def purge_incident(
    incident: Incident, *, acting_user: User | None = None, now: dt.datetime | None = None
) -> bool:
    """Delete a closed incident's check-in detail; False if it is open or already purged."""
    now = now or clock.now()
    if incident.closed_at is None:
        return False
    with transaction.atomic():
        # Claim it: of two purges racing, one does the work and one does nothing.
        if not Incident.objects.filter(pk=incident.pk, purged_at__isnull=True).update(
            purged_at=now
        ):
            return False
        incident.purged_at = now
        purged: Counter[str] = Counter()
        for hook in hooks.before_purge:
            purged.update(hook(incident, now))
        purged["checkins"], _ = CheckIn.objects.filter(incident=incident).delete()
        purged["messages"] += delete_messages("reminder", incident)
        audit.record(
            CheckinEvent.DETAILS_PURGED, incident, acting_user=acting_user, request=None, **purged
        )
    return True


def purge_due(now: dt.datetime | None = None) -> list[Incident]:
    """Purge every closed incident whose retention has run out; returns them."""
    now = now or clock.now()
    purged = []
    for incident in Incident.objects.filter(closed_at__isnull=False, purged_at__isnull=True):
        due = incident.purge_due_at()
        if due is not None and due <= now and purge_incident(incident, now=now):
            purged.append(incident)
    return purged


def backup_holds_expired_detail(made_at: dt.datetime, now: dt.datetime) -> bool:
    """Whether a backup made at `made_at` holds check-in detail that the purge
    has deleted, or would delete, by `now`: such a backup must go too."""
    held = Incident.objects.filter(started_at__lte=made_at, closed_at__isnull=False).filter(
        Q(purged_at__isnull=True) | Q(purged_at__gt=made_at)
    )
    return any(due <= now for due in (incident.purge_due_at() for incident in held) if due)


def purge_after_restore() -> dict[str, int]:
    """A restored backup may hold detail purged since it was made: purge it again."""
    return {"incidents whose check-in detail was purged": len(purge_due())}
