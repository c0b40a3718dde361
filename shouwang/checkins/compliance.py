"""Compliance: who was expected on a day, who reported, who is missing, late
or abnormal, per class, unit and counsellor, and the trend over an incident.

Everything is counted in the database by a few grouped queries, whatever the
number of classes or people: one query groups the day's expected people by
class and unit and joins each to their check-in of the day (the index on
(incident, date, person, ...) serves it); the per-class, per-unit and
per-counsellor rows are sums of those groups in Python. The trend reads each
day that is over from its final tallies, and counts any other by one query
grouped by date.

That join reads every expected person: about half a second for 300,000 people
on a slow machine. So the college-wide count is taken off the request path: a
job counts each running incident's day every minute into `DailyTally` rows
(`keep_tallies`), and the leaders' page reads those few thousand rows
(`recent_tally`): an admin all of them, a leader those of the classes and
units in their subtree, summed. A counsellor's few classes are counted live.

Check-ins are counted under the incident they were recorded for (that is what
the index covers); a person reports once a day, to the incident that covers
them (`incidents.access.current_incident_for`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.core.cache import cache
from django.db import transaction
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.accounts.models import Role
from shouwang.core.db import db_values, insert_many
from shouwang.incidents.access import incidents_for_user
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.people.access import classes_for_user
from shouwang.people.models import AdminClass, Person, Unit, in_units_q

from .models import FEVER, CheckIn, DailyTally, Location

# Closed days of an incident do not change (a check-in is for its own day), so
# each is counted once and cached; the timeout bounds what a correction made in
# the admin can leave stale.
TREND_CACHE_SECONDS = 24 * 60 * 60
# When the minute's tallies are missing (no job ran: a new incident, a stopped
# worker), the page counts the college itself, and pages that poll share that
# count for this many seconds (they show when it was taken).
COLLEGE_CACHE_SECONDS = 30
# The leaders' page reads the day's tallies while they are this recent: the
# job counts every minute, so two of its periods, one of which may be late.
TALLY_FRESH_SECONDS = 120


def abnormal_q(prefix: str = "") -> Q:
    """CheckIn.is_abnormal in SQL; `prefix` is the path to the check-in ("today__")."""
    return (
        ~Q(**{f"{prefix}symptoms": []})
        | Q(**{f"{prefix}temperature__gte": FEVER})
        | Q(**{f"{prefix}contact_with_case": True})
        | Q(**{f"{prefix}stayed_in_risk_area": True})
    )


@dataclass
class Counts:
    expected: int = 0
    reported: int = 0
    late: int = 0
    abnormal: int = 0
    on_campus: int = 0  # reported from the campus

    @property
    def missing(self) -> int:
        return max(0, self.expected - self.reported)

    @property
    def percent(self) -> int:
        """Reported as a whole percentage of expected (100 when no one was expected)."""
        if not self.expected:
            return 100
        return int(100 * self.reported / self.expected)

    def add(self, other: Counts) -> None:
        self.expected += other.expected
        self.reported += other.reported
        self.late += other.late
        self.abnormal += other.abnormal
        self.on_campus += other.on_campus


@dataclass(frozen=True)
class Scope:
    """Whose figures a viewer sees: everyone (both None), the people of some
    units (a leader's subtree, `unit_ids`) or of some classes (a counsellor's)."""

    class_ids: frozenset[int] | None
    unit_ids: frozenset[int] | None = None

    @property
    def everyone(self) -> bool:
        return self.class_ids is None and self.unit_ids is None

    @property
    def by_units(self) -> bool:
        """A leader's or admin's scope: read from the minute's tallies, shown by unit."""
        return self.class_ids is None

    @property
    def key(self) -> str:
        if self.everyone:
            return "all"
        parts = []
        for prefix, ids in (("c", self.class_ids), ("u", self.unit_ids)):
            if ids is not None:
                parts.append(prefix + ",".join(str(pk) for pk in sorted(ids)))
        return hashlib.sha256(";".join(parts).encode()).hexdigest()[:16]

    def people(self, incident: Incident) -> QuerySet[Person]:
        """The incident's expected people within this scope."""
        people = incident.expected_people()
        if self.class_ids is not None:
            people = people.filter(admin_class_id__in=self.class_ids)
        if self.unit_ids is not None:
            people = people.filter(in_units_q(self.unit_ids))
        return people


