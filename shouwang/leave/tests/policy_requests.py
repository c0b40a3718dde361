"""Leave requests. A requester sees their own; the approver it waits on and
those who decided it see it; counsellors their classes'; leaders their
units'; admins all. Others: 404. Only the approver it waits on decides
(403 for the others who see it); only the requester withdraws, changes and
sends again. Kinds, chains and posts: leaders and admins (403)."""

from django.core.files.base import ContentFile

from shouwang.leave import actions
from shouwang.leave.models import LeaveAttachment, LeaveStep
from shouwang.policy import MANAGERS_ONLY, Rule, expect

from .base import ask
from .objects import make


def make_objects(case) -> None:
    make(case)
    if getattr(case, "leave_returned", None) is not None:
        return
    case.leave_a_file = LeaveAttachment.objects.create(
        request=case.leave_a,
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="note.pdf"),
        name="诊断证明.pdf",
        size=15,
        uploaded_by=case.student,
    )
    # student_a's sick leave returned for changes, and a leave approved.
    case.leave_returned = ask(case.student_a, case.sick, user=case.student)
    actions.decide(
        case.leave_returned,
        LeaveStep.Event.RETURNED,
        "写清病情",
        acting_user=case.counsellor_a_user,
    )
    case.leave_approved = ask(case.student_a, case.away, user=case.student)
    actions.decide(
        case.leave_approved, LeaveStep.Event.APPROVED, acting_user=case.counsellor_a_user
    )


def post_and_unit(case, persona):
    return [case.deputy.pk, case.college.pk]


# student_a's request, waiting on counsellor_a.
LEAVE_A = expect(404, student=200, counsellor_a=200, leader=200, admin=200)
# student_b's (the volunteer persona is in class B, but is not student_b).
LEAVE_B = expect(404, counsellor_b=200, leader=200, admin=200)
# What only the requester (student_a) may do to a request the others see.
REQUESTER_ONLY = expect(404, student=200, counsellor_a=403, leader=403, admin=403)
REQUESTER_POSTS = expect(404, student=302, counsellor_a=403, leader=403, admin=403)
FOLLOWERS = expect(403, counsellor_a=200, counsellor_b=200, leader=200, admin=200)

RULES = [
    Rule("leave:index", expect(200)),
    Rule("leave:request_new", expect(200)),
    # An empty form comes back with its errors.
    Rule("leave:request_new", expect(200), method="post"),
    Rule("leave:queue", expect(200)),
    Rule("leave:request_list", FOLLOWERS),
    Rule("leave:request_list", FOLLOWERS, query={"status": "pending", "date": "2024-04-15"}),
    Rule("leave:request_detail", LEAVE_A, target="leave_a"),
    Rule("leave:request_detail", LEAVE_B, target="leave_b"),
    Rule("leave:request_detail", LEAVE_A, target="leave_returned"),
    Rule("leave:attachment", LEAVE_A, target="leave_a_file"),
    Rule(
        "leave:decide",
        expect(404, student=403, counsellor_a=302, leader=403, admin=403),
        method="post",
        target="leave_a",
        data={"outcome": "approved"},
    ),
    Rule(
        "leave:decide",
        expect(404, counsellor_b=403, leader=403, admin=403),
        method="post",
        target="leave_b",
        data={"outcome": "approved"},
    ),
    Rule("leave:withdraw", REQUESTER_POSTS, method="post", target="leave_a"),
    Rule(
        "leave:withdraw",
        expect(404, counsellor_b=403, leader=403, admin=403),
        method="post",
        target="leave_b",
    ),
    Rule("leave:request_edit", REQUESTER_ONLY, target="leave_returned"),
    Rule("leave:request_edit", REQUESTER_ONLY, method="post", target="leave_returned"),
    # Only a returned request is changed and sent again.
    Rule(
        "leave:request_edit",
        expect(404, student=403, counsellor_a=403, leader=403, admin=403),
        target="leave_a",
    ),
    Rule("leave:request_change", REQUESTER_ONLY, target="leave_approved"),
    Rule("leave:request_change", REQUESTER_ONLY, method="post", target="leave_approved"),
    Rule(
        "leave:request_change",
        expect(404, counsellor_b=403, leader=403, admin=403),
        target="leave_b",
    ),
    Rule("leave:kind_list", MANAGERS_ONLY),
    Rule("leave:kind_new", MANAGERS_ONLY),
    Rule("leave:kind_new", MANAGERS_ONLY, method="post"),
    Rule("leave:kind_edit", MANAGERS_ONLY, target="away"),
    Rule("leave:post_list", MANAGERS_ONLY),
    Rule(
        "leave:post_new",
        expect(403, leader=302, admin=302),
        method="post",
        data={"name": "院长"},
    ),
    Rule("leave:post_holder", MANAGERS_ONLY, target=post_and_unit),
    Rule(
        "leave:post_holder",
        expect(403, leader=302, admin=302),
        method="post",
        target=post_and_unit,
        data={"number": "T1010"},
    ),
]
