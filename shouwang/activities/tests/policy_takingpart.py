"""Taking part in activities. Everyone logged in sees the activities and
their own record; students sign up, form teams and send entries (anyone
else 403); an activity's runners (its organiser, here the teacher persona;
the college's leader; the admin) edit it, its sessions and attendance files
and awards won outside (403 for the others, who see the activity; 404 for
its attendance files, which they do not). An entry is its sender's, their
team's and its runners' (404 for the others); a class's record is its
counsellor's and the leaders' (404 for the others)."""

from shouwang.policy import MANAGERS_ONLY, Rule, expect

from .objects_takingpart import make


def make_objects(case) -> None:
    make(case)


RUN = expect(403, teacher=200, leader=200, admin=200)
RUN_POST = expect(403, teacher=302, leader=302, admin=302)
RUN_FILE = expect(404, teacher=200, leader=200, admin=200)
# A student's action: students are sent back to the page, with a message.
STUDENTS_POST = expect(403, student=302, volunteer=302)
OWN_ENTRY = expect(404, student=200, teacher=200, leader=200, admin=200)
TEAM_ENTRY = expect(404, volunteer=200, teacher=200, leader=200, admin=200)


def _entry_file(case, persona):
    return [case.tp_entry.pk, case.tp_entry_file.pk]


RULES = [
    Rule("activities:index", expect(200)),
    Rule("activities:my_record", expect(200)),
    Rule("activities:counts", RUN),
    Rule("activities:activity_form", MANAGERS_ONLY),
    Rule(
        "activities:class_record",
        expect(404, counsellor_a=200, leader=200, admin=200),
        target="class_a",
    ),
    Rule("activities:activity_detail", expect(200), target="tp_contest"),
    Rule("activities:activity_detail", expect(200), target="tp_forum"),
    Rule("activities:activity_edit", RUN, target="tp_contest"),
    # Signed up already (both): back to the page.
    Rule("activities:signup", STUDENTS_POST, method="post", target="tp_contest"),
    Rule("activities:signup", STUDENTS_POST, method="post", target="tp_festival"),
    # Their entries are in: refused with a message.
    Rule("activities:withdraw", STUDENTS_POST, method="post", target="tp_contest"),
    Rule("activities:team_form", expect(403, student=200, volunteer=200), target="tp_festival"),
    # Signed up already: back to the page.
    Rule("activities:team_form", STUDENTS_POST, target="tp_contest"),
    # A forum takes no teams and no entries.
    Rule("activities:team_form", expect(403, student=404, volunteer=404), target="tp_forum"),
    Rule("activities:entry_form", expect(403, student=200, volunteer=200), target="tp_contest"),
    Rule("activities:entry_form", expect(403, student=404, volunteer=404), target="tp_forum"),
    Rule("activities:entry_detail", OWN_ENTRY, target="tp_entry"),
    Rule("activities:entry_detail", TEAM_ENTRY, target="tp_team_entry"),
    Rule("activities:entry_file", OWN_ENTRY, target=_entry_file),
    Rule("activities:session_form", RUN, target="tp_forum"),
    Rule("activities:session_detail", RUN, target="tp_session"),
    Rule("activities:session_edit", RUN, target="tp_session"),
    Rule("activities:attendance_upload", RUN, target="tp_session"),
    Rule("activities:attendance_import", RUN_FILE, target="tp_import"),
    Rule(
        "activities:attendance_import_commit",
        expect(404, teacher=302, leader=302, admin=302),
        method="post",
        target="tp_import",
    ),
    Rule("activities:external_award", RUN, target="tp_external"),
    # Not an external contest: no such page.
    Rule(
        "activities:external_award",
        expect(403, teacher=404, leader=404, admin=404),
        target="tp_contest",
    ),
]
