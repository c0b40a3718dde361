"""Compliance's kinds of audit event."""

from django.utils.translation import gettext_lazy as _

from shouwang.core import audit


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