def scope_for(user) -> Scope:
    """Admins see everyone; a leader the people of their unit and its
    sub-units; a counsellor the people of their own classes."""
    units = user.reach_unit_ids
    if units is None:
        return Scope(None)
    if user.has_role(Role.LEADER):
        if units and units >= user.unit_tree.keys():
            # A leader at the root reaches every unit, and only people of a
            # unit are ever expected: the whole count, without a filter on it.
            return Scope(None)
        return Scope(None, units)
    if user.has_role(Role.COUNSELLOR):
        return Scope(frozenset(classes_for_user(user).values_list("pk", flat=True)))
    return Scope(frozenset())


def incident_choices(user) -> QuerySet[Incident]:
    """The incidents a viewer may pick, open ones first, then the latest closed."""
    return incidents_for_user(user).order_by(
        F("closed_at").desc(nulls_first=True), "-started_at", "-pk"
    )


def default_incident(user) -> Incident | None:
    """What the compliance and screening pages open on: the newest open incident,
    else the latest closed one."""
    return incident_choices(user).first()


def default_day(incident: Incident) -> dt.date:
    """Today while the incident runs; its last day once it has closed."""
    today = clock.today()
    end = incident.end_date
    return min(today, end) if end else today


# (class, unit): the groups every row is a sum of. A person in no class has
# no class; the unit is the person's (or the class's, for tallies written
# without one). Grouping by the person's own columns keeps the big query to one
# join; each class's name and counsellor come from a second, small one.
Key = tuple[int | None, int | None]


@dataclass
class Row:
    kind: str  # "class", "unit" or "counsellor"
    pk: int | None
    label: str
    counts: Counts
    # The missing list's filters for this row, and the view's link to it.
    filters: dict[str, str] = field(default_factory=dict)
    link: str = ""


