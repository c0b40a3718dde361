"""Read queries over a whole plan: its figures (5 areas, 15 key points, 37
measures), the overview per area and for the plan, and each measure's
figures for "my measures" and the export.

Each is set-based. Listing measures, a measure's spent money, overdue
milestones and reports are correlated subqueries on the measure (never
joins, which would multiply a measure's budget by its expenditures); the
overview groups the measures by area and sums each table under them by area
on its own. The number of statements does not grow
with the number of measures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from decimal import Decimal

from django.db import models
from django.db.models import (
    Aggregate,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from shouwang.lib import clock

from .models import Area, Expenditure, Measure, Milestone, Plan, Report, Status

ZERO = Decimal(0)
MONEY: models.DecimalField = models.DecimalField(max_digits=14, decimal_places=2)


@dataclass(frozen=True)
class Figures:
    """The plan's outline counted: 5 areas, 15 key points, 37 measures."""

    areas: int
    key_points: int
    measures: int


def plan_figures(plan: Plan) -> Figures:
    """How many areas, key points and measures the plan has (one statement)."""
    counted = Area.objects.filter(plan=plan).aggregate(
        area_count=Count("pk", distinct=True),
        key_point_count=Count("key_points", distinct=True),
        measure_count=Count("key_points__measures", distinct=True),
    )
    return Figures(counted["area_count"], counted["key_point_count"], counted["measure_count"])


def seed_sentence(figures: Figures, area_titles: list[str]) -> str:
    """围绕党建团学、本科教育…5个方面，细化为15个要点、37项具体举措."""
    return _(
        "Around %(titles)s, %(areas)d areas, refined into %(key_points)d key points "
        "and %(measures)d measures."
    ) % {
        "titles": "、".join(area_titles),
        "areas": figures.areas,
        "key_points": figures.key_points,
        "measures": figures.measures,
    }


def _count(queryset: models.QuerySet) -> Coalesce:
    """The number of rows of a queryset correlated on the measure, as a subquery."""
    counted = queryset.order_by().values("measure").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), Value(0))


def with_figures(measures: models.QuerySet[Measure], today: dt.date) -> models.QuerySet[Measure]:
    """Each measure's state (`with_state`) and, each by a subquery of its own:
    `spent` (its expenditures summed), `milestones_overdue` (past their date
    undone), `last_report_at` (the last submitted), `reports_overdue` (past
    their date unwritten)."""
    spent = (
        Expenditure.objects.filter(measure=OuterRef("pk"))
        .order_by()
        .values("measure")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    last_report = (
        Report.objects.filter(measure=OuterRef("pk"), submitted_at__isnull=False)
        .order_by()
        .values("measure")
        .annotate(last=Max("submitted_at"))
        .values("last")
    )
    return measures.with_state(today).annotate(  # type: ignore[attr-defined]
        spent=Coalesce(Subquery(spent, output_field=MONEY), Value(ZERO), output_field=MONEY),
        milestones_overdue=_count(
            Milestone.objects.filter(measure=OuterRef("pk"), done_on__isnull=True, due_on__lt=today)
        ),
        last_report_at=Subquery(last_report, output_field=models.DateTimeField()),
        reports_overdue=_count(
            Report.objects.filter(
                measure=OuterRef("pk"), submitted_at__isnull=True, due_on__lt=today
            )
        ),
    )


def late_on_q(day: dt.date) -> Q:
    """The measures `with_state(day)` would have called late at the end of
    `day`: a milestone past its date and not done by then, the measure
    neither accepted as done by then nor paused (a pause keeps no date: as it
    is now). On today's date, the measures whose state is late."""
    overdue = Milestone.objects.filter(measure=OuterRef("pk"), due_on__lt=day).filter(
        Q(done_on__isnull=True) | Q(done_on__gt=day)
    )
    day_over = clock.at(day + dt.timedelta(days=1), dt.time())
    accepted = Q(status=Status.DONE) & (Q(accepted_at__isnull=True) | Q(accepted_at__lt=day_over))
    return Q(Exists(overdue)) & ~accepted & ~Q(status=Status.PAUSED)


# Measures by state, in the order the overview shows them.
STATES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE, Status.LATE, Status.PAUSED)


@dataclass
class Row:
    """An area's figures, or the plan's (area None)."""

    area: Area | None = None
    key_points: int = 0
    measures: int = 0
    not_started: int = 0
    in_progress: int = 0
    done: int = 0
    late: int = 0
    paused: int = 0
    milestones_overdue: int = 0
    budget: Decimal = ZERO
    spent: Decimal = ZERO
    breakthroughs: int = 0
    last_report_at: dt.datetime | None = None
    reports_overdue: int = 0

    @property
    def by_state(self) -> list[tuple[str, int]]:
        return [(state.value, getattr(self, state.value)) for state in STATES]

    @property
    def left(self) -> Decimal:
        return self.budget - self.spent

    def add(self, other: Row) -> None:
        for name in (f.name for f in fields(self)):
            if name in ("area", "last_report_at"):
                continue
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.last_report_at and (
            self.last_report_at is None or other.last_report_at > self.last_report_at
        ):
            self.last_report_at = other.last_report_at


