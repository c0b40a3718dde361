"""The figures careers computes: the 去向落实率 and a fair's participations.

去向落实率, as the Ministry defines it: the graduates employed (in any form)
or in further study, over every graduate of the cohort, counting confirmed
destinations only. A fair's participations (人次) are its rows of one graduate
in one employer's room; its participants (人), the distinct graduates among them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf

from shouwang.people.models import AdminClass, Person

from .models import (
    GROUPS,
    PLACED,
    DestinationReport,
    FairEmployer,
    Graduate,
    Group,
    JobFair,
    Participation,
    Position,
    PositionMajor,
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


def roster_programmes() -> list[str]:
    """The majors of the roster: every programme a person or a class has, sorted."""
    people = Person.objects.exclude(programme="").values_list("programme", flat=True)
    classes = AdminClass.objects.exclude(programme="").values_list("programme", flat=True)
    return sorted(set(people.distinct()) | set(classes.distinct()))


def major_of() -> Coalesce:
    """A graduate's major: their own programme, else their class's."""
    return Coalesce(
        NullIf(F("person__programme"), Value("")),
        F("person__admin_class__programme"),
        Value(""),
    )


def wants_major(major: str) -> Q:
    """A position open to `major`: it wants that major, or every major (none named)."""
    wanted = PositionMajor.objects.filter(position=OuterRef("pk"))
    return ~Q(Exists(wanted)) | Q(Exists(wanted.filter(programme=major)))


def for_major(positions: QuerySet[Position], major: str) -> QuerySet[Position]:
    """The positions open to `major`."""
    return positions.filter(wants_major(major))


def open_positions(positions: QuerySet[Position], on: dt.date) -> QuerySet[Position]:
    """The positions whose deadline has not passed on `on`."""
    return positions.filter(Q(deadline__isnull=True) | Q(deadline__gte=on))


# Graduates and outcomes ---------------------------------------------------------

# A graduate still seeking work is followed up at least this often.
FOLLOW_UP_DAYS = 14


def cohorts(graduates: QuerySet[Graduate]) -> list[int]:
    """The cohorts (届) among `graduates`, the latest first: one query."""
    return list(graduates.order_by("-cohort").values_list("cohort", flat=True).distinct())


def seeking(graduates: QuerySet[Graduate]) -> QuerySet[Graduate]:
    """Those of `graduates` not placed, those in difficulty first, then those
    whose last follow-up is oldest (never followed up before anyone), each
    with `last_follow_up`."""
    in_difficulty = Case(When(difficulty="", then=Value(1)), default=Value(0))
    return (
        graduates.filter(destination__in=GROUPS[Group.NOT_PLACED])
        .select_related("person__admin_class")
        .annotate(last_follow_up=Max("follow_ups__on"))
        .order_by(in_difficulty, F("last_follow_up").asc(nulls_first=True), "person__number")
    )


def pending_reports(graduates: QuerySet[Graduate]) -> QuerySet[DestinationReport]:
    """The reports of `graduates` waiting for their counsellor, oldest first."""
    return DestinationReport.objects.filter(
        graduate__in=graduates, status=DestinationReport.Status.PENDING
    ).order_by("reported_at", "pk")


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