@dataclass
class Tally:
    """The counts of one incident-day within a scope, grouped by class and unit."""

    incident: Incident
    day: dt.date
    scope: Scope
    groups: dict[Key, Counts]
    # When the counts were taken (a polling page may show a recent copy).
    taken_at: dt.datetime = field(default_factory=clock.now)

    @property
    def total(self) -> Counts:
        total = Counts()
        for counts in self.groups.values():
            total.add(counts)
        return total

    def _classes(self) -> dict[int, tuple[str, int | None]]:
        """Name and counsellor of each class in scope (every class, for everyone,
        and every class of a leader's units: cheaper than naming thousands of
        ids in the query)."""
        classes = AdminClass.objects.order_by()
        if self.scope.class_ids is not None:
            classes = classes.filter(pk__in=self.scope.class_ids)
        elif self.scope.unit_ids is not None:
            classes = classes.filter(unit_id__in=self.scope.unit_ids)
        found: dict[int, tuple[str, int | None]] = {
            pk: (name, counsellor_id)
            for pk, name, counsellor_id in classes.values_list("pk", "name", "counsellor_id")
        }
        # A person of the leader's units may sit in a class of another unit.
        strays = {pk for pk, _unit_id in self.groups if pk is not None and pk not in found}
        if strays and self.scope.unit_ids is not None:
            found.update(
                (pk, (name, counsellor_id))
                for pk, name, counsellor_id in AdminClass.objects.filter(pk__in=strays)
                .order_by()
                .values_list("pk", "name", "counsellor_id")
            )
        return found

    def class_rows(self) -> list[Row]:
        """One row per class; people in no class make one row per unit."""
        by_class: dict[int, Counts] = {}
        by_unit: dict[int | None, Counts] = {}
        for (class_id, unit_id), counts in self.groups.items():
            target = (
                by_class.setdefault(class_id, Counts())
                if class_id is not None
                else by_unit.setdefault(unit_id, Counts())
            )
            target.add(counts)
        classes = self._classes() if by_class else {}
        unit_names = _unit_names(by_unit)
        rows = [
            Row("class", pk, classes.get(pk, ("?", None))[0], counts, {"class": str(pk)})
            for pk, counts in by_class.items()
        ]
        rows += [
            Row(
                "unit",
                pk,
                _("%(unit)s, in no class") % {"unit": unit_names.get(pk, _("no unit"))},
                counts,
                {"unit": str(pk), "no_class": "1"} if pk else {"no_class": "1"},
            )
            for pk, counts in by_unit.items()
        ]
        return _sorted(rows)

    def unit_rows(self) -> list[Row]:
        by_unit: dict[int | None, Counts] = {}
        for (_class_id, unit_id), counts in self.groups.items():
            by_unit.setdefault(unit_id, Counts()).add(counts)
        names = _unit_names(by_unit)
        return _sorted(
            [
                Row(
                    "unit",
                    pk,
                    names.get(pk, _("no unit")),
                    counts,
                    {"unit": str(pk)} if pk else {},
                )
                for pk, counts in by_unit.items()
            ]
        )

    def counsellor_rows(self) -> list[Row]:
        """One row per counsellor; classes without one and people in no class make one row."""
        classes = self._classes()
        by_counsellor: dict[int | None, Counts] = {}
        for (class_id, _unit_id), counts in self.groups.items():
            counsellor_id = classes.get(class_id, ("", None))[1] if class_id else None
            by_counsellor.setdefault(counsellor_id, Counts()).add(counts)
        names = dict(
            Person.objects.filter(pk__in=[pk for pk in by_counsellor if pk]).values_list(
                "pk", "name"
            )
        )
        return _sorted(
            [
                Row(
                    "counsellor",
                    pk,
                    names.get(pk, "?") if pk else _("no counsellor"),
                    counts,
                    {"counsellor": str(pk)} if pk else {},
                )
                for pk, counts in by_counsellor.items()
            ]
        )


def _unit_names(pks: Iterable[int | None]) -> dict[int | None, str]:
    wanted = [pk for pk in pks if pk]
    return dict(Unit.objects.filter(pk__in=wanted).values_list("pk", "name")) if wanted else {}


def _sorted(rows: list[Row]) -> list[Row]:
    # The worst first: that is where a counsellor's phone calls go.
    return sorted(rows, key=lambda row: (-row.counts.missing, row.label))


def tally(
    incident: Incident, day: dt.date, scope: Scope, people: QuerySet[Person] | None = None
) -> Tally:
    """The day's counts in one query (from the daily tallies once the detail is purged).

    `people` is `scope.people(incident)` when the caller has it already."""
    if incident.purged_at is not None:
        return _stored_tally(incident, day, scope) or Tally(incident, day, scope, {})
    if people is None:
        people = scope.people(incident)
    taken_at = clock.now()
    rows = (
        people.annotate(
            today=FilteredRelation(
                "checkins", condition=Q(checkins__incident=incident, checkins__date=day)
            )
        )
        .order_by()
        .values("admin_class_id", "unit_id")
        .annotate(
            expected=Count("pk"),
            reported=Count("today"),
            late=Count("today", filter=Q(today__late=True)),
            abnormal=Count("today", filter=abnormal_q("today__")),
            on_campus=Count("today", filter=Q(today__location=Location.CAMPUS)),
        )
    )
    groups = {
        (row["admin_class_id"], row["unit_id"]): Counts(
            row["expected"], row["reported"], row["late"], row["abnormal"], row["on_campus"]
        )
        for row in rows
    }
    return Tally(incident, day, scope, groups, taken_at)


