"""Judging: the leader (the college's activities) and admins run it; a judge
(the supervisor persona) scores their own sheet; once published, every
logged-in person reads the awards and the students the activity is open to
object; once final, the winner (student_a) prints their certificate."""

from shouwang.policy import Rule, expect

from .objects_judging import make


def make_objects(case) -> None:
    make(case)


# The runners' pages: the leader and admins; everyone else sees the activity, not its judging.
RUN = expect(403, leader=200, admin=200)
RUN_ACTS = expect(403, leader=302, admin=302)
# A score sheet: its judge and the runners; nobody else finds it.
SHEET = expect(404, leader=200, admin=200, supervisor=200)
SHEET_POST = expect(404, leader=403, admin=403, supervisor=302)
# Published results: everyone; the students of the college may object.
OBJECT_POST = expect(403, student=302, volunteer=302)
# An objection: the runners answer it; its student may not; nobody else finds it.
ANSWER = expect(404, leader=302, admin=302, student=403)
# A certificate: the winner and the runners once final; before, they may not.
CERTIFICATE = expect(404, student=200, leader=200, admin=200)
CERTIFICATE_PENDING = expect(404, student=403, leader=403, admin=403)


def _file(case, persona):
    return [case.judged_sheet.pk, case.judged_file.pk]


RULES = [
    Rule("activities:judging", RUN, target="judged_contest"),
    Rule("activities:judging_criteria", RUN, target="judged_contest"),
    Rule("activities:judging_judges", RUN, target="judged_contest"),
    Rule("activities:judging_assign", RUN, target="judged_contest"),
    Rule(
        "activities:judging_assign",
        RUN_ACTS,
        method="post",
        data={"action": "all"},
        target="judged_contest",
    ),
    Rule("activities:my_judging", expect(200)),
    Rule("activities:judge_sheet", SHEET, target="judged_sheet"),
    Rule("activities:judge_sheet", SHEET_POST, method="post", target="judged_sheet"),
    Rule("activities:sheet_file", SHEET, target=_file),
    Rule("activities:results", RUN, target="judged_contest"),
    Rule("activities:results", expect(200), target="published_contest"),
    Rule("activities:awards", RUN, target="judged_contest"),
    Rule("activities:results_publish", RUN_ACTS, method="post", target="judged_contest"),
    Rule("activities:results_final", RUN_ACTS, method="post", target="published_contest"),
    Rule("activities:objection", expect(403), target="judged_contest"),
    Rule("activities:objection", expect(200), target="published_contest"),
    Rule(
        "activities:objection",
        OBJECT_POST,
        method="post",
        data={"text": "请复核。"},
        target="published_contest",
    ),
    Rule(
        "activities:objection_answer",
        ANSWER,
        method="post",
        data={"answer": "经复核，评分无误。"},
        target="objection_raised",
    ),
    Rule("activities:certificate", CERTIFICATE, target="final_award"),
    Rule("activities:certificate", CERTIFICATE_PENDING, target="pending_award"),
]
