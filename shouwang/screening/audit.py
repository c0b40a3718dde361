"""Screening's kinds of audit event."""

from django.utils.translation import gettext_lazy as _

from shouwang.core import audit


class ScreeningEvent(audit.Kind):
    FLAG_VIEWED = "screening.flag_viewed", audit.READ, _("opened a flag")
    TIMELINE_VIEWED = "screening.timeline_viewed", audit.READ, _("opened a person's timeline")
    FLAG_ACTION = "screening.flag_action", _("acted on a flag")
    RISKY_REGION_MARKED = "screening.risky_region_marked", _("marked a risky region")
    RISKY_REGION_UNMARKED = "screening.risky_region_unmarked", _("unmarked a risky region")
