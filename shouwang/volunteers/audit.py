"""The kinds of audit event of volunteering: shifts, duty and community service."""

from django.utils.translation import gettext_lazy as _

from shouwang.core import audit


class VolunteerEvent(audit.Kind):
    SHIFT_ADDED = "volunteers.shift_added", _("added a shift")
    SIGNED_UP = "volunteers.signed_up", _("signed up for a shift")
    WITHDRAWN = "volunteers.withdrawn", _("withdrew from a shift")
    CHECKED_IN = "volunteers.checked_in", _("checked in for a shift")
    CHECKED_OUT = "volunteers.checked_out", _("checked out of a shift")
    DUTY_RECORDED = "volunteers.duty_recorded", _("recorded a duty day")
    SERVICE_REPORTED = "volunteers.service_reported", _("reported community service")
    SERVICE_REPORT_VIEWED = (
        "volunteers.service_report_viewed",
        audit.READ,
        _("opened a community service report"),
    )
    SERVICE_APPROVED = "volunteers.service_approved", _("approved a community service report")
    SERVICE_RETURNED = "volunteers.service_returned", _("returned a community service report")
