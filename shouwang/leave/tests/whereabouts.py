"""Approved leave written straight to the database, as a finished chain
leaves it, for the tests of what leave tells the missing lists, the
check-ins' screening and the counts."""

from __future__ import annotations

import datetime as dt

from shouwang.leave.models import LeaveKind, LeaveRequest

BEIJING = ("11", "110105")  # 朝阳区
TAIYUAN = ("14", "1401")


def granted(
    person,
    kind: LeaveKind,
    *,
    start: dt.datetime,
    days: float = 1,
    city: tuple[str, str] = BEIJING,
    status: str = LeaveRequest.Status.APPROVED,
    **fields,
) -> LeaveRequest:
    """A leave of `days` days from `start`, decided when asked (at `start`)."""
    province, city_code = city if kind.needs_destination else ("", "")
    fields.setdefault("submitted_at", start)
    if status != LeaveRequest.Status.PENDING:
        fields.setdefault("decided_at", start)
    return LeaveRequest.objects.create(
        person=person,
        kind=kind,
        starts_at=start,
        ends_at=start + dt.timedelta(days=days),
        province=province,
        city=city_code,
        reason="去医院复查",
        contact_name="张父",
        contact_phone="13800000000",
        status=status,
        **fields,
    )