def recent_tally(
    incident: Incident, day: dt.date, scope: Scope, people: QuerySet[Person] | None = None
) -> Tally:
    """`tally`, for the whole college or a leader's units from the minute's
    tallies (`keep_tallies`).

    Without recent tallies the scope is counted here and the count shared
    for COLLEGE_CACHE_SECONDS; a counsellor's classes are always counted live."""
    if not scope.by_units:
        return tally(incident, day, scope, people)
    stored = _stored_tally(incident, day, scope)
    if stored is not None and stored.taken_at >= min(
        day_over(incident, day), clock.now() - dt.timedelta(seconds=TALLY_FRESH_SECONDS)
    ):
        return stored
    key = ":".join(
        [
            "checkins:tally",
            str(incident.pk),
            str(incident.started_at.timestamp()),
            scope.key,
            day.isoformat(),
        ]
    )
    cached = cache.get(key)
    if cached is not None:
        groups, taken_at = cached
        return Tally(incident, day, scope, groups, taken_at)
    fresh = tally(incident, day, scope, people)
    cache.set(key, (fresh.groups, fresh.taken_at), COLLEGE_CACHE_SECONDS)
    return fresh


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


def day_over(incident: Incident, day: dt.date) -> dt.datetime:
    """When no more check-ins can come for `day`: its midnight, or the incident's close."""
    midnight = dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time(), tzinfo=timezone.get_current_timezone()
    )
    return min(midnight, incident.closed_at) if incident.closed_at else midnight


def store_tally(incident: Incident, day: dt.date) -> int:
    """Count the whole college's `day` afresh into its daily tallies; how many rows.

    Nothing is written for a purged incident: the purge's tallies are final."""
    if incident.purged_at is not None:
        return 0
    # Counted before the transaction: on SQLite it holds the one write lock.
    counted = tally(incident, day, Scope(None))
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


def days_to_count(incident: Incident, now: dt.datetime) -> list[dt.date]:
    """Today while the incident runs, and every day of it whose tallies are not
    final: taken before the day was over, or never taken."""
    today = timezone.localdate(now)
    last = min(today, incident.end_date) if incident.end_date else today
    counted = dict(
        DailyTally.objects.filter(incident=incident)
        .order_by()
        .values_list("date")
        .annotate(Min("counted_at"))
    )
    days = []
    day = incident.start_date
    while day <= last:
        over = day_over(incident, day)
        if over > now or counted.get(day) is None or counted[day] < over:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


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


def _tallies(incident: Incident, scope: Scope) -> QuerySet[DailyTally]:
    tallies = DailyTally.objects.filter(incident=incident)
    if scope.class_ids is not None:
        tallies = tallies.filter(admin_class_id__in=scope.class_ids)
    if scope.unit_ids is not None:
        # A row is a class and unit's people: in scope exactly when they are.
        tallies = tallies.filter(in_units_q(scope.unit_ids))
    return tallies


def _stored_tally(incident: Incident, day: dt.date, scope: Scope) -> Tally | None:
    """The day's tallies as a Tally taken when its oldest row was; None if there are none."""
    tallies = _tallies(incident, scope).filter(date=day).order_by()
    # Apart: converting a time on each of thousands of rows costs more than a query.
    taken_at = tallies.aggregate(taken_at=Min("counted_at"))["taken_at"]
    if taken_at is None:
        return None
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
        key = (class_id, unit_id or class_unit_id)
        if key in groups:
            groups[key].add(Counts(*counts))
        else:
            groups[key] = Counts(*counts)
    return Tally(incident, day, scope, groups, taken_at)


# The suggested one-call helpers: each counts and returns one kind of row.
def class_rows(incident: Incident, day: dt.date, scope: Scope) -> list[Row]:
    return tally(incident, day, scope).class_rows()


def unit_rows(incident: Incident, day: dt.date, scope: Scope) -> list[Row]:
    return tally(incident, day, scope).unit_rows()


def counsellor_rows(incident: Incident, day: dt.date, scope: Scope) -> list[Row]:
    return tally(incident, day, scope).counsellor_rows()


@dataclass
class Point:
    date: dt.date
    counts: Counts


