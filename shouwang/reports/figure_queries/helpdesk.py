"""帮扶: the help requests of the college's people, received and solved."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.helpdesk.models import HelpRequest

from ..figures import Scope, figure
from .links import link


def _overview(scope: Scope) -> str:
    return link("helpdesk:overview")


@figure(
    "help_requests_received",
    _("help requests received"),
    population=_("Help requests submitted by people of the college (or on their behalf)."),
    period=_("submitted in the period"),
    unit=pgettext_lazy("figure unit", "requests"),
    list_url=_overview,
)
def help_requests_received(scope: Scope) -> int:
    return HelpRequest.objects.filter(
        scope.people_q("requester__"), scope.during("created_at")
    ).count()


@figure(
    "help_requests_solved",
    _("help requests solved"),
    population=_(
        "Help requests of people of the college marked resolved and not reopened since "
        "(resolved, confirmed by the requester, or closed without their confirmation)."
    ),
    period=_("resolved in the period"),
    unit=pgettext_lazy("figure unit", "requests"),
    list_url=_overview,
)
def help_requests_solved(scope: Scope) -> int:
    S = HelpRequest.Status
    return HelpRequest.objects.filter(
        scope.people_q("requester__"),
        scope.during("resolved_at"),
        status__in=[S.RESOLVED, S.CONFIRMED, S.CLOSED],
    ).count()
