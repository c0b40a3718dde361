"""The daily tallies, and which source of counts each viewer reads.

Two sources only. College-wide figures (an admin's, a leader's units') come
from the tallies: a job counts each running incident's day every minute into
`DailyTally` rows (`keep_tallies`), and the pages read those few thousand rows
instead of joining everyone with the day's check-ins; a page that finds them
missing or stale (a new incident, a stopped worker) counts them itself
(`keep_fresh`). A counsellor's few classes are counted live (`counts.count`).
Once an incident is purged its tallies, counted a last time from the detail
(`store_final_tallies`), are all there is, for everyone.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.db.models import F, Min, QuerySet, Sum
from django.utils import timezone

from shouwang.checkins.models import CheckIn, Location
from shouwang.core.db import db_values, insert_many
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.people.models import in_units_q

from .counts import Counts, Key, Scope, Tally, count, count_days
from .models import DailyTally

# The pages read the tallies of a day going on while they are this recent: the
# job counts every minute, so two of its periods, one of which may be late.
TALLY_FRESH_SECONDS = 120

# The columns `store_tally` writes, in the order of its rows.
TALLY_COLUMNS = [
    "incident",
    "date",
    "counted_at",
    "admin_class",
    "unit",
    "expected",
    "reported",
    "late",
    "abnormal",
    "on_campus",
]


def days_so_far(incident: Incident, now: dt.datetime) -> list[dt.date]:
    """The incident's days up to today, or up to its last day once it has closed."""
    today = timezone.localdate(now)
    last = min(today, incident.end_date) if incident.end_date else today
    return [
        incident.start_date + dt.timedelta(days=n)
        for n in range((last - incident.start_date).days + 1)
    ]


def day_over(incident: Incident, day: dt.date) -> dt.datetime:
    """When no more check-ins can come for `day`: its midnight, or the incident's close."""
    midnight = clock.at(day + dt.timedelta(days=1), dt.time())
    return min(midnight, incident.closed_at) if incident.closed_at else midnight


def store_tally(incident: Incident, day: dt.date) -> int:
    """Count the whole college's `day` afresh into its daily tallies; how many rows.

    Nothing is written for a purged incident: the purge's tallies are final."""
    if incident.purged_at is not None:
        return 0
    # Counted before the transaction: on SQLite it holds the one write lock.
    counted = count(incident, day, Scope(None))
    constants = db_values(
        DailyTally, {"incident": incident.pk, "date": day, "counted_at": counted.taken_at}
    )
    rows = [
        [*constants, class_id, unit_id, c.expected, c.reported, c.late, c.abnormal, c.on_campus]
        for (class_id, unit_id), c in counted.groups.items()
    ]
    with transaction.atomic():
        # The purge claims the incident's row before it writes its tallies:
        # of the two, whichever comes second sees what the first did. (No key
        # update: a check-in's foreign key check does not wait for it.)
        if not Incident.objects.select_for_update(no_key=True).filter(
            pk=incident.pk, purged_at__isnull=True
        ):
            return 0
        DailyTally.objects.filter(incident=incident, date=day).delete()
        insert_many(DailyTally, TALLY_COLUMNS, rows)
    return len(rows)


def _taken_at(incident: Incident, days: list[dt.date] | None = None) -> dict[dt.date, dt.datetime]:
    """When each day's tallies (all of them, whatever the scope) were taken."""
    tallies = DailyTally.objects.filter(incident=incident)
    if days is not None:
        tallies = tallies.filter(date__in=days)
    return dict(tallies.order_by().values_list("date").annotate(Min("counted_at")))


def days_to_count(incident: Incident, now: dt.datetime) -> list[dt.date]:
    """Today while the incident runs, and every day of it whose tallies are not
    final: taken before the day was over, or never taken."""
    counted = _taken_at(incident)
    return [
        day
        for day in days_so_far(incident, now)
        if (over := day_over(incident, day)) > now
        or counted.get(day) is None
        or counted[day] < over
    ]


