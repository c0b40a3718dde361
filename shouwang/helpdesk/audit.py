"""The kinds of audit event of help requests."""

from django.utils.translation import gettext_lazy as _

from shouwang.core import audit


class HelpdeskEvent(audit.Kind):
    REQUEST_VIEWED = "helpdesk.request_viewed", audit.READ, _("opened a help request")
    ATTACHMENT_DOWNLOADED = (
        "helpdesk.attachment_downloaded",
        audit.READ,
        _("downloaded a help request's attachment"),
    )
    REQUEST_SUBMITTED = "helpdesk.request_submitted", _("submitted a help request")
    REQUEST_CLAIMED = "helpdesk.request_claimed", _("accepted a help request")
    NOTE_ADDED = "helpdesk.note_added", _("added an internal note to a help request")
    REPLY_SENT = "helpdesk.reply_sent", _("replied to a help request")
    STATUS_CHANGED = "helpdesk.status_changed", _("changed a help request's status")
    REQUEST_CONFIRMED = "helpdesk.request_confirmed", _("confirmed a help request solved")
    REQUEST_REOPENED = "helpdesk.request_reopened", _("reopened a help request")
    REQUEST_REASSIGNED = "helpdesk.request_reassigned", _("passed a help request on")
    TASK_ADDED = "helpdesk.task_added", _("added a task to a help request")
    TASK_DONE = "helpdesk.task_done", _("completed a help request's task")
