"""The chronicles: leaders and admins over the units they reach; a chronicle
of another college is 404 to the college's leader; publishing also takes
the bulletin's right to write (which every reader of reports holds)."""

from shouwang.incidents.models import Incident
from shouwang.policy import MANAGERS_ONLY, Rule, expect
from shouwang.reports import actions


def make_objects(case) -> None:
    if getattr(case, "chronicle", None) is not None:
        return
    if getattr(case, "college_b", None) is None:
        case.create_other_college()
    incident = Incident.objects.create(title="校园封控", opened_by=case.leader)
    incident.units.add(case.college)
    case.chronicle = actions.draft(unit=case.college, incident=incident, acting_user=case.leader)
    case.chronicle_c = actions.draft(
        unit=case.college_b,
        first=incident.started_at.date(),
        last=incident.started_at.date(),
        acting_user=case.admin,
    )


# Readers redirect back to the chronicle after a POST.
POSTED = expect(403, leader=302, admin=302)
OTHER_COLLEGE = expect(403, leader=404, admin=200)

RULES = [
    Rule("reports:chronicle_list", MANAGERS_ONLY),
    # No unit given: the form comes back with its errors.
    Rule("reports:chronicle_draft", expect(403, leader=400, admin=400), method="post"),
    Rule("reports:chronicle", MANAGERS_ONLY, target="chronicle"),
    Rule("reports:chronicle", OTHER_COLLEGE, target="chronicle_c"),
    Rule("reports:chronicle_publish", POSTED, method="post", target="chronicle"),
    Rule(
        "reports:chronicle_publish",
        expect(403, leader=404, admin=302),
        method="post",
        target="chronicle_c",
    ),
    Rule("reports:chronicle_refresh", POSTED, method="post", target="chronicle"),
    Rule("reports:chronicle_docx", MANAGERS_ONLY, target="chronicle"),
    Rule("reports:chronicle_docx", OTHER_COLLEGE, target="chronicle_c"),
    Rule("reports:chronicle_pdf", MANAGERS_ONLY, target="chronicle"),
    Rule("reports:chronicle_pdf", OTHER_COLLEGE, target="chronicle_c"),
]