def keep_tallies() -> dict[int, int]:
    """Count every day that needs it of every incident not yet purged; the job
    runs this every minute. Returns the rows written per incident."""
    now = clock.now()
    written = {}
    for incident in Incident.objects.filter(purged_at__isnull=True).prefetch_related("units"):
        days = days_to_count(incident, now)
        if days:
            written[incident.pk] = sum(store_tally(incident, day) for day in days)
    return written


def keep_fresh(incident: Incident, days: list[dt.date]) -> None:
    """Count into the tallies each of `days` whose tallies a page may not show
    as they are: none, or (a day going on) older than TALLY_FRESH_SECONDS, or
    (a day over) taken before it was. The job keeps them so; this is for when
    it has not run."""
    if incident.purged_at is not None:
        return
    now = clock.now()
    recent = now - dt.timedelta(seconds=TALLY_FRESH_SECONDS)
    taken = _taken_at(incident, days)
    for day in days:
        if day not in taken or taken[day] < min(day_over(incident, day), recent):
            store_tally(incident, day)


def _tallies(incident: Incident, scope: Scope) -> QuerySet[DailyTally]:
    tallies = DailyTally.objects.filter(incident=incident)
    if scope.class_ids is not None:
        tallies = tallies.filter(admin_class_id__in=scope.class_ids)
    if scope.unit_ids is not None:
        # A row is a class and unit's people: in scope exactly when they are.
        tallies = tallies.filter(in_units_q(scope.unit_ids))
    return tallies


def stored_tally(incident: Incident, day: dt.date, scope: Scope) -> Tally:
    """The day's tallies within the scope, as a Tally taken when its oldest row was."""
    tallies = _tallies(incident, scope).filter(date=day).order_by()
    # Apart: converting a time on each of thousands of rows costs more than a query.
    taken_at = tallies.aggregate(taken_at=Min("counted_at"))["taken_at"]
    rows = tallies.values_list(
        "admin_class_id",
        "unit_id",
        "admin_class__unit_id",
        "expected",
        "reported",
        "late",
        "abnormal",
        "on_campus",
    )
    groups: dict[Key, Counts] = {}
    for class_id, unit_id, class_unit_id, *counts in rows:
        # The purge writes a class's row without its unit.
        groups.setdefault((class_id, unit_id or class_unit_id), Counts()).add(Counts(*counts))
    return Tally(incident, day, scope, groups, taken_at or clock.now())


def missing_count(incident: Incident, day: dt.date, scope: Scope, **filters: Any) -> int:
    """How many of the scope's expected people had not reported on `day`, as
    the tallies counted them (kept fresh as for `day_tally`): the missing
    list's count for a leader, the figure the compliance page showed, without
    joining the whole college with the day's check-ins again. `filters` narrow
    the tallies as the list narrows its people: `admin_class`, `unit` (the
    person's own), `counsellor` (of the class), `no_class`."""
    keep_fresh(incident, [day])
    rows = _tallies(incident, scope).filter(date=day)
    if filters.get("admin_class") is not None:
        rows = rows.filter(admin_class=filters["admin_class"])
    if filters.get("unit") is not None:
        rows = rows.filter(unit=filters["unit"])
    if filters.get("counsellor") is not None:
        rows = rows.filter(admin_class__counsellor=filters["counsellor"])
    if filters.get("no_class"):
        rows = rows.filter(admin_class__isnull=True)
    summed = rows.order_by().aggregate(expected=Sum("expected"), reported=Sum("reported"))
    return max(0, (summed["expected"] or 0) - (summed["reported"] or 0))


def from_tallies(incident: Incident, scope: Scope) -> bool:
    """Whether `scope`'s figures come from the tallies rather than live."""
    return scope.by_units or incident.purged_at is not None


