"""A student's readiness problem turned into a help request by their counsellor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from shouwang.helpdesk import actions as helpdesk
from shouwang.helpdesk.models import HelpRequest

from .models import Readiness

if TYPE_CHECKING:
    from shouwang.accounts.models import User


def describe(readiness: Readiness) -> str:
    problems = [
        str(text)
        for flag, text in (
            (readiness.no_device, _("no device to attend online lessons on")),
            (readiness.poor_network, _("a network too poor for online lessons")),
        )
        if flag
    ]
    return "; ".join(part for part in ("、".join(problems), readiness.note) if part)


@transaction.atomic
def open_help_request(readiness: Readiness, *, acting_user: User) -> tuple[HelpRequest, bool]:
    """A help request for the student, opened on their behalf (routed to their
    counsellor, as their own would be); opened once however often it is asked
    for. Returns it, and whether it is new."""
    readiness = Readiness.objects.select_for_update().select_related("person").get(pk=readiness.pk)
    if readiness.help_request_id is not None:
        return readiness.help_request, False  # type: ignore[return-value]
    readiness.help_request = helpdesk.submit(
        requester=readiness.person,
        category=HelpRequest.Category.STUDY,
        urgency=HelpRequest.Urgency.NORMAL,
        description=describe(readiness),
        source=f"readiness:{readiness.pk}",
        acting_user=acting_user,
    )
    readiness.save(update_fields=["help_request"])
    return readiness.help_request, True
