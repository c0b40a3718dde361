"""Leave requests. A requester sees their own; the approver it waits on and
those who decided it see it; counsellors their classes'; leaders their
units'; admins all. Others: 404."""

from shouwang.policy import Rule, expect

from .objects import make


def make_objects(case) -> None:
    make(case)


# student_a's request, waiting on counsellor_a.
LEAVE_A = expect(404, student=200, counsellor_a=200, leader=200, admin=200)
# student_b's (the volunteer persona is in class B, but is not student_b).
LEAVE_B = expect(404, counsellor_b=200, leader=200, admin=200)

RULES = [
    Rule("leave:index", expect(200)),
    Rule("leave:request_detail", LEAVE_A, target="leave_a"),
    Rule("leave:request_detail", LEAVE_B, target="leave_b"),
]
