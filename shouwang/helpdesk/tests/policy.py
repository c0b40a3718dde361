from django.core.files.base import ContentFile

from shouwang.helpdesk.actions import add_task
from shouwang.helpdesk.models import HelpRequestAttachment
from shouwang.helpdesk.tests.helpers import make_request
from shouwang.policy import Rule, expect

# student_a's request goes to counsellor_a; student_b's to counsellor_b. The
# volunteer has a task on student_a's request and sees that task, never the request.
SEES_A = expect(404, student=200, counsellor_a=200, leader=200, admin=200)
SEES_B = expect(404, counsellor_b=200, leader=200, admin=200)
HANDLES_A = expect(404, student=403, counsellor_a=302, leader=302, admin=302)
ASKS_A = expect(404, student=302, counsellor_a=403, leader=403, admin=403)
WRITES_A = expect(404, student=302, counsellor_a=302, leader=302, admin=302)


def make_objects(case) -> None:
    case.help_a = make_request(case.student, text="宿舍网络断了，网课进不去（矩阵）")
    case.help_b = make_request(case.student_b_user, text="饭卡丢了，需要补办（矩阵）")
    case.help_file = HelpRequestAttachment(request=case.help_a, name="photo.pdf")
    case.help_file.file.save("photo.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    case.help_task = add_task(
        case.help_a,
        assignee=case.volunteer_person,
        what="送一台备用笔记本",
        where="B-312",
        acting_user=case.counsellor_a_user,
    )


def _file(case, persona):
    return [case.help_a.pk, case.help_file.pk]


RULES = [
    Rule("helpdesk:request_list", expect(200)),
    Rule("helpdesk:request_new", expect(200)),
    # An empty form comes back with its errors.
    Rule("helpdesk:request_new", expect(200), method="post", data={}),
    Rule(
        "helpdesk:overview",
        expect(403, counsellor_a=200, counsellor_b=200, leader=200, admin=200),
    ),
    Rule("helpdesk:request_detail", SEES_A, target="help_a"),
    Rule("helpdesk:request_detail", SEES_B, target="help_b"),
    Rule("helpdesk:attachment", SEES_A, target=_file),
    Rule("helpdesk:request_claim", HANDLES_A, method="post", target="help_a"),
    Rule(
        "helpdesk:request_reply",
        WRITES_A,
        method="post",
        target="help_a",
        data={"text": "好的，今天处理"},
    ),
    Rule(
        "helpdesk:request_status",
        HANDLES_A,
        method="post",
        target="help_a",
        data={"status": "in_progress"},
    ),
    Rule(
        "helpdesk:request_reassign",
        HANDLES_A,
        method="post",
        target="help_a",
        data={"number": "T1001"},
    ),
    Rule("helpdesk:task_new", HANDLES_A, method="post", target="help_a", data={}),
    Rule("helpdesk:request_confirm", ASKS_A, method="post", target="help_a"),
    Rule(
        "helpdesk:request_reopen", ASKS_A, method="post", target="help_a", data={"text": "还是不行"}
    ),
    # The secretary's letter (bulletin's policy objects): its reader (the
    # leader) and admins turn it into a request; an empty form goes back to it.
    Rule(
        "helpdesk:from_letter",
        expect(404, leader=302, admin=302),
        method="post",
        target="secretary_letter",
        data={"category": "living", "urgency": "normal"},
    ),
    Rule("helpdesk:task_detail", expect(404, volunteer=200), target="help_task"),
    Rule("helpdesk:task_done", expect(404, volunteer=302), method="post", target="help_task"),
]
