"""A 2022 plan of the shared personas' college: one area, one key point, one
measure owned by the teacher persona (李明) with counsellor_a as co-owner."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from shouwang.test import BaseTestCase
from shouwang.workplan import actions
from shouwang.workplan.models import Area, KeyPoint, Measure, Plan


def make_plan(case: BaseTestCase | type[BaseTestCase], title: str = "2022年学院工作要点") -> Plan:
    return actions.save_plan(
        Plan(title=title, year=2022, unit=case.college), acting_user=case.leader
    )


def make_measure(
    case: BaseTestCase | type[BaseTestCase],
    key_point: KeyPoint,
    title: str = "推进国家一流专业建设",
    *,
    owner=None,
    co_owners=(),
    budget: Decimal = Decimal(50000),
    starts_on: dt.date = dt.date(2022, 1, 1),
    due_on: dt.date = dt.date(2022, 12, 31),
) -> Measure:
    return actions.save_measure(
        Measure(
            key_point=key_point,
            title=title,
            owner_unit=case.college,
            owner=owner or case.teacher_person,
            budget=budget,
            starts_on=starts_on,
            due_on=due_on,
        ),
        co_owners=co_owners,
        acting_user=case.leader,
    )


class PlanTestCase(BaseTestCase):
    plan: Plan
    area: Area
    key_point: KeyPoint
    measure: Measure

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = make_plan(cls)
        cls.area = actions.save_area(Area(plan=cls.plan, title="本科教育"), acting_user=cls.leader)
        cls.key_point = actions.save_key_point(
            KeyPoint(area=cls.area, title="加强专业内涵建设"), acting_user=cls.leader
        )
        cls.measure = make_measure(cls, cls.key_point, co_owners=[cls.counsellor_a])
