"""A plan's outline as its page shows it: 一、area → （一）key point → 1. measure,
each measure with its state, read in a fixed number of queries however many
measures the plan has."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .access import detailed_measures, leads
from .models import Area, KeyPoint, Measure, Plan

if TYPE_CHECKING:
    from shouwang.accounts.models import User


@dataclass
class KeyPointNode:
    key_point: KeyPoint
    # Each measure, and whether the user sees its budget.
    measures: list[tuple[Measure, bool]] = field(default_factory=list)


@dataclass
class AreaNode:
    area: Area
    key_points: list[KeyPointNode] = field(default_factory=list)


@dataclass
class Outline:
    areas: list[AreaNode]

    @property
    def measure_count(self) -> int:
        return sum(len(node.measures) for area in self.areas for node in area.key_points)


def outline(plan: Plan, user: User) -> Outline:
    """The plan's tree with each measure's state; a budget is shown to those
    who see the measure's detail (leaders, its owners, its reviewers)."""
    areas = {area.pk: AreaNode(area) for area in Area.objects.filter(plan=plan)}
    points: dict[int, KeyPointNode] = {}
    for key_point in KeyPoint.objects.filter(area__plan=plan):
        node = points[key_point.pk] = KeyPointNode(key_point)
        areas[key_point.area_id].key_points.append(node)
    budget_ids: frozenset[int] | None = None  # None: every measure's
    if not leads(user, plan):
        budget_ids = frozenset(
            detailed_measures(user).filter(key_point__area__plan=plan).values_list("pk", flat=True)
        )
    measures = (
        Measure.objects.filter(key_point__area__plan=plan)
        .with_state()
        .select_related("owner", "owner_unit")
        .order_by("key_point_id", "number")
    )
    for measure in measures:
        shown = budget_ids is None or measure.pk in budget_ids
        points[measure.key_point_id].measures.append((measure, shown))
    return Outline(list(areas.values()))
