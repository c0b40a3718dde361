"""Another college under the same university: the college's leader reaches
none of its people or their records (404), the admin all of them. Counsellors
and students of the first college reach none of it either."""

import datetime as dt

from shouwang.care import actions as care
from shouwang.helpdesk.tests.helpers import make_request
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.people.models import DormRoom
from shouwang.policy import Rule, expect
from shouwang.screening.models import Flag


def make_objects(case) -> None:
    case.create_other_college()
    case.incident_c = Incident.objects.create(title="会计学院封控", opened_by=case.admin)
    case.incident_c.units.add(case.college_b)
    case.flag_c = Flag.objects.create(
        person=case.student_c, incident=case.incident_c, date=clock.today(), reason="fever"
    )
    case.isolation_c = care.place_in_isolation(
        case.student_c,
        dorm_room=DormRoom.objects.create(building="C", number="101"),
        reason="密切接触者",
        started_at=clock.now() - dt.timedelta(days=3),
        planned_end=clock.today() + dt.timedelta(days=4),
        acting_user=case.counsellor_c_user,
    )
    # Ended: an ended isolation's page must not leak either (and it carries no meals).
    care.end_isolation(case.isolation_c, note="解除隔离", acting_user=case.counsellor_c_user)
    case.help_c = make_request(case.student_c_user, text="会计学院的同学：网课平台登不上")


ADMIN_ONLY = expect(404, admin=200)
# Compliance pages exist for counsellors, leaders and admins; others are refused first.
ADMIN_ONLY_OF_VIEWERS = expect(403, counsellor_a=404, counsellor_b=404, leader=404, admin=200)

RULES = [
    Rule("people:person_detail", ADMIN_ONLY, target="student_c"),
    Rule(
        "people:person_reveal_phone",
        expect(404, admin=200),
        method="post",
        target="student_c",
        data={"reason": "核实情况"},
    ),
    Rule("screening:flag_detail", ADMIN_ONLY_OF_VIEWERS, target="flag_c"),
    Rule("screening:timeline", ADMIN_ONLY_OF_VIEWERS, target="student_c"),
    Rule("care:isolation_detail", ADMIN_ONLY, target="isolation_c"),
    Rule("helpdesk:request_detail", ADMIN_ONLY, target="help_c"),
    # Teachers see every incident; a leader only those covering their units.
    Rule(
        "incidents:incident_detail",
        expect(404, counsellor_a=200, counsellor_b=200, admin=200, teacher=200, supervisor=200),
        target="incident_c",
    ),
    Rule(
        "incidents:incident_close",
        expect(404, counsellor_a=403, counsellor_b=403, admin=302, teacher=403, supervisor=403),
        method="post",
        target="incident_c",
    ),
]
