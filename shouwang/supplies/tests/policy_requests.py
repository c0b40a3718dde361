"""Requests, slips and help requests turned into supply requests.

The student persona's own request (issued, on `supply_slip`) is theirs and the
college's deciders' (the leader, the admin); counsellor_b's open and approved
requests are theirs to see and cancel, the deciders' to decide and issue (403
for the requester); `supply_help_request`, student_a's help request for
supplies, is turned into a supply request by a handler who decides supplies
(the leader, the admin), not by its requester or their counsellor (403).
Everyone else: 404."""

from decimal import Decimal

from shouwang.helpdesk.actions import submit
from shouwang.helpdesk.models import HelpRequest
from shouwang.policy import Rule, expect
from shouwang.supplies import actions
from shouwang.supplies.slips import token_for

from .objects import make

OWN_A = expect(404, student=200, leader=200, admin=200)
OWN_A_POST = expect(404, student=302, leader=302, admin=302)
OPEN_B = expect(404, counsellor_b=200, leader=200, admin=200)
DECIDES_B = expect(404, counsellor_b=403, leader=200, admin=200)
CANCELS_B = expect(404, counsellor_b=302, leader=403, admin=403)
TURNS_HELP_A = expect(404, student=403, counsellor_a=403, leader=200, admin=200)


def make_objects(case) -> None:
    make(case)
    request = actions.submit_request(
        case.counsellor_b,
        [actions.Asked(case.sanitizer, Decimal(24))],
        purpose="值班室消杀",
        for_unit=case.college,
        acting_user=case.counsellor_b_user,
    )
    case.supply_approved_request = actions.decide_request(
        request, {request.lines.get().pk: Decimal(12)}, acting_user=case.leader
    )
    case.supply_help_request = submit(
        requester=case.student_a,
        category=HelpRequest.Category.SUPPLIES,
        urgency=HelpRequest.Urgency.NORMAL,
        description="宿舍缺少消毒液，需要两瓶（矩阵）",
        acting_user=case.student,
    )


def slip_token(case, persona: str) -> list[str]:
    return [token_for(case.supply_slip)]


RULES = [
    Rule("supplies:request_new", expect(200)),
    # An empty form comes back with its errors.
    Rule("supplies:request_new", expect(200), method="post", data={}),
    Rule("supplies:request_detail", OWN_A, target="supply_request"),
    Rule("supplies:request_detail", OPEN_B, target="supply_open_request"),
    Rule("supplies:request_cancel", CANCELS_B, method="post", target="supply_open_request"),
    Rule("supplies:request_decide", DECIDES_B, target="supply_open_request"),
    Rule("supplies:request_decide", DECIDES_B, method="post", target="supply_open_request"),
    Rule("supplies:request_issue", DECIDES_B, target="supply_approved_request"),
    Rule("supplies:request_issue", DECIDES_B, method="post", target="supply_approved_request"),
    Rule("supplies:slip_detail", OWN_A, target="supply_slip"),
    Rule("supplies:slip_pdf", OWN_A, target="supply_slip"),
    Rule("supplies:slip_confirm", OWN_A_POST, method="post", target="supply_slip"),
    # The slip's code opens it for its receivers; anyone else gets 404, not their slip.
    Rule("supplies:slip_scan", OWN_A, target=slip_token),
    # A tampered code is refused before anything is looked up.
    Rule("supplies:slip_scan", expect(400), target=lambda case, persona: ["1:tampered:x"]),
    Rule("supplies:request_from_help", TURNS_HELP_A, target="supply_help_request"),
    Rule(
        "supplies:request_from_help",
        TURNS_HELP_A,
        method="post",
        target="supply_help_request",
    ),
]
