"""Employers and positions: everyone logged in browses them; the employment
office, leaders and admins run them and alone see an employer's contact
(no shared persona holds the office role: its reach is tested in the app's
own tests). An employer import is seen by the office and admins, and by the
leader who uploaded it. The digest's mute is a graduate's own: the student
persona is a graduate; nobody else has a digest (404)."""

from shouwang.policy import MANAGERS_ONLY, Rule, expect

from .objects_employers import make


def make_objects(case) -> None:
    make(case)


EVERYONE = expect(200)
OWN_DIGEST = expect(404, student=200)

RULES = [
    Rule("careers:employer_list", EVERYONE),
    Rule("careers:employer_form", MANAGERS_ONLY),
    Rule("careers:employer_detail", EVERYONE, target="employer"),
    # Opening the form shows the contact in full: a recorded read.
    Rule("careers:employer_edit", MANAGERS_ONLY, target="employer"),
    Rule(
        "careers:employer_contact",
        MANAGERS_ONLY,
        method="post",
        target="employer",
        data={"reason": "联系双选会参会事宜"},
    ),
    Rule("careers:employer_import", MANAGERS_ONLY),
    Rule("careers:employer_import_template", MANAGERS_ONLY),
    Rule("careers:employer_import_detail", expect(404, admin=200), target="office_import"),
    Rule(
        "careers:employer_import_detail",
        expect(404, leader=200, admin=200),
        target="leader_import",
    ),
    # Committed already: back to its page with the reason.
    Rule(
        "careers:employer_import_commit",
        expect(404, leader=302, admin=302),
        method="post",
        target="leader_import",
    ),
    Rule("careers:position_list", EVERYONE),
    Rule("careers:position_list", EVERYONE, query={"show": "all", "major": "计算机科学与技术"}),
    Rule("careers:position_form", MANAGERS_ONLY),
    Rule("careers:position_detail", EVERYONE, target="position"),
    Rule("careers:position_edit", MANAGERS_ONLY, target="position"),
    Rule("careers:digest_mute", OWN_DIGEST),
    Rule(
        "careers:digest_mute",
        expect(404, student=302),
        method="post",
        data={"muted": "on"},
    ),
]
