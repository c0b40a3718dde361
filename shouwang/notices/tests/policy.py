from django.core.files.base import ContentFile

from shouwang.notices import actions
from shouwang.notices.audience import Audience
from shouwang.notices.models import NoticeAttachment
from shouwang.policy import Rule, expect

# A notice of counsellor A to class A: its recipient (student) and its author
# see it; leaders and admins see every published notice; nobody else knows it exists.
CLASS_A_NOTICE = expect(404, student=200, counsellor_a=200, leader=200, admin=200)
# The author's side of it: the recipient may read the notice but not its counts.
CLASS_A_MANAGERS = expect(404, student=403, counsellor_a=200, leader=200, admin=200)
# Counsellors, leaders and admins write notices; a teacher who counsels no class does not.
WRITERS = expect(200, student=403, volunteer=403, teacher=403, supervisor=403)


def make_objects(case) -> None:
    case.class_a_notice = actions.write_notice(
        title="关于每日健康打卡的通知",
        body="请同学们每天10点前完成健康打卡。",
        audience=Audience(classes=(case.class_a.pk,)),
        requires_acknowledgement=True,
        deadline=None,
        acting_user=case.counsellor_a_user,
    )
    NoticeAttachment.objects.create(
        notice=case.class_a_notice,
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="x.pdf"),
        name="打卡说明.pdf",
        size=15,
    )
    actions.publish(case.class_a_notice, acting_user=case.counsellor_a_user)
    case.class_a_file = case.class_a_notice.attachments.get()
    case.draft_a = actions.write_notice(
        title="草稿",
        body="尚未发布",
        audience=Audience(classes=(case.class_a.pk,)),
        requires_acknowledgement=False,
        deadline=None,
        acting_user=case.counsellor_a_user,
    )


def file_of(case, persona: str) -> list[int]:
    return [case.class_a_notice.pk, case.class_a_file.pk]


NEW_NOTICE = {"title": "通知", "body": "正文", "kind": "all", "everyone": "on"}

RULES = [
    Rule("notices:notice_list", expect(200)),
    Rule("notices:notice_new", WRITERS),
    # An empty form comes back with its errors: the writers' 200.
    Rule("notices:notice_new", WRITERS, method="post", data={}),
    Rule("notices:notice_detail", CLASS_A_NOTICE, target="class_a_notice"),
    # A draft is its author's alone.
    Rule("notices:notice_detail", expect(404, counsellor_a=200), target="draft_a"),
    Rule("notices:attachment", CLASS_A_NOTICE, target=file_of),
    Rule(
        "notices:notice_publish",
        expect(404, counsellor_a=302),
        method="post",
        target="draft_a",
    ),
    # Only the author publishes; others who may see a published notice get 403.
    Rule(
        "notices:notice_publish",
        expect(404, student=403, counsellor_a=302, leader=403, admin=403),
        method="post",
        target="class_a_notice",
    ),
    Rule("notices:notice_delete", expect(404, counsellor_a=302), method="post", target="draft_a"),
    # Only a recipient acknowledges: the others who see the notice have no receipt.
    Rule(
        "notices:notice_acknowledge",
        expect(404, student=302),
        method="post",
        target="class_a_notice",
    ),
    Rule("notices:notice_progress", CLASS_A_MANAGERS, target="class_a_notice"),
    Rule("notices:notice_outstanding", CLASS_A_MANAGERS, target="class_a_notice"),
    Rule(
        "notices:notice_remind",
        expect(404, student=403, counsellor_a=302, leader=302, admin=302),
        method="post",
        target="class_a_notice",
    ),
]
