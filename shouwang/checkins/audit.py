"""The check-in's kinds of audit event."""

from django.utils.translation import gettext_lazy as _

from shouwang.core import audit


class CheckinEvent(audit.Kind):
    SUBMITTED = "checkins.submitted", _("submitted a check-in")
    PRIVACY_ACCEPTED = "checkins.privacy_accepted", _("accepted the privacy notice")
    REMINDED = "checkins.reminded", _("reminded those who had not checked in")
    DETAILS_PURGED = "checkins.details_purged", _("purged a closed incident's check-in details")
