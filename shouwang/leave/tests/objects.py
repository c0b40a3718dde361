"""The objects the access matrix's leave rules name, in the personas' college
with leave configured (see `base.make_kinds`): `leave_a`, student_a's request
to leave for Beijing, waiting on counsellor_a; `leave_b`, student_b's sick
leave, approved by counsellor_b."""

from __future__ import annotations

from shouwang.leave import actions
from shouwang.leave.models import LeaveStep

from .base import BEIJING, ask, make_kinds


def make(case) -> None:
    if getattr(case, "leave_a", None) is not None:
        return
    make_kinds(case)
    case.leave_a = ask(case.student_a, case.away, user=case.student, city=BEIJING)
    case.leave_b = ask(case.student_b, case.sick, user=case.student_b_user)
    actions.decide(case.leave_b, LeaveStep.Event.APPROVED, acting_user=case.counsellor_b_user)
