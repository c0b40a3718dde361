"""Nothing waits forever: an approver who has not decided within the kind's
limit is reminded once; as long again, and the leaders over the requester
are told once, and may decide it themselves (`access.may_decide`).

Each is claimed by a conditional update of its request, and each message
carries a key naming the request and the moment its step began: a second run,
or two schedulers at once, sends nothing twice; a request sent on to its
next step is reminded afresh there."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from shouwang.core import audit
from shouwang.notify.actions import send
from shouwang.people.access import LeaderReach

from .audit import LeaveEvent
from .message_kinds import LEAVE
from .models import LeaveKind, LeaveRequest, LeaveStep


def remind_and_escalate(now: dt.datetime) -> dict[str, int]:
    """Remind the approvers and tell the leaders whose time has come; returns
    how many requests were reminded and escalated."""
    counts = {"reminded": 0, "escalated": 0}
    reach: LeaderReach | None = None
    with translation.override(settings.LANGUAGE_CODE):
        for kind in LeaveKind.objects.all():
            pending = LeaveRequest.objects.filter(
                kind=kind, status=LeaveRequest.Status.PENDING
            ).select_related("person__admin_class", "kind", "approver")
            due = pending.filter(
                reminded_at__isnull=True,
                approver__isnull=False,
                waiting_since__lte=now - kind.decide_within,
            )
            for leave in due:
                counts["reminded"] += _remind(leave, now)
            late = pending.filter(
                escalated_at__isnull=True, waiting_since__lte=now - 2 * kind.decide_within
            )
            for leave in late:
                reach = reach or LeaderReach()
                counts["escalated"] += _escalate(leave, reach, now)
    return counts


def _key(leave: LeaveRequest, what: str) -> str:
    since = leave.waiting_since.timestamp() if leave.waiting_since else 0
    return f"leave:{what}:{leave.pk}:{since:.0f}:"


@transaction.atomic
def _remind(leave: LeaveRequest, now: dt.datetime) -> int:
    claimed = LeaveRequest.objects.filter(
        pk=leave.pk,
        status=LeaveRequest.Status.PENDING,
        waiting_since=leave.waiting_since,
        reminded_at__isnull=True,
    ).update(reminded_at=now)
    if not claimed or leave.approver is None:
        return 0
    LeaveStep.objects.create(
        request=leave, event=LeaveStep.Event.REMINDED, at=now, step_id=leave.step_id
    )
    prefix = _key(leave, "reminded")
    send(
        [leave.approver],
        LEAVE,
        _("Leave waiting for your decision: %(name)s, %(kind)s")
        % {"name": leave.person.name, "kind": leave.kind.name},
        link=leave.get_absolute_url(),
        key_for=lambda person: f"{prefix}{person.pk}",
    )
    audit.record(LeaveEvent.REMINDED, leave, acting_user=None, approver=leave.approver.number)
    return 1


@transaction.atomic
def _escalate(leave: LeaveRequest, reach: LeaderReach, now: dt.datetime) -> int:
    claimed = LeaveRequest.objects.filter(
        pk=leave.pk,
        status=LeaveRequest.Status.PENDING,
        waiting_since=leave.waiting_since,
        escalated_at__isnull=True,
    ).update(escalated_at=now)
    if not claimed:
        return 0
    leaders = [p for p in reach.over_person(leave.person) if p.pk != leave.person_id]
    LeaveStep.objects.create(
        request=leave, event=LeaveStep.Event.ESCALATED, at=now, step_id=leave.step_id
    )
    prefix = _key(leave, "escalated")
    send(
        leaders,
        LEAVE,
        _("Leave left waiting, you may decide it: %(name)s, %(kind)s")
        % {"name": leave.person.name, "kind": leave.kind.name},
        link=leave.get_absolute_url(),
        key_for=lambda person: f"{prefix}{person.pk}",
    )
    audit.record(LeaveEvent.ESCALATED, leave, acting_user=None, leaders=len(leaders))
    return 1
