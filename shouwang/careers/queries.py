"""The figures careers computes: the 去向落实率 and a fair's participations.

去向落实率, as the Ministry defines it: the graduates employed (in any form)
or in further study, over every graduate of the cohort, counting confirmed
destinations only. A fair's participations (人次) are its rows of one graduate
in one employer's room; its participants (人), the distinct graduates among them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, IntegerField, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .models import (
    GROUPS,
    PLACED,
    FairEmployer,
    Graduate,
    JobFair,
    Participation,
    Registration,
)

BY = {
    "class": "person__admin_class__name",
    "major": "person__programme",
    "level": "person__degree_level",
}


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Rate:
    key: str
    graduates: int
    placed: int
    groups: dict[str, int]

    @property
    def rate(self) -> Decimal | None:
        return percent(self.placed, self.graduates)


def rates(graduates: QuerySet[Graduate], by: str | None = None) -> list[Rate]:
    """The rate of `graduates` in one row, or a row per class, major or level:
    one query."""
    counts = {
        f"g_{group}": Count("pk", filter=Q(destination__in=codes))
        for group, codes in GROUPS.items()
    }
    figures = {
        "n": Count("pk"),
        "placed": Count("pk", filter=Q(destination__in=PLACED)),
        **counts,
    }
    if by is None:
        result = [graduates.order_by().aggregate(**figures)]
    else:
        result = list(graduates.order_by().values(BY[by]).order_by(BY[by]).annotate(**figures))
    return [
        Rate(
            key=str(row.get(BY[by]) or "") if by is not None else "",
            graduates=row["n"],
            placed=row["placed"],
            groups={group: row[f"g_{group}"] for group in GROUPS},
        )
        for row in result
    ]


@dataclass(frozen=True)
class FairCount:
    fair: JobFair
    participations: int
    participants: int


def fair_counts(fairs: QuerySet[JobFair]) -> list[FairCount]:
    """Each fair's participations (人次) and participants (人): one query."""
    rows = (
        Participation.objects.filter(fair__in=fairs)
        .order_by()
        .values("fair_id")
        .annotate(times=Count("pk"), people=Count("person_id", distinct=True))
    )
    by_fair = {row["fair_id"]: row for row in rows}
    return [
        FairCount(
            fair,
            by_fair.get(fair.pk, {}).get("times", 0),
            by_fair.get(fair.pk, {}).get("people", 0),
        )
        for fair in fairs
    ]


def totals(fairs: QuerySet[JobFair]) -> tuple[int, int]:
    """All the fairs' participations (人次), and the distinct graduates (人) at any of them."""
    row = Participation.objects.filter(fair__in=fairs).aggregate(
        times=Count("pk"), people=Count("person_id", distinct=True)
    )
    return row["times"], row["people"]


@dataclass(frozen=True)
class FairFigures:
    """A fair's row of the counts page."""

    fair: JobFair
    participations: int
    participants: int
    registrations: int
    rooms: int


def _count_of(model: type[Model]) -> Coalesce:
    """How many rows of `model` name the fair: a subquery, so the fairs' rows stay one each."""
    rows = (
        model._default_manager.filter(fair=OuterRef("pk"))
        .order_by()
        .values("fair")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def fair_figures(fairs: QuerySet[JobFair]) -> list[FairFigures]:
    """Each fair's participations, participants, registrations and rooms: two queries."""
    annotated = fairs.annotate(
        registration_count=_count_of(Registration), room_count=_count_of(FairEmployer)
    )
    return [
        FairFigures(
            count.fair,
            count.participations,
            count.participants,
            count.fair.registration_count,  # type: ignore[attr-defined]
            count.fair.room_count,  # type: ignore[attr-defined]
        )
        for count in fair_counts(annotated)
    ]


@dataclass(frozen=True)
class RoomCount:
    """A room's participations, and how they were seen (a graduate seen both
    ways counts once, under the way first seen)."""

    room: FairEmployer
    participations: int
    by_code: int
    by_attendance: int


def room_counts(fair: JobFair) -> list[RoomCount]:
    """Each room of the fair with its participations: two queries."""
    source = Participation.Source
    rows = {
        row["room_id"]: row
        for row in Participation.objects.filter(fair=fair)
        .order_by()
        .values("room_id")
        .annotate(
            n=Count("pk"),
            code=Count("pk", filter=Q(source=source.ROOM_CODE)),
            file=Count("pk", filter=Q(source=source.ATTENDANCE)),
        )
    }
    return [
        RoomCount(
            room,
            rows.get(room.pk, {}).get("n", 0),
            rows.get(room.pk, {}).get("code", 0),
            rows.get(room.pk, {}).get("file", 0),
        )
        for room in fair.employers.select_related("employer")
    ]
