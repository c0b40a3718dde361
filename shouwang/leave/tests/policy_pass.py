"""The pass, the gate's scan, the return and those not back. A pass is seen
by whoever sees its request (its code only by its holder); the scan by gate
keepers and admins alone (the personas hold no gate); the return reported by
its holder and confirmed by their counsellor or a leader over them; the
overdue list by those who follow leave."""

import datetime as dt

from shouwang.leave import actions
from shouwang.leave.models import LeaveStep
from shouwang.leave.pass_codes import token_for
from shouwang.lib import clock
from shouwang.policy import Rule, expect

from .base import ask
from .objects import make


def make_objects(case) -> None:
    make(case)
    if getattr(case, "pass_a", None) is not None:
        return
    # student_a's sick leave, approved and running now.
    case.pass_a = ask(
        case.student_a, case.sick, user=case.student, start=clock.now() - dt.timedelta(hours=1)
    )
    actions.decide(case.pass_a, LeaveStep.Event.APPROVED, acting_user=case.counsellor_a_user)


def _token(case, persona: str) -> list[str]:
    return [token_for(case.pass_a)]


PASS_A = expect(404, student=200, counsellor_a=200, leader=200, admin=200)
# A return reported by its holder, confirmed by the counsellor or a leader:
# the personas' POSTs redirect back to the request (with a message when
# there is nothing to confirm).
REPORT_BACK = expect(404, student=302, counsellor_a=403, leader=403, admin=403)
CONFIRM_BACK = expect(404, student=403, counsellor_a=302, leader=302, admin=302)
FOLLOWERS = expect(403, counsellor_a=200, counsellor_b=200, leader=200, admin=200)

RULES = [
    Rule("leave:pass", PASS_A, target="pass_a"),
    Rule("leave:pass", expect(404, counsellor_b=200, leader=200, admin=200), target="leave_b"),
    Rule("leave:scan", expect(403, admin=200), target=_token),
    Rule(
        "leave:scan_record",
        expect(403, admin=200),
        method="post",
        target=_token,
        data={"event": LeaveStep.Event.LEFT.value},
    ),
    Rule("leave:report_back", REPORT_BACK, method="post", target="pass_a"),
    Rule("leave:confirm_back", CONFIRM_BACK, method="post", target="pass_a"),
    Rule("leave:overdue", FOLLOWERS),
]
