"""The kinds of message the work plan sends, registered with notify (see shouwang.notify.kinds)."""

from django.utils.translation import gettext_lazy as _

from shouwang.notify.kinds import register

# A progress report falls due in a few days, for the measure's owners.
REPORT_DUE = register("plan_report_due", _("progress report due"), opens_link=True)
# Reports past their date unwritten, for the plan's leaders.
REPORTS_OVERDUE = register("plan_reports_overdue", _("progress reports overdue"), opens_link=True)
# A leader scored a report, for the measure's owners.
REPORT_SCORED = register("plan_report_scored", _("progress report scored"), opens_link=True)
# A measure reported complete, for the plan's leaders to accept.
COMPLETION = register("plan_completion", _("measure reported complete"), opens_link=True)
# Measures to score in a review, for a reviewer.
REVIEW_ASSIGNED = register("plan_review", _("measures to review"), opens_link=True)
