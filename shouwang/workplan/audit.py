"""The kinds of audit event of the work plan. Each is recorded against the
measure it changed (or the plan, the review): a measure's entries are its history."""

from django.utils.translation import gettext_lazy as _

from shouwang.core import audit


class WorkplanEvent(audit.Kind):
    PLAN_SAVED = "workplan.plan_saved", _("saved a plan")
    OUTLINE_SAVED = "workplan.outline_saved", _("saved an area or key point")
    PLAN_IMPORTED = "workplan.plan_imported", _("committed a plan import")
    MEASURE_SAVED = "workplan.measure_saved", _("saved a measure")
    STATUS_SET = "workplan.status_set", _("set a measure's status")
    COMPLETION_REPORTED = "workplan.completion_reported", _("reported a measure complete")
    COMPLETION_DECIDED = "workplan.completion_decided", _("accepted or returned a measure")
    MILESTONE_SAVED = "workplan.milestone_saved", _("saved a milestone")
    EXPENDITURE_BOOKED = "workplan.expenditure_booked", _("booked an expenditure")
    BREAKTHROUGH_MARKED = "workplan.breakthrough_marked", _("marked a breakthrough")
    REPORT_SUBMITTED = "workplan.report_submitted", _("submitted a progress report")
    REPORT_SCORED = "workplan.report_scored", _("scored a progress report")
    REVIEW_SAVED = "workplan.review_saved", _("saved a review round")
    REVIEW_ASSIGNED = "workplan.review_assigned", _("assigned measures to review")
    REVIEW_SCORED = "workplan.review_scored", _("scored a measure in a review")
    REVIEW_PUBLISHED = "workplan.review_published", _("published a review's results")
    FROM_DECISION = "workplan.from_decision", _("made work of a meeting's decision")
    EXPORTED = "workplan.exported", audit.READ, _("exported the work plan")