def day_tally(incident: Incident, day: dt.date, scope: Scope) -> Tally:
    """The day's counts as a viewer sees them (see the module's docstring)."""
    if not from_tallies(incident, scope):
        return count(incident, day, scope)
    keep_fresh(incident, [day])
    return stored_tally(incident, day, scope)


@dataclass
class Point:
    date: dt.date
    counts: Counts


def trend(incident: Incident, scope: Scope, expected: int) -> list[Point]:
    """Each day of the incident so far, oldest first.

    From the tallies, each day has its own number expected. Counted live (a
    counsellor's classes), each is measured against `expected`, today's: the
    roster keeps no history."""
    days = days_so_far(incident, clock.now())
    if not days:
        return []
    if from_tallies(incident, scope):
        keep_fresh(incident, days)
        found = _summed(incident, scope, days[0], days[-1])
        return [Point(day, found.get(day, Counts())) for day in days]
    found = count_days(incident, scope.people(incident), days[0], days[-1])
    return [Point(day, replace(found.get(day, Counts()), expected=expected)) for day in days]


def _summed(
    incident: Incident, scope: Scope, first: dt.date, last: dt.date
) -> dict[dt.date, Counts]:
    """Each day's tallies within the scope, summed."""
    rows = (
        _tallies(incident, scope)
        .filter(date__range=(first, last))
        .order_by()
        .values("date")
        .annotate(
            expected_sum=Sum("expected"),
            reported_sum=Sum("reported"),
            late_sum=Sum("late"),
            abnormal_sum=Sum("abnormal"),
            on_campus_sum=Sum("on_campus"),
        )
    )
    return {
        row["date"]: Counts(
            row["expected_sum"],
            row["reported_sum"],
            row["late_sum"],
            row["abnormal_sum"],
            row["on_campus_sum"],
        )
        for row in rows
    }


# (class id, unit id) of a person at purge time: one of the two, or neither.
Group = tuple[int | None, int | None]


def _group(class_id: int | None, unit_id: int | None) -> Group:
    return (class_id, None) if class_id is not None else (None, unit_id)


def final_tallies(incident: Incident, now: dt.datetime) -> list[DailyTally]:
    """The incident's counts per day and class (or unit), computed from the
    detail before the purge deletes it.

    "Expected" cannot be rebuilt for past days once the roster has moved on,
    so it is the incident's expected people at purge time plus anyone who
    checked in during the incident without being among them any more (a
    student who reported and has since graduated was evidently expected then):
    every check-in stays counted, and reported never exceeds expected. People
    are counted in their class or unit at purge time, too."""
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
        tally = counts.setdefault((checkin.date, group), Counter())
        tally["reported"] += 1
        tally["late"] += checkin.late
        tally["abnormal"] += checkin.is_abnormal
        tally["on_campus"] += checkin.location == Location.CAMPUS
    expected = Counter(expected_group.values()) + Counter(gone.values())
    days = sorted(set(days_so_far(incident, now)) | {day for day, _group in counts})
    rows = []
    for day in days:
        for group in sorted(expected, key=lambda g: (g[0] or 0, g[1] or 0)):
            tally = counts.get((day, group), Counter())
            rows.append(
                DailyTally(
                    incident=incident,
                    date=day,
                    admin_class_id=group[0],
                    unit_id=group[1],
                    expected=expected[group],
                    reported=tally["reported"],
                    late=tally["late"],
                    abnormal=tally["abnormal"],
                    on_campus=tally["on_campus"],
                    counted_at=now,
                )
            )
    return rows


def store_final_tallies(incident: Incident, now: dt.datetime) -> dict[str, int]:
    """The purge's hook (`checkins.hooks.before_purge`): the counts outlive the detail."""
    DailyTally.objects.filter(incident=incident).delete()
    written = DailyTally.objects.bulk_create(final_tallies(incident, now), batch_size=1000)
    return {"tallies": len(written)}
