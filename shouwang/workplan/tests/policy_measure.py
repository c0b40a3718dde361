"""A measure and its progress reports.

Staff of the college read a measure's outline and status; its budget detail
and reports are for its owner (the teacher persona), its co-owner
(counsellor_a), the plan's leaders and its reviewers."""

from shouwang.policy import Rule, expect

from .objects import make as make_objects  # noqa: F401  (the matrix calls it)

# A measure of the college's plan: its staff read it.
MEASURE = expect(200, student=404, volunteer=404)
# Its reports: owners and leaders.
REPORT = expect(404, counsellor_a=200, teacher=200, leader=200, admin=200)

RULES = [
    Rule("workplan:measure_detail", MEASURE, target="work_measure"),
    Rule("workplan:report_detail", REPORT, target="work_report"),
]
