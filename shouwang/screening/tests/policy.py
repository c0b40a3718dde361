"""Screening: counsellors see their own classes' flags, leaders and admins
everyone's, students and volunteers nothing (403); a flag or a person outside
the viewer's classes is 404."""

from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.policy import MANAGERS_ONLY, Rule, expect
from shouwang.screening.models import Flag

VIEWERS = expect(403, counsellor_a=200, counsellor_b=200, leader=200, admin=200)


def make_objects(case) -> None:
    case.screening_incident = Incident.objects.create(title="校园封控", opened_by=case.leader)
    case.screening_incident.units.add(case.college)
    today = clock.today()
    case.flag_a = Flag.objects.create(
        person=case.student_a, incident=case.screening_incident, date=today, reason="fever"
    )
    case.flag_b = Flag.objects.create(
        person=case.student_b, incident=case.screening_incident, date=today, reason="symptoms"
    )


RULES = [
    Rule("screening:flag_list", VIEWERS),
    Rule(
        "screening:flag_detail",
        expect(403, counsellor_a=200, counsellor_b=404, leader=200, admin=200),
        target="flag_a",
    ),
    Rule(
        "screening:flag_detail",
        expect(403, counsellor_a=404, counsellor_b=200, leader=200, admin=200),
        target="flag_b",
    ),
    Rule(
        "screening:flag_detail",
        expect(403, counsellor_a=302, counsellor_b=404, leader=302, admin=302),
        method="post",
        target="flag_a",
        data={"outcome": "contacted", "note": "电话联系，体温已正常"},
    ),
    Rule("screening:risk_regions", MANAGERS_ONLY),
    Rule(
        "screening:risk_regions",
        expect(403, leader=302, admin=302),
        method="post",
        data={"region": "1401"},
    ),
    Rule(
        "screening:timeline",
        expect(403, counsellor_a=200, counsellor_b=404, leader=200, admin=200),
        target="student_a",
    ),
    Rule(
        "screening:timeline",
        expect(403, counsellor_a=404, counsellor_b=200, leader=200, admin=200),
        target="student_b",
    ),
    # Counsellors, leaders and admins may read their own; students may not.
    Rule("screening:timeline", VIEWERS, target="self"),
    # The timeline's old address sends everyone to the new one, which decides.
    Rule("moved_timeline", expect(301, anonymous=301), target="student_a"),
]
