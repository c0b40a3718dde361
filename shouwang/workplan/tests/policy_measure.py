"""A measure and its progress reports.

Staff of the college read a measure's outline, status and breakthrough (its
evidence too: the college's achievement); its budget detail and reports are
for its owner (the teacher persona), its co-owner (counsellor_a), the plan's
leaders and its reviewers. Owners, co-owners and leaders run the measure;
leaders alone accept its completion, mark a breakthrough and score reports;
owners alone write reports. Empty forms come back with their errors (200);
forms whose fields are all optional do their work and go back (302)."""

import datetime as dt

from django.core.files.base import ContentFile

from shouwang.policy import Rule, expect
from shouwang.workplan.models import Evidence, Milestone, ReportFile

from .objects import make


def make_objects(case) -> None:
    make(case)
    if getattr(case, "work_milestone", None) is not None:
        return
    case.work_milestone = Milestone.objects.create(
        measure=case.work_measure, title="提交申报书", due_on=dt.date(2022, 4, 15)
    )
    case.work_evidence = Evidence(measure=case.work_measure, name="批文.pdf")
    case.work_evidence.file.save("批文.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    case.work_report_file = ReportFile(report=case.work_report, name="进展.pdf")
    case.work_report_file.file.save("进展.pdf", ContentFile(b"%PDF-1.4 test"), save=True)


# A measure of the college's plan: its staff read it.
MEASURE = expect(200, student=404, volunteer=404)
# Its reports: owners and leaders.
REPORT = expect(404, counsellor_a=200, teacher=200, leader=200, admin=200)
# Owners, co-owners and leaders change it; other staff may only read it.
EDITS = expect(
    403, student=404, volunteer=404, teacher=200, counsellor_a=200, leader=200, admin=200
)
EDITS_DONE = expect(
    403, student=404, volunteer=404, teacher=302, counsellor_a=302, leader=302, admin=302
)
# The plan's leaders decide.
LEADS = expect(403, student=404, volunteer=404, leader=200, admin=200)
LEADS_DONE = expect(403, student=404, volunteer=404, leader=302, admin=302)
# Owners write the report, leaders score it; others do not see it.
WRITES_REPORT = expect(404, counsellor_a=200, teacher=200, leader=403, admin=403)
SCORES_REPORT = expect(404, counsellor_a=403, teacher=403, leader=200, admin=200)


def _milestone(case, persona):
    return [case.work_measure.pk, case.work_milestone.pk]


RULES = [
    Rule("workplan:measure_detail", MEASURE, target="work_measure"),
    Rule("workplan:measure_status", EDITS, method="post", target="work_measure"),
    Rule("workplan:milestone_new", EDITS, method="post", target="work_measure"),
    # The day left empty: done today.
    Rule("workplan:milestone_done", EDITS_DONE, method="post", target=_milestone),
    Rule("workplan:expenditure_new", EDITS, method="post", target="work_measure"),
    # The note is optional: reported complete.
    Rule("workplan:completion_report", EDITS_DONE, method="post", target="work_measure"),
    # Nothing reported complete, no decision chosen.
    Rule("workplan:completion_decide", LEADS, method="post", target="work_measure"),
    # An empty text takes the (absent) mark away.
    Rule("workplan:breakthrough", LEADS_DONE, method="post", target="work_measure"),
    Rule("workplan:evidence_download", MEASURE, target="work_evidence"),
    # The reports to write or score: staff and leaders; students never.
    Rule("workplan:report_list", expect(200, student=403, volunteer=403)),
    Rule("workplan:report_detail", REPORT, target="work_report"),
    Rule("workplan:report_write", WRITES_REPORT, method="post", target="work_report"),
    # The report is not submitted yet: refused with the reason.
    Rule("workplan:report_score", SCORES_REPORT, method="post", target="work_report"),
    Rule("workplan:report_file_download", REPORT, target="work_report_file"),
]