def trend(
    incident: Incident,
    scope: Scope,
    expected: int,
    today: Tally | None = None,
    people: QuerySet[Person] | None = None,
) -> list[Point]:
    """Each day of the incident so far, oldest first.

    A day whose tallies are final (`keep_tallies` counted it after it was over,
    or the purge did) is read from them, with its own number expected. Any
    other past day is counted from the check-ins and cached, measured against
    `expected`, today's number expected: the roster keeps no history. `today`
    is a tally of today if the caller made one."""
    start = incident.start_date
    now = clock.today()
    last = min(now, incident.end_date) if incident.end_date else now
    if last < start:
        return []
    if incident.purged_at is not None:
        stored = _tally_days(incident, scope, start, last)
        return [Point(day, counts) for day, (counts, _taken_at) in sorted(stored.items())]
    if people is None:
        people = scope.people(incident)
    closed = [start + dt.timedelta(days=n) for n in range((min(last, now) - start).days)]
    if last < now:
        closed.append(last)
    # Each closed day is cached on its own, with whether its number expected
    # is its own: a new day costs one day's reading, not the incident's. What is
    # not cached is read from the final tallies, or else counted by one query.
    keys = {
        day: ":".join(
            [
                "checkins:day",
                str(incident.pk),
                str(incident.started_at.timestamp()),
                scope.key,
                day.isoformat(),
            ]
        )
        for day in closed
    }
    cached = cache.get_many(list(keys.values()))
    wanted = [day for day in closed if keys[day] not in cached]
    if wanted:
        final = {
            day: counts
            for day, (counts, taken_at) in _tally_days(
                incident, scope, min(wanted), max(wanted)
            ).items()
            if day in wanted and taken_at >= day_over(incident, day)
        }
        rest = [day for day in wanted if day not in final]
        counted = _daily(incident, people, rest) if rest else {}
        fresh = {
            keys[day]: (final[day], True) if day in final else (counted.get(day, Counts()), False)
            for day in wanted
        }
        cache.set_many(fresh, TREND_CACHE_SECONDS)
        cached.update(fresh)
    days: dict[dt.date, tuple[Counts, bool]] = {day: cached[keys[day]] for day in closed}
    if last == now:
        if today is not None and today.day == now:
            days[now] = (today.total, False)
        else:
            days[now] = (_daily(incident, people, [now]).get(now, Counts()), False)
    points = []
    day = start
    while day <= last:
        counts, own_expected = days.get(day, (Counts(), False))
        points.append(Point(day, counts if own_expected else replace(counts, expected=expected)))
        day += dt.timedelta(days=1)
    return points


def _daily(
    incident: Incident, people: QuerySet[Person], days: list[dt.date]
) -> dict[dt.date, Counts]:
    rows = (
        CheckIn.objects.filter(
            incident=incident, date__range=(min(days), max(days)), person__in=people
        )
        .filter(date__in=days)
        .order_by()
        .values("date")
        .annotate(
            reported=Count("pk"),
            late=Count("pk", filter=Q(late=True)),
            abnormal=Count("pk", filter=abnormal_q()),
            on_campus=Count("pk", filter=Q(location=Location.CAMPUS)),
        )
    )
    return {
        row["date"]: Counts(0, row["reported"], row["late"], row["abnormal"], row["on_campus"])
        for row in rows
    }


def _tally_days(
    incident: Incident, scope: Scope, first: dt.date, last: dt.date
) -> dict[dt.date, tuple[Counts, dt.datetime]]:
    """Each day's tallies within the scope, summed, with when the oldest was taken."""
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
            taken_at=Min("counted_at"),
        )
    )
    return {
        row["date"]: (
            Counts(
                row["expected_sum"],
                row["reported_sum"],
                row["late_sum"],
                row["abnormal_sum"],
                row["on_campus_sum"],
            ),
            row["taken_at"],
        )
        for row in rows
    }


def missing_people(
    incident: Incident, day: dt.date, scope: Scope, people: QuerySet[Person] | None = None
) -> QuerySet[Person]:
    """The expected people in scope without a check-in for the incident on `day`.

    The same rule the counts use, so that the list and its count agree."""
    if people is None:
        people = scope.people(incident)
    reported = CheckIn.objects.filter(incident=incident, date=day, person_id=OuterRef("pk"))
    return people.filter(~Exists(reported))
