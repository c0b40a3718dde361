"""The kinds of audit event of incidents and their response plans."""

from django.utils.translation import gettext_lazy as _

from shouwang.core import audit


class IncidentEvent(audit.Kind):
    OPENED = "incidents.opened", _("opened an incident")
    REGIME_CHANGED = "incidents.regime_changed", _("changed an incident's check-in rules")
    CLOSED = "incidents.closed", _("closed an incident")
    TASK_ADDED = "incidents.task_added", _("added a plan task")
    TASK_ASSIGNED = "incidents.task_assigned", _("assigned a plan task")
    TASK_DONE = "incidents.task_done", _("completed a plan task")
    MEETING_RECORDED = "incidents.meeting_recorded", _("recorded a meeting")
