"""The kinds of audit event of leave, each recorded against the request,
kind or post it changed."""

from django.utils.translation import gettext_lazy as _

from shouwang.core import audit


class LeaveEvent(audit.Kind):
    KIND_SAVED = "leave.kind_saved", _("saved a kind of leave and its approval chain")
    POST_HOLDER_SAVED = "leave.post_holder_saved", _("named the holder of a post")
    POST_ADDED = "leave.post_added", _("added a post that approves leave")
    SUBMITTED = "leave.submitted", _("asked for leave")
    RESUBMITTED = "leave.resubmitted", _("sent a returned request again")
    WITHDRAWN = "leave.withdrawn", _("withdrew a request for leave")
    DECIDED = "leave.decided", _("decided a request for leave")
    REMINDED = "leave.reminded", _("reminded an approver of a waiting request")
    ESCALATED = "leave.escalated", _("told the leaders of a request left waiting")
    GATE_PASSED = "leave.gate_passed", _("recorded a leave's exit or return at the gate")
    BACK_REPORTED = "leave.back_reported", _("reported back from leave")
    BACK_CONFIRMED = "leave.back_confirmed", _("confirmed a return from leave")
    ATTACHMENT_READ = "leave.attachment_read", audit.READ, _("read a leave request's attachment")
    PASS_SCANNED = "leave.pass_scanned", audit.READ, _("scanned a leave pass")
    OVERDUE_LISTED = (
        "leave.overdue_listed",
        audit.READ,
        _("read the list of those not back from leave"),
    )
