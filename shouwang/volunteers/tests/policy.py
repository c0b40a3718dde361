from django.core.files.base import ContentFile

from shouwang.policy import Rule, expect
from shouwang.volunteers.models import SignUp, Team
from shouwang.volunteers.tests.helpers import jpeg, make_report, make_shift, make_team

# The brigade: the volunteer leads it, student_a is a member; counsellors and
# the other teachers are not in it.
OUTSIDERS = dict.fromkeys(("counsellor_a", "counsellor_b", "teacher", "supervisor"), 404)
MEMBERS = expect(200, **OUTSIDERS)
LEADS = expect(403, volunteer=200, leader=200, admin=200, **OUTSIDERS)
LEADS_POST = expect(403, volunteer=302, leader=302, admin=302, **OUTSIDERS)
# Only members sign up or withdraw: leaders who are not in the team may look, not sign up.
MEMBERS_POST = expect(302, leader=403, admin=403, **OUTSIDERS)
# The roster: leaders, admins and the duty team's lead (counsellor_a).
ROSTER = expect(404, counsellor_a=200, leader=200, admin=200)
# Students report their own service; staff do not.
REPORTERS = expect(403, student=200, volunteer=200)
REPORT_A = expect(404, student=200, counsellor_a=200, leader=200, admin=200)
REPORT_B = expect(404, counsellor_b=200, leader=200, admin=200)


def make_objects(case) -> None:
    case.brigade = make_team(
        "春蕾工程志愿服务队", lead=case.volunteer_person, members=[case.student_a]
    )
    case.duty_team = make_team(
        "教职工值班组", Team.Kind.STAFF_DUTY, lead=case.counsellor_a, members=[case.counsellor_b]
    )
    case.shift = make_shift(case.brigade)
    case.signup_a = SignUp.objects.create(shift=case.shift, person=case.student_a)
    case.report_a = make_report(case.student_a)
    case.report_a.photo.save("photo.jpg", ContentFile(jpeg().read()), save=True)
    case.report_b = make_report(case.student_b)


RULES = [
    Rule("volunteers:team_list", expect(200)),
    Rule("volunteers:team_detail", MEMBERS, target="brigade"),
    Rule(
        "volunteers:team_detail",
        expect(404, counsellor_a=200, counsellor_b=200, leader=200, admin=200),
        target="duty_team",
    ),
    Rule("volunteers:shift_new", LEADS, target="brigade"),
    # An empty form comes back with its errors: the leads' 200.
    Rule("volunteers:shift_new", LEADS, method="post", target="brigade", data={}),
    Rule("volunteers:shift_detail", MEMBERS, target="shift"),
    Rule("volunteers:shift_signup", MEMBERS_POST, method="post", target="shift"),
    Rule("volunteers:shift_withdraw", MEMBERS_POST, method="post", target="shift"),
    # A member sees the sign-up's shift but only its lead checks people in and out.
    Rule("volunteers:signup_check_in", LEADS_POST, method="post", target="signup_a"),
    Rule("volunteers:signup_check_out", LEADS_POST, method="post", target="signup_a"),
    Rule("volunteers:duty_roster", ROSTER),
    Rule("volunteers:duty_roster", ROSTER, method="post", data={}),
    Rule("volunteers:service_list", expect(200)),
    Rule("volunteers:service_new", REPORTERS),
    Rule("volunteers:service_new", REPORTERS, method="post", data={}),
    Rule("volunteers:service_detail", REPORT_A, target="report_a"),
    Rule("volunteers:service_detail", REPORT_B, target="report_b"),
    Rule("volunteers:service_photo", REPORT_A, target="report_a"),
    # Only the counsellor of the student's class decides; others who see it get 403.
    Rule(
        "volunteers:service_review",
        expect(404, student=403, counsellor_a=302, leader=403, admin=403),
        method="post",
        target="report_a",
        data={"decision": "approve", "note": ""},
    ),
    Rule(
        "volunteers:service_review",
        expect(404, counsellor_b=302, leader=403, admin=403),
        method="post",
        target="report_b",
        data={"decision": "return", "note": "请补充照片"},
    ),
]
