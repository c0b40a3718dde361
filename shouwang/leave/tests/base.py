"""The personas' college with leave configured: the kinds 病假 (counsellor
only), 离校 (counsellor, then the college's 学工副书记 for leave over 3 working
days or leaving 太原) and 入校 for staff (the 学工副书记 alone), and 孙书记
(the leader persona) holding 学工副书记 at the college."""

from __future__ import annotations

import datetime as dt

from shouwang.accounts.models import User
from shouwang.leave import actions
from shouwang.leave.models import ChainStep, LeaveKind, LeaveRequest, Post, PostHolder
from shouwang.lib import clock
from shouwang.test import BaseTestCase

TAIYUAN = "1401"
BEIJING = ("11", "110105")  # 朝阳区
# A Monday: the personas' leave runs on working days.
MONDAY = dt.date(2024, 4, 15)


def make_kinds(case) -> None:
    """The kinds, chains and post, on `case` (a test case class)."""
    if getattr(case, "sick", None) is not None:
        return
    case.deputy = Post.objects.create(name="学工副书记")
    PostHolder.objects.create(post=case.deputy, unit=case.college, person=case.leader_person)
    case.sick = LeaveKind.objects.create(name="病假", needs_destination=False, position=1)
    ChainStep.objects.create(kind=case.sick, position=1, approver=ChainStep.Approver.COUNSELLOR)
    case.away = LeaveKind.objects.create(name="离校", position=2)
    ChainStep.objects.create(kind=case.away, position=1, approver=ChainStep.Approver.COUNSELLOR)
    ChainStep.objects.create(
        kind=case.away,
        position=2,
        approver=ChainStep.Approver.POST,
        post=case.deputy,
        over_working_days=3,
        outside_city=TAIYUAN,
    )
    case.entry = LeaveKind.objects.create(
        name="入校",
        who=LeaveKind.Who.STAFF,
        whereabouts=LeaveKind.Whereabouts.ON_CAMPUS,
        needs_destination=False,
        position=3,
    )
    ChainStep.objects.create(
        kind=case.entry, position=1, approver=ChainStep.Approver.POST, post=case.deputy
    )


def ask(
    person,
    kind: LeaveKind,
    *,
    user: User,
    start: dt.datetime | None = None,
    days: float = 1,
    city: tuple[str, str] = ("14", TAIYUAN),
) -> LeaveRequest:
    """A request for `days` days from `start` (MONDAY 08:00 by default)."""
    start = start or clock.at(MONDAY, dt.time(8))
    province, city_code = city if kind.needs_destination else ("", "")
    return actions.submit(
        LeaveRequest(
            person=person,
            kind=kind,
            starts_at=start,
            ends_at=start + dt.timedelta(days=days),
            province=province,
            city=city_code,
            reason="去医院复查",
            contact_name="张父",
            contact_phone="13800000000",
        ),
        acting_user=user,
    )


class LeaveTestCase(BaseTestCase):
    sick: LeaveKind
    away: LeaveKind
    entry: LeaveKind
    deputy: Post

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_kinds(cls)
