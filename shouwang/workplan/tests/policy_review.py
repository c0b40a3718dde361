"""The year-end review: the plan's leaders run it, its panel (the supervisor
persona) scores in it; once published, the owners of the plan's measures (the
teacher persona, counsellor_a as co-owner) read their results; nobody else
finds it."""

from __future__ import annotations

import datetime as dt

from shouwang.lib import clock
from shouwang.people.models import Unit
from shouwang.policy import Rule, expect
from shouwang.workplan import reviews
from shouwang.workplan.models import Measure, Review

from .base import make_measure
from .objects import make


def make_objects(case) -> None:
    """The matrix's review gets the college's criteria and the supervisor a
    measure of the teaching office to score (the college's own measures are
    the supervisor's unit's); a second round of the plan is published."""
    make(case)
    if getattr(case, "review_assignment", None) is not None:
        return
    office = Unit.objects.create(name="教务办", kind=Unit.Kind.OFFICE, parent=case.college)
    case.review_measure = make_measure(case, case.work_measure.key_point, "推进课程思政建设")
    Measure.objects.filter(pk=case.review_measure.pk).update(owner_unit=office)
    case.review_measure.owner_unit = office
    reviews.set_criteria(case.work_review, reviews.default_criteria(), acting_user=case.leader)
    case.review_assignment = reviews.assign(
        case.work_review, case.supervisor_person, case.review_measure, acting_user=case.leader
    )
    case.published_review = Review.objects.create(
        plan=case.work_plan,
        title="2022年度重点工作评比（复评）",
        closes_on=dt.date(2022, 12, 31),
        published_at=clock.now(),
    )
    case.published_review.panel.set([case.supervisor_person])
    reviews.set_criteria(case.published_review, reviews.default_criteria(), acting_user=case.leader)


REVIEW = expect(404, leader=200, admin=200, supervisor=200)
# The pages that run a review: its plan's leaders; its panel may not.
LED = expect(404, leader=200, admin=200, supervisor=403)
LED_ACTS = expect(404, leader=302, admin=302, supervisor=403)
# A plan's reviews: whoever reads the plan finds the rounds they may open.
PLAN_READERS = expect(200, student=404, volunteer=404)
CREATE = expect(403, student=404, volunteer=404, leader=200, admin=200)
# Unpublished results: the leaders; the panel may not; the owners do not find them.
RESULTS = LED
PUBLISHED_RESULTS = expect(
    404, leader=200, admin=200, supervisor=200, teacher=200, counsellor_a=200
)
# The score sheet: its reviewer and the leaders; nobody else finds it. The
# matrix's review closed at the end of 2022: its reviewer may no longer post.
SHEET = expect(404, leader=200, admin=200, supervisor=200)
SHEET_POST = expect(404, leader=403, admin=403, supervisor=403)

RULES = [
    Rule("workplan:review_detail", REVIEW, target="work_review"),
    Rule("workplan:review_list", PLAN_READERS, target="work_plan"),
    Rule("workplan:review_create", CREATE, target="work_plan"),
    Rule("workplan:my_reviews", expect(200, student=403, volunteer=403)),
    Rule("workplan:review_edit", LED, target="work_review"),
    Rule("workplan:review_criteria", LED, target="work_review"),
    Rule("workplan:review_panel", LED, target="work_review"),
    Rule("workplan:review_assign", LED, target="work_review"),
    Rule(
        "workplan:review_assign",
        LED_ACTS,
        method="post",
        data={"action": "all"},
        target="work_review",
    ),
    Rule("workplan:review_publish", LED_ACTS, method="post", target="work_review"),
    Rule("workplan:review_results", RESULTS, target="work_review"),
    Rule("workplan:review_results", PUBLISHED_RESULTS, target="published_review"),
    Rule("workplan:review_summary_docx", LED, target="work_review"),
    Rule("workplan:review_summary_xlsx", LED, target="work_review"),
    Rule("workplan:assignment_detail", SHEET, target="review_assignment"),
    Rule("workplan:assignment_detail", SHEET_POST, method="post", target="review_assignment"),
]