@dataclass
class Overview:
    plan: Plan
    today: dt.date
    rows: list[Row] = field(default_factory=list)
    total: Row = field(default_factory=Row)

    @property
    def figures(self) -> Figures:
        return Figures(len(self.rows), self.total.key_points, self.total.measures)

    @property
    def seed_sentence(self) -> str:
        return seed_sentence(self.figures, [row.area.title for row in self.rows if row.area])


def _by_area(queryset: models.QuerySet, path: str, **aggregates: Aggregate) -> dict[int, dict]:
    """`aggregates` over the rows of `queryset` (a table under the measures,
    `path` leading to the measure), grouped by the measure's area."""
    area = f"{path}key_point__area"
    grouped = queryset.order_by().values(area).annotate(**aggregates)
    return {row.pop(area): row for row in grouped}


def overview(plan: Plan, today: dt.date | None = None) -> Overview:
    """The plan's figures per area and in total, in five statements whatever
    its size: the areas; the measures grouped by area and state (each
    measure's state worked out once); then each table under the measures
    summed by area on its own (the expenditures, the overdue milestones, the
    overdue reports), so that no measure's row is multiplied by another table's."""
    today = today or clock.today()
    # The last report of each area: the newest submitted, found walking the
    # index on submitted_at back (`report_submitted`), not by reading them all.
    last_report = (
        Report.objects.filter(measure__key_point__area=OuterRef("pk"), submitted_at__isnull=False)
        .order_by("-submitted_at")
        .values("submitted_at")[:1]
    )
    areas = list(
        Area.objects.filter(plan=plan)
        .annotate(
            key_point_count=Count("key_points"),
            last_report_at=Subquery(last_report, output_field=models.DateTimeField()),
        )
        .order_by("number")
    )
    in_plan = Q(measure__key_point__area__plan=plan)
    grouped = (
        Measure.objects.filter(key_point__area__plan=plan)
        .with_state(today)
        .order_by()
        .values("key_point__area", "state")  # type: ignore[misc]
        .annotate(
            measure_count=Count("pk"),
            budget_total=Sum("budget"),
            breakthrough_count=Count("pk", filter=Q(is_breakthrough=True)),
        )
    )
    spent = _by_area(Expenditure.objects.filter(in_plan), "measure__", total=Sum("amount"))
    milestones = _by_area(
        Milestone.objects.filter(in_plan, done_on__isnull=True, due_on__lt=today),
        "measure__",
        overdue=Count("pk"),
    )
    reports = _by_area(
        Report.objects.filter(in_plan, submitted_at__isnull=True, due_on__lt=today),
        "measure__",
        overdue=Count("pk"),
    )
    by_area: dict[int, Row] = {}
    for found in grouped:
        part = Row(
            measures=found["measure_count"],
            budget=found["budget_total"] or ZERO,
            breakthroughs=found["breakthrough_count"],
        )
        setattr(part, found["state"], found["measure_count"])
        by_area.setdefault(found["key_point__area"], Row()).add(part)
    result = Overview(plan, today)
    for area in areas:
        row = Row(
            area=area,
            key_points=area.key_point_count,  # type: ignore[attr-defined]
            spent=spent.get(area.pk, {}).get("total") or ZERO,
            milestones_overdue=milestones.get(area.pk, {}).get("overdue", 0),
            last_report_at=area.last_report_at,  # type: ignore[attr-defined]
            reports_overdue=reports.get(area.pk, {}).get("overdue", 0),
        )
        row.add(by_area.get(area.pk, Row()))
        result.rows.append(row)
        result.total.add(row)
    return result


def measures_in(
    plan: Plan, today: dt.date, *, state: str = "", area: int | None = None
) -> models.QuerySet[Measure]:
    """The plan's measures with their state, in a state, of an area, for a list."""
    measures = Measure.objects.filter(key_point__area__plan=plan).with_state(today)
    if state:
        measures = measures.filter(state=state)  # type: ignore[misc]
    if area:
        measures = measures.filter(key_point__area_id=area)
    return measures.select_related("key_point__area", "owner", "owner_unit")


def my_measures(measures: models.QuerySet[Measure], today: dt.date) -> models.QuerySet[Measure]:
    """A user's measures (`access.owned_measures`) with their figures, their
    next milestone and their next report: its day and when it was written."""
    next_milestone = Milestone.objects.filter(
        measure=OuterRef("pk"), done_on__isnull=True
    ).order_by("due_on", "pk")
    next_report = Report.objects.filter(measure=OuterRef("pk"), due_on__gte=today).order_by(
        "due_on"
    )
    return (
        with_figures(measures, today)
        .annotate(
            next_milestone=Subquery(next_milestone.values("title")[:1]),
            next_milestone_on=Subquery(next_milestone.values("due_on")[:1]),
            next_report_on=Subquery(next_report.values("due_on")[:1]),
            next_report_at=Subquery(next_report.values("submitted_at")[:1]),
            left=ExpressionWrapper(F("budget") - F("spent"), output_field=MONEY),
        )
        .select_related("key_point__area__plan")
        .order_by(
            "-key_point__area__plan__year",
            "key_point__area__plan__title",
            "key_point__area__number",
            "key_point__number",
            "number",
        )
    )
