from django.core.files.base import ContentFile

from shouwang.people.models import PlatformAccountImport, RosterImport
from shouwang.policy import MANAGERS_ONLY, Rule, expect

ADMINS_ONLY = expect(403, admin=200)


def make_objects(case) -> None:
    case.roster_import = RosterImport.objects.create(
        file=ContentFile(b"number,name\n", name="roster.csv"),
        filename="roster.csv",
        uploaded_by=case.leader,
        status=RosterImport.Status.CHECKED,
    )
    case.platform_account_import = PlatformAccountImport.objects.create(
        file=ContentFile(b"number,wecom_userid\n", name="accounts.csv"),
        filename="accounts.csv",
        uploaded_by=case.admin,
        status=PlatformAccountImport.Status.CHECKED,
    )


RULES = [
    # The list exists for everyone but shows only what people_for_user allows.
    Rule("people:person_list", expect(200)),
    Rule("people:person_detail", expect(200), target="self"),
    Rule(
        "people:person_detail",
        expect(404, student=200, counsellor_a=200, leader=200, admin=200),
        target="student_a",
    ),
    Rule(
        "people:person_detail",
        expect(404, counsellor_b=200, volunteer=404, leader=200, admin=200),
        target="student_b",
    ),
    Rule(
        "people:person_reveal_phone",
        expect(200),
        method="post",
        target="self",
        data={"reason": "核对联系方式"},
    ),
    Rule(
        "people:person_reveal_phone",
        expect(404, student=200, counsellor_a=200, leader=200, admin=200),
        method="post",
        target="student_a",
        data={"reason": "未打卡，电话确认"},
    ),
    Rule(
        "people:person_reveal_phone",
        expect(404, counsellor_b=200, leader=200, admin=200),
        method="post",
        target="student_b",
        data={"reason": "未打卡，电话确认"},
    ),
    # Only admins reset staff passwords; nobody but an admin resets their own this way.
    Rule("people:person_reset_password", expect(403, admin=200), method="post", target="self"),
    Rule(
        "people:person_reset_password",
        expect(404, student=403, counsellor_a=200, leader=200, admin=200),
        method="post",
        target="student_a",
    ),
    Rule(
        "people:person_reset_password",
        expect(404, counsellor_b=200, leader=200, admin=200),
        method="post",
        target="student_b",
    ),
    Rule("people:roster_import", MANAGERS_ONLY),
    Rule("people:roster_import_detail", MANAGERS_ONLY, target="roster_import"),
    Rule(
        "people:roster_import_commit",
        expect(403, leader=302, admin=302),
        method="post",
        target="roster_import",
    ),
    Rule(
        "people:roster_import_defaults",
        expect(403, leader=302, admin=302),
        method="post",
        target="roster_import",
        data={"unit": "", "kind": "staff"},
    ),
    Rule(
        "people:roster_import_create_units",
        expect(403, leader=302, admin=302),
        method="post",
        target="roster_import",
        data={"parent": ""},
    ),
    Rule("people:roster_export", MANAGERS_ONLY),
    # People's WeCom and DingTalk accounts are set college-wide: admins only.
    Rule("people:platform_account_import", ADMINS_ONLY),
    Rule("people:platform_account_template", ADMINS_ONLY),
    Rule(
        "people:platform_account_import_detail",
        ADMINS_ONLY,
        target="platform_account_import",
    ),
    Rule(
        "people:platform_account_import_commit",
        expect(403, admin=302),
        method="post",
        target="platform_account_import",
    ),
]
