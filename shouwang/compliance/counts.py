"""Counting check-ins: who was expected on a day, who reported, who is
missing, late or abnormal, grouped by class and unit, and the rows a page
shows (per class, unit and counsellor).

Everything is counted in the database by one grouped query, whatever the
number of classes or people: it groups the day's expected people by class and
unit and joins each to their check-in of the day (the index on (incident,
date, person, ...) serves it); the per-class, per-unit and per-counsellor rows
are sums of those groups in Python. That join reads every expected person:
about half a second for 300,000 people on a slow machine, so pages read the
whole college's count from the minute's tallies (`tallies`) and count only a
counsellor's few classes here.

Check-ins are counted under the incident they were recorded for (that is what
the index covers); a person reports once a day, to the incident that covers
them (`incidents.access.current_incident_for`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, overload

from django.db.models import Count, Exists, FilteredRelation, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from shouwang.accounts.models import Role
from shouwang.checkins.models import CheckIn, Location, abnormal_q
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.people.access import classes_for_user
from shouwang.people.models import AdminClass, Person, Unit, in_units_q

if TYPE_CHECKING:
    from shouwang.accounts.models import User


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
        """A leader's or admin's scope, college-wide: read from the minute's
        tallies, shown by unit. A counsellor's classes are counted live."""
        return self.class_ids is None

    def people(self, incident: Incident) -> QuerySet[Person]:
        """The incident's expected people within this scope."""
        people = incident.expected_people()
        if self.class_ids is not None:
            people = people.filter(admin_class_id__in=self.class_ids)
        if self.unit_ids is not None:
            people = people.filter(in_units_q(self.unit_ids))
        return people


def scope_for(user: User) -> Scope:
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


def counts_query(incident: Incident, day: dt.date, scope: Scope) -> QuerySet:
    """The query that counts the day, one row per class (or unit)."""
    return (
        scope.people(incident)
        .annotate(
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


def count(incident: Incident, day: dt.date, scope: Scope) -> Tally:
    """The day's counts, live, in one query."""
    taken_at = clock.now()
    rows = counts_query(incident, day, scope)
    groups = {
        (row["admin_class_id"], row["unit_id"]): Counts(
            row["expected"], row["reported"], row["late"], row["abnormal"], row["on_campus"]
        )
        for row in rows
    }
    return Tally(incident, day, scope, groups, taken_at)


def count_days(
    incident: Incident, people: QuerySet[Person], first: dt.date, last: dt.date
) -> dict[dt.date, Counts]:
    """The check-ins of `people` on each day from `first` to `last`, live, in
    one query grouped by date (the days' expected are not counted: 0)."""
    rows = (
        CheckIn.objects.filter(incident=incident, date__range=(first, last), person__in=people)
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


class MissingPages:
    """The missing people of `people` (ordered by class name, then number;
    people in no class last) as a Paginator reads them: `count` given, and
    each page read on its own.

    A page is read in two parts, because ordering the one query by the class's
    name with people in no class last needs the whole list sorted: the people
    of a class, in class-name order, which the database reads class after
    class from the index on the class's name and stops at the page's end;
    then, once those run out, the people in no class by number. The first
    page of a leader's list of 300,000 people reads a few classes, not the
    college (docs/performance.md, "Cockpit")."""

    def __init__(self, people: QuerySet[Person], count: int) -> None:
        self.people = people
        self._count = count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Person]:
        return iter(self[0:None])

    @overload
    def __getitem__(self, index: int) -> Person: ...

    @overload
    def __getitem__(self, index: slice) -> list[Person]: ...

    def __getitem__(self, index: int | slice) -> Person | list[Person]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        # Filtering on the class's name joins the class: the database walks
        # the classes in name order, not every person.
        in_class = self.people.filter(admin_class__name__isnull=False)
        found = list(in_class[start:stop])
        if stop is not None and len(found) == stop - start:
            return found
        # Past the last person in a class: how many came before the rest.
        before = start + len(found) if found or not start else in_class.count()
        rest = self.people.filter(admin_class__isnull=True).order_by("number")
        skip = max(0, start - before)
        return found + list(rest[skip : None if stop is None else skip + stop - start - len(found)])


def missing_in_scope(incident: Incident, day: dt.date, scope: Scope) -> QuerySet[Person]:
    """The expected people in scope without a check-in for the incident on `day`.

    The same rule the counts use, so that the list and its count agree."""
    reported = CheckIn.objects.filter(incident=incident, date=day, person_id=OuterRef("pk"))
    return scope.people(incident).filter(~Exists(reported))
