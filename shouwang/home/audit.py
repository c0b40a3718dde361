"""The home pages' kinds of audit event."""

from django.utils.translation import gettext_lazy as _

from shouwang.core import audit


class HomeEvent(audit.Kind):
    MORNING_VIEWED = (
        "home.morning_viewed",
        audit.READ,
        _("opened the morning page of their classes (who is missing, abnormal, isolated)"),
    )
