"""Graduates and their destinations. A graduate (the student persona,
graduate_a) sees their own record and reports their own destination; a
counsellor the graduates of their classes, whose reports they confirm and
whom they follow up; leaders their units' graduates, read-only; admins (and
the employment office, tested in the app's tests) everything. Others: 403 for
the lists, 404 for a graduate's pages."""

from shouwang.policy import Rule, expect

from .objects_outcomes import make


def make_objects(case) -> None:
    make(case)


# Whose careers home it is: graduates, counsellors, leaders, admins.
HOME = expect(403, student=200, counsellor_a=200, counsellor_b=200, leader=200, admin=200)
# The lists of graduates and the rates: each over their own graduates.
FOLLOWERS = expect(403, counsellor_a=200, counsellor_b=200, leader=200, admin=200)
# graduate_a's pages: their own, their counsellor's, the leader's and the admin's.
GRADUATE_A = expect(404, student=200, counsellor_a=200, leader=200, admin=200)
GRADUATE_B = expect(404, counsellor_b=200, leader=200, admin=200)
# The graduate (or the office) reports; their counsellor and the leader may not.
REPORT = expect(404, student=200, counsellor_a=403, leader=403, admin=200)
# The counsellor (or the office) decides and follows up; the graduate and the leader may not.
DECIDE = expect(404, student=403, counsellor_a=302, leader=403, admin=302)
FOLLOW_UP_FORM = expect(404, student=403, counsellor_a=200, leader=403, admin=200)

RULES = [
    Rule("careers:index", HOME),
    Rule("careers:graduate_list", FOLLOWERS),
    Rule("careers:graduate_list", FOLLOWERS, query={"pending": "on", "level": "bachelor"}),
    Rule("careers:graduate_detail", GRADUATE_A, target="graduate_a"),
    Rule("careers:graduate_detail", GRADUATE_B, target="graduate_b"),
    Rule("careers:destination_report", REPORT, target="graduate_a"),
    Rule(
        "careers:destination_report",
        expect(404, student=302, counsellor_a=403, leader=403, admin=302),
        method="post",
        target="graduate_a",
        data={"destination": "70"},
    ),
    Rule("careers:evidence", GRADUATE_A, target="careers_evidence"),
    Rule("careers:report_confirm", DECIDE, method="post", target="careers_report"),
    Rule(
        "careers:report_return",
        DECIDE,
        method="post",
        target="careers_report",
        data={"note": "协议未盖章"},
    ),
    Rule(
        "careers:graduate_difficulty",
        DECIDE,
        method="post",
        target="graduate_a",
        data={"difficulty": "family_income"},
    ),
    Rule("careers:follow_up", FOLLOW_UP_FORM, target="graduate_a"),
    Rule(
        "careers:follow_up",
        DECIDE,
        method="post",
        target="graduate_a",
        data={"on": "2024-03-01", "note": "电话沟通求职进展"},
    ),
    Rule("careers:rates", FOLLOWERS),
    Rule("careers:rates_export", FOLLOWERS),
    Rule("careers:seeking", FOLLOWERS),
    Rule("careers:cohort", expect(403, admin=200)),
    Rule("careers:cohort", expect(403, admin=302), method="post", data={"cohort": "2024"}),
]
