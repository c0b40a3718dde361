from shouwang.accounts.models import PasswordIssue
from shouwang.policy import Rule, expect


def make_objects(case) -> None:
    # Issued by the leader, finished, its files already gone.
    case.password_issue = PasswordIssue.objects.create(
        scope=PasswordIssue.Scope.CLASS,
        admin_class=case.class_a,
        issued_by=case.leader,
        login_url="https://shouwang.test/accounts/login/",
        status=PasswordIssue.Status.DONE,
    )


ISSUERS = expect(403, counsellor_a=200, counsellor_b=200, leader=200, admin=200)

RULES = [
    Rule("passwords:issue_list", ISSUERS),
    # Everyone who cannot log in yet: leaders and admins; a counsellor's form
    # offers only their own classes and says so.
    Rule(
        "passwords:issue_list",
        expect(403, counsellor_a=200, counsellor_b=200, leader=302, admin=302),
        method="post",
        data={"scope": "all_new"},
    ),
    # Issues are seen by whoever made them, and by admins.
    Rule(
        "passwords:issue_detail",
        expect(403, counsellor_a=404, counsellor_b=404, leader=200, admin=200),
        target="password_issue",
    ),
    # Only the issuer downloads (their browser alone holds the key); this
    # issue's files are gone, so the issuer is sent back to its page.
    Rule(
        "passwords:issue_sheet",
        expect(403, counsellor_a=404, counsellor_b=404, leader=302, admin=403),
        method="post",
        target="password_issue",
    ),
    Rule(
        "passwords:issue_slips",
        expect(403, counsellor_a=404, counsellor_b=404, leader=302, admin=403),
        method="post",
        target="password_issue",
    ),
]
