"""The kinds of audit event of the check-in, its screening and its compliance counts."""

from django.utils.translation import gettext_lazy as _

from shouwang.core import audit


class CheckinEvent(audit.Kind):
    SUBMITTED = "checkins.submitted", _("submitted a check-in")
    PRIVACY_ACCEPTED = "checkins.privacy_accepted", _("accepted the privacy notice")
    DETAILS_PURGED = "checkins.details_purged", _("purged a closed incident's check-in details")


class ScreeningEvent(audit.Kind):
    FLAG_VIEWED = "screening.flag_viewed", audit.READ, _("opened a flag")
    TIMELINE_VIEWED = "screening.timeline_viewed", audit.READ, _("opened a person's timeline")
    FLAG_ACTION = "screening.flag_action", _("acted on a flag")
    RISKY_REGION_MARKED = "screening.risky_region_marked", _("marked a risky region")
    RISKY_REGION_UNMARKED = "screening.risky_region_unmarked", _("unmarked a risky region")


class ComplianceEvent(audit.Kind):
    MISSING_LIST_VIEWED = (
        "compliance.missing_list_viewed",
        audit.READ,
        _("opened the list of those who did not check in"),
    )
    MISSING_LIST_EXPORTED = (
        "compliance.missing_list_exported",
        audit.READ,
        _("exported the list of those who did not check in"),
    )
