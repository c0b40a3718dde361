"""Job fairs. Everyone logged in sees the fairs, a fair's page and the
counts. Those who run the fair (the leader of its college, admins; the
employment office is no persona here) change it, its rooms and their codes
and attendance files (403 for everyone else, who may see the fair); the
attendance files are theirs alone (404). Only a graduate (the student
persona, 张三) registers and types a room's code: anyone else is refused
(403, saying why). 张三's offer is theirs to answer; their counsellor, the
leader and admins see it but may not (403); anyone else: 404. Leaders and
admins, who also write notices and bulletin articles, announce fairs and
publish their news."""

from shouwang.policy import MANAGERS_ONLY, Rule, expect

from .objects_fairs import make

EVERYONE = expect(200)
RUNNERS = MANAGERS_ONLY
RUNNERS_POST = expect(403, leader=302, admin=302)
GRADUATE_POST = expect(403, student=302)
IMPORT = expect(404, leader=200, admin=200)
IMPORT_POST = expect(404, leader=302, admin=302)
# A graduate records their own offers; the runners anyone's.
OFFERS = expect(403, student=200, leader=200, admin=200)
OWN_OFFER = expect(404, student=200, counsellor_a=403, leader=403, admin=403)
OWN_OFFER_POST = expect(404, student=302, counsellor_a=403, leader=403, admin=403)


def make_objects(case) -> None:
    make(case)


RULES = [
    Rule("careers:fair_list", EVERYONE),
    Rule("careers:fair_counts", EVERYONE),
    Rule("careers:fair_detail", EVERYONE, target="fairs_fair"),
    # A code from the QR code fills the form in.
    Rule("careers:fair_detail", EVERYONE, target="fairs_fair", query={"code": "ABCDEF"}),
    Rule("careers:fair_form", RUNNERS),
    # An empty form comes back with its errors.
    Rule("careers:fair_form", RUNNERS, method="post", data={}),
    Rule("careers:fair_edit", RUNNERS, target="fairs_fair"),
    Rule("careers:fair_edit", RUNNERS, method="post", target="fairs_fair", data={}),
    Rule("careers:fair_room", RUNNERS, target="fairs_fair"),
    Rule(
        "careers:fair_room",
        RUNNERS,
        target="fairs_fair",
        query=lambda case, persona: {"employer": case.employer.pk},
    ),
    # No employer chosen: the chooser again.
    Rule("careers:fair_room", RUNNERS, method="post", target="fairs_fair"),
    Rule("careers:fair_room_code", RUNNERS, target="fairs_room"),
    Rule("careers:fair_attendance_upload", RUNNERS, target="fairs_room"),
    # No file: the form comes back with its error.
    Rule("careers:fair_attendance_upload", RUNNERS, method="post", target="fairs_room"),
    Rule("careers:fair_attendance_import", IMPORT, target="fairs_import"),
    Rule("careers:fair_attendance_commit", IMPORT_POST, method="post", target="fairs_import"),
    Rule("careers:fair_register", GRADUATE_POST, method="post", target="fairs_fair"),
    # Not registered yet: back to the fair with the reason.
    Rule(
        "careers:fair_enter",
        GRADUATE_POST,
        method="post",
        target="fairs_fair",
        data={"code": "ABCDEF"},
    ),
    Rule("careers:fairs_announce", RUNNERS),
    Rule(
        "careers:fairs_announce", RUNNERS, query=lambda case, persona: {"fairs": case.fairs_fair.pk}
    ),
    # No fair chosen: the preview again.
    Rule("careers:fairs_announce", RUNNERS, method="post", data={}),
    Rule("careers:fairs_news", RUNNERS),
    Rule("careers:fairs_news", RUNNERS, method="post", data={}),
    Rule("careers:offer_form", OFFERS),
    Rule("careers:offer_form", OFFERS, query=lambda case, persona: {"employer": case.employer.pk}),
    # No employer chosen: the chooser again.
    Rule("careers:offer_form", OFFERS, method="post", data={}),
    Rule("careers:offer_accept", OWN_OFFER, target="fairs_offer"),
    Rule("careers:offer_accept", OWN_OFFER, method="post", target="fairs_offer", data={}),
    Rule("careers:offer_decline", OWN_OFFER_POST, method="post", target="fairs_offer"),
]
