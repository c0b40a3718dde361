"""The retention purge (PIPL): a set number of days after an incident closes,
its check-in detail goes and only the counts stay.

For each day of the incident and each class (or, for people in no class, each
unit) a `DailyTally` keeps expected, reported, late, abnormal and on-campus
counts. Then the incident's check-ins, screening flags with their actions, and
the reminders, missing lists and escalations about it are deleted. Privacy
acceptances stay: they record consent, not health, and are the proof of it.

"Expected" cannot be rebuilt for past days once the roster has moved on, so it
is the incident's expected people at purge time plus anyone who checked in
during the incident without being among them any more (a student who reported
and has since graduated was evidently expected then): every check-in stays
counted, and reported never exceeds expected. People are counted in their class
or unit at purge time, too.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from shouwang.core import audit
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.notify.models import Message

from .audit import CheckinEvent
from .models import CheckIn, DailyTally, Flag, FlagAction, Location
from .reminders import KEY_KINDS, key_prefix

Group = tuple[int | None, int | None]  # (class id, unit id): one of the two, or neither


def _group(class_id: int | None, unit_id: int | None) -> Group:
    return (class_id, None) if class_id is not None else (None, unit_id)


def _days(incident: Incident, now: dt.datetime) -> list[dt.date]:
    end = incident.end_date or timezone.localdate(now)
    return [
        incident.start_date + dt.timedelta(days=n)
        for n in range((end - incident.start_date).days + 1)
    ]


def tallies(incident: Incident, now: dt.datetime | None = None) -> list[DailyTally]:
    """The incident's counts per day and class (or unit), computed from the detail."""
    now = now or clock.now()
    expected_group: dict[int, Group] = {
        pk: _group(class_id, unit_id)
        for pk, class_id, unit_id in incident.expected_people().values_list(
            "pk", "admin_class_id", "unit_id"
        )
    }
    counts: dict[tuple[dt.date, Group], Counter[str]] = {}
    gone: dict[int, Group] = {}  # reported during the incident, no longer expected
    checkins = (
        CheckIn.objects.filter(incident=incident)
        .only(
            "person_id",
            "date",
            "late",
            "location",
            "symptoms",
            "temperature",
            "contact_with_case",
            "stayed_in_risk_area",
        )
        .annotate(class_id=F("person__admin_class_id"), unit_id=F("person__unit_id"))
    )
    for checkin in checkins.iterator(chunk_size=2000):
        group = expected_group.get(checkin.person_id)
        if group is None:
            group = gone[checkin.person_id] = _group(checkin.class_id, checkin.unit_id)
        count = counts.setdefault((checkin.date, group), Counter())
        count["reported"] += 1
        count["late"] += checkin.late
        count["abnormal"] += checkin.is_abnormal
        count["on_campus"] += checkin.location == Location.CAMPUS
    expected = Counter(expected_group.values()) + Counter(gone.values())
    days = sorted(set(_days(incident, now)) | {day for day, _group in counts})
    rows = []
    for day in days:
        for group in sorted(expected, key=lambda g: (g[0] or 0, g[1] or 0)):
            count = counts.get((day, group), Counter())
            rows.append(
                DailyTally(
                    incident=incident,
                    date=day,
                    admin_class_id=group[0],
                    unit_id=group[1],
                    expected=expected[group],
                    reported=count["reported"],
                    late=count["late"],
                    abnormal=count["abnormal"],
                    on_campus=count["on_campus"],
                )
            )
    return rows


def purge_incident(incident: Incident, *, acting_user=None, now: dt.datetime | None = None) -> bool:
    """Replace a closed incident's check-in detail by its tallies; False if it
    is open or already purged."""
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
        DailyTally.objects.filter(incident=incident).delete()
        written = DailyTally.objects.bulk_create(tallies(incident, now), batch_size=1000)
        actions, _ = FlagAction.objects.filter(flag__incident=incident).delete()
        flags, _ = Flag.objects.filter(incident=incident).delete()
        checkins, _ = CheckIn.objects.filter(incident=incident).delete()
        messages = 0
        for kind in KEY_KINDS:
            deleted, _ = Message.objects.filter(key__startswith=key_prefix(kind, incident)).delete()
            messages += deleted
        audit.record(
            CheckinEvent.DETAILS_PURGED,
            incident,
            acting_user=acting_user,
            checkins=checkins,
            flags=flags,
            flag_actions=actions,
            messages=messages,
            tallies=len(written),
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
