"""What leave tells the rest, read set-based: who is on approved leave on a
day (for the missing lists and the check-ins' screening), and the leaders'
counts by kind and by class. One query each, however many people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from shouwang.lib import clock, divisions

from .models import LeaveKind, LeaveRequest

# The columns an `OnLeave` is read from.
_FIELDS = (
    "pk",
    "person_id",
    "kind__name",
    "kind__whereabouts",
    "province",
    "city",
    "starts_at",
    "ends_at",
    "left_at",
)


@dataclass(frozen=True)
class OnLeave:
    """An approved leave covering a day, as the pages that label people need it."""

    pk: int
    person_id: int
    kind: str
    whereabouts: str
    province: str
    city: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    left_at: dt.datetime | None

    @property
    def away(self) -> bool:
        return self.whereabouts == LeaveKind.Whereabouts.AWAY

    @property
    def on_campus(self) -> bool:
        return self.whereabouts == LeaveKind.Whereabouts.ON_CAMPUS

    @property
    def out_at_gate(self) -> bool:
        """Scanned out at the gate and not back (`covering` leaves none back)."""
        return self.left_at is not None

    @property
    def destination(self) -> str:
        return divisions.label(self.province, self.city) if self.province else ""

    @property
    def label(self) -> str:
        """ "on approved leave: 病假, until Apr 16, 18:00", in the active language."""
        end = date_format(timezone.localtime(self.ends_at), gettext("N j, H:i"))
        return gettext("on approved leave: %(kind)s, until %(end)s") % {
            "kind": self.kind,
            "end": end,
        }


def _people_q(people: QuerySet[Any] | Iterable[int]) -> Q:
    if isinstance(people, QuerySet):
        return Q(person_id__in=people.order_by().values("pk"))
    return Q(person_id__in=list(people))


def leaves_covering(
    people: QuerySet[Any] | Iterable[int], day: dt.date
) -> dict[int, list[OnLeave]]:
    """Every approved leave covering `day` of each of `people` (their ids or
    a queryset of persons), ending soonest first; one query."""
    rows = (
        LeaveRequest.objects.covering(day)
        .filter(_people_q(people))
        .order_by("person_id", "ends_at", "pk")
    )
    found: dict[int, list[OnLeave]] = {}
    for values in rows.values_list(*_FIELDS):
        leave = OnLeave(*values)
        found.setdefault(leave.person_id, []).append(leave)
    return found


def on_leave(people: QuerySet[Any] | Iterable[int], day: dt.date) -> dict[int, OnLeave]:
    """The approved leave covering `day` of each of `people` who has one (the
    one ending last, where several do); one query."""
    return {pk: leaves[-1] for pk, leaves in leaves_covering(people, day).items()}


@dataclass
class CountRow:
    pk: int | None
    label: str
    asked: int
    approved: int
    rejected: int
    away: int
    overdue: int


def _range(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return clock.at(first, dt.time.min), clock.at(last + dt.timedelta(days=1), dt.time.min)


def count_filters(first: dt.date, last: dt.date, now: dt.datetime) -> dict[str, Q]:
    """What each figure counts: requests asked and decided from `first` to
    `last` (local days), and, at `now`, who is away and who is overdue."""
    start, end = _range(first, last)
    status = LeaveRequest.Status
    decided = Q(decided_at__gte=start, decided_at__lt=end)
    away_kind = Q(status=status.APPROVED, kind__whereabouts=LeaveKind.Whereabouts.AWAY)
    # Away: out through the gate, or, where no gate scans, the leave has begun.
    started = Q(left_at__isnull=False) | Q(starts_at__lte=now)
    return {
        "asked": Q(submitted_at__gte=start, submitted_at__lt=end),
        # A leave cancelled afterwards was approved all the same.
        "approved": decided & Q(status__in=[status.APPROVED, status.CANCELLED]),
        "rejected": decided & Q(status=status.REJECTED),
        "away": away_kind & started & Q(back_at__isnull=True, ends_at__gte=now),
        "overdue": away_kind & Q(back_at__isnull=True, ends_at__lt=now),
    }


def _grouped(
    requests: QuerySet[LeaveRequest], filters: dict[str, Q], *by: str
) -> list[dict[str, Any]]:
    any_of = Q()
    for condition in filters.values():
        any_of |= condition
    return list(
        requests.filter(any_of, amends__isnull=True)
        .order_by()
        .values(*by)
        .annotate(**{name: Count("pk", filter=q) for name, q in filters.items()})
    )


def counts_by_kind(
    requests: QuerySet[LeaveRequest], first: dt.date, last: dt.date, now: dt.datetime
) -> list[CountRow]:
    """The figures per kind of leave, in the kinds' order; one grouped query."""
    filters = count_filters(first, last, now)
    rows = _grouped(requests, filters, "kind_id", "kind__name", "kind__position")
    rows.sort(key=lambda row: (row["kind__position"], row["kind_id"]))
    return [
        CountRow(row["kind_id"], row["kind__name"], *(row[name] for name in filters))
        for row in rows
    ]


def counts_by_class(
    requests: QuerySet[LeaveRequest], first: dt.date, last: dt.date, now: dt.datetime
) -> list[CountRow]:
    """The figures per class of the requesters (staff and the classless make
    one row); one grouped query."""
    filters = count_filters(first, last, now)
    rows = _grouped(requests, filters, "person__admin_class_id", "person__admin_class__name")
    result = [
        CountRow(
            row["person__admin_class_id"],
            row["person__admin_class__name"] or gettext("in no class"),
            *(row[name] for name in filters),
        )
        for row in rows
    ]
    return sorted(result, key=lambda row: (row.pk is None, row.label))


def total(rows: Iterable[CountRow]) -> CountRow:
    figures = [0, 0, 0, 0, 0]
    for row in rows:
        for i, value in enumerate((row.asked, row.approved, row.rejected, row.away, row.overdue)):
            figures[i] += value
    return CountRow(None, gettext("total"), *figures)
