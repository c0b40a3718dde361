"""部署: the meetings held for the incident."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.incidents.models import Meeting

from ..figures import Scope, figure
from .links import link


@figure(
    "incident_meetings",
    _("meetings held for the incident"),
    population=_(
        "Meetings recorded for the chronicle's incident (none for a chronicle of a date range)."
    ),
    period=_("held in the period"),
    unit=pgettext_lazy("figure unit", "meetings"),
    list_url=lambda scope: (
        link("incidents:incident_detail", scope.incident.pk) if scope.incident else None
    ),
)
def incident_meetings(scope: Scope) -> int:
    if scope.incident is None:
        return 0
    return Meeting.objects.filter(scope.during("held_at"), incident=scope.incident).count()
