"""The objects the access matrix's workplan rules name: a plan of the
personas' college, a measure owned by the teacher persona and co-owned by
counsellor_a, its first progress report, and a review whose panel is the
supervisor persona."""

from __future__ import annotations

import datetime as dt

from shouwang.workplan import actions
from shouwang.workplan.models import Area, KeyPoint, Review

from .base import make_measure, make_plan


def make(case) -> None:
    if getattr(case, "work_plan", None) is not None:
        return
    case.work_plan = make_plan(case)
    area = actions.save_area(Area(plan=case.work_plan, title="本科教育"), acting_user=case.leader)
    key_point = actions.save_key_point(
        KeyPoint(area=area, title="加强专业内涵建设"), acting_user=case.leader
    )
    case.work_measure = make_measure(case, key_point, co_owners=[case.counsellor_a])
    case.work_report = case.work_measure.reports.order_by("due_on").first()
    case.work_review = Review.objects.create(
        plan=case.work_plan, title="2022年度重点工作评比", closes_on=dt.date(2022, 12, 31)
    )
    case.work_review.panel.set([case.supervisor_person])
