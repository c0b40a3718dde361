"""Help-request workflows: submit and route, take, reply, change status,
confirm or reopen, reassign, split into tasks, alert on time limits and close
unconfirmed resolutions.

Each is atomic, audited and leaves a `HelpRequestEvent` in the request's history. Taking
a request and the requester's confirmation are conditional UPDATEs, so that of
two people tapping at once exactly one wins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from shouwang.accounts.models import Role, people_with_role
from shouwang.core import audit
from shouwang.lib import clock
from shouwang.notify.actions import deliver, send
from shouwang.notify.models import Message
from shouwang.people.access import LeaderReach
from shouwang.people.models import Person

from .audit import HelpdeskEvent
from .message_kinds import HELP
from .models import HelpRequest, HelpRequestAttachment, HelpRequestEvent, HelpRequestTask, UnitDesk

if TYPE_CHECKING:
    from shouwang.accounts.models import User
    from shouwang.bulletin.models import Letter

S = HelpRequest.Status


class HelpdeskError(Exception):
    pass


class AlreadyTaken(HelpdeskError):
    pass


class WrongStatus(HelpdeskError):
    pass


def route(person: Person) -> Person | None:
    """The owner of a new request: a student's class counsellor; for staff,
    the desk of their unit (or of a unit above it); else the first leader
    who reaches them."""
    admin_class = person.admin_class
    if admin_class is not None and admin_class.counsellor_id:
        return admin_class.counsellor
    unit = person.unit
    while unit is not None:
        desk = UnitDesk.objects.filter(unit=unit).select_related("handler").first()
        if desk:
            return desk.handler
        unit = unit.parent
    heads = LeaderReach().over_person(person)
    return heads[0] if heads else None


def _link(help_request: HelpRequest) -> str:
    return reverse("helpdesk:request_detail", args=[help_request.pk])


def _tell(person: Person | None, title: str, help_request: HelpRequest) -> None:
    if person is None:
        return
    transaction.on_commit(lambda: send([person], HELP, title, link=_link(help_request)))


def similar_open(person: Person, category: str) -> list[HelpRequest]:
    """The person's open requests of the same category, shown before they submit another."""
    return list(
        HelpRequest.objects.filter(
            requester=person, category=category, status__in=HelpRequest.OPEN
        ).order_by("-created_at")
    )


@transaction.atomic
def submit(
    *,
    requester: Person,
    category: str,
    urgency: str,
    description: str,
    files: Iterable[UploadedFile] = (),
    source: str = "",
    acting_user: User,
) -> HelpRequest:
    """Record a request, route it to its owner and tell them.

    Raises ValidationError, storing nothing, for an unreadable image or files
    past the sender's quota."""
    handler = route(requester)
    help_request = HelpRequest.objects.create(
        requester=requester,
        category=category,
        urgency=urgency,
        description=description,
        handler=handler,
        source=source,
        created_at=clock.now(),
    )
    HelpRequestAttachment.store(files, uploaded_by=acting_user, request=help_request)
    actor = acting_user.person
    HelpRequestEvent.objects.create(
        request=help_request, kind=HelpRequestEvent.Kind.SUBMITTED, actor=actor
    )
    if handler:
        HelpRequestEvent.objects.create(
            request=help_request, kind=HelpRequestEvent.Kind.ASSIGNED, text=handler.name, actor=None
        )
    audit.record(HelpdeskEvent.REQUEST_SUBMITTED, help_request, acting_user=acting_user)
    _tell(handler, _("A new help request is yours to handle"), help_request)
    if help_request.is_sensitive:
        for supporter in people_with_role(Role.PSYCH_SUPPORT):
            if supporter != handler:
                _tell(supporter, _("A new psychological help request"), help_request)
    return help_request


@transaction.atomic
def claim(help_request: HelpRequest, *, acting_user: User) -> HelpRequest:
    """Take a submitted request: it becomes the taker's, accepted; a first response."""
    now = clock.now()
    person = acting_user.person
    changed = HelpRequest.objects.filter(
        pk=help_request.pk, status__in=(S.SUBMITTED, S.REOPENED)
    ).update(status=S.ACCEPTED, handler=person)
    if changed != 1:
        raise AlreadyTaken
    HelpRequest.objects.filter(pk=help_request.pk, first_response_at__isnull=True).update(
        first_response_at=now
    )
    help_request.refresh_from_db()
    HelpRequestEvent.objects.create(
        request=help_request, kind=HelpRequestEvent.Kind.CLAIMED, actor=person, at=now
    )
    audit.record(HelpdeskEvent.REQUEST_CLAIMED, help_request, acting_user=acting_user)
    _tell(help_request.requester, _("Your help request has been accepted"), help_request)
    return help_request


@transaction.atomic
def reply(
    help_request: HelpRequest, text: str, *, internal: bool, acting_user: User
) -> HelpRequestEvent:
    """A reply the requester sees, or an internal note for staff only."""
    now = clock.now()
    person = acting_user.person
    event = HelpRequestEvent.objects.create(
        request=help_request,
        kind=HelpRequestEvent.Kind.NOTE if internal else HelpRequestEvent.Kind.REPLY,
        actor=person,
        at=now,
        text=text,
        internal=internal,
    )
    mine = help_request.requester_id == getattr(person, "pk", None)
    if not internal and not mine:
        HelpRequest.objects.filter(pk=help_request.pk, first_response_at__isnull=True).update(
            first_response_at=now
        )
        _tell(help_request.requester, _("A reply to your help request"), help_request)
    elif mine:
        _tell(help_request.handler, _("The requester added to their help request"), help_request)
    audit.record(
        HelpdeskEvent.NOTE_ADDED if internal else HelpdeskEvent.REPLY_SENT,
        help_request,
        acting_user=acting_user,
    )
    return event


# Which statuses a handler may move a request to, from which.
HANDLER_MOVES = {
    S.IN_PROGRESS: (S.ACCEPTED, S.REOPENED),
    S.RESOLVED: (S.ACCEPTED, S.IN_PROGRESS, S.REOPENED),
}


@transaction.atomic
def change_status(
    help_request: HelpRequest, status: str, text: str = "", *, acting_user: User
) -> HelpRequest:
    """Move a request on (in progress, resolved); a resolution asks the requester to confirm."""
    now = clock.now()
    fields: dict = {"status": status}
    if status == S.RESOLVED:
        fields["resolved_at"] = now
    changed = HelpRequest.objects.filter(
        pk=help_request.pk, status__in=HANDLER_MOVES[S(status)]
    ).update(**fields)
    if changed != 1:
        raise WrongStatus
    HelpRequest.objects.filter(pk=help_request.pk, first_response_at__isnull=True).update(
        first_response_at=now
    )
    help_request.refresh_from_db()
    HelpRequestEvent.objects.create(
        request=help_request,
        kind=HelpRequestEvent.Kind.STATUS,
        actor=acting_user.person,
        at=now,
        text=f"{help_request.get_status_display()}{'：' + text if text else ''}",
    )
    audit.record(HelpdeskEvent.STATUS_CHANGED, help_request, acting_user=acting_user, status=status)
    if status == S.RESOLVED:
        _tell(
            help_request.requester,
            _("Your help request is resolved: please confirm or reopen it"),
            help_request,
        )
    return help_request


@transaction.atomic
def confirm(help_request: HelpRequest, *, acting_user: User) -> HelpRequest:
    """The requester agrees it is solved."""
    now = clock.now()
    changed = HelpRequest.objects.filter(pk=help_request.pk, status=S.RESOLVED).update(
        status=S.CONFIRMED, closed_at=now
    )
    if changed != 1:
        raise WrongStatus
    help_request.refresh_from_db()
    HelpRequestEvent.objects.create(
        request=help_request, kind=HelpRequestEvent.Kind.CONFIRMED, actor=acting_user.person, at=now
    )
    audit.record(HelpdeskEvent.REQUEST_CONFIRMED, help_request, acting_user=acting_user)
    return help_request


@transaction.atomic
def reopen(help_request: HelpRequest, text: str, *, acting_user: User) -> HelpRequest:
    """The requester says it is not solved: back to its handler."""
    now = clock.now()
    changed = HelpRequest.objects.filter(pk=help_request.pk, status=S.RESOLVED).update(
        status=S.REOPENED, resolved_at=None
    )
    if changed != 1:
        raise WrongStatus
    help_request.refresh_from_db()
    HelpRequestEvent.objects.create(
        request=help_request,
        kind=HelpRequestEvent.Kind.REOPENED,
        actor=acting_user.person,
        at=now,
        text=text,
    )
    audit.record(HelpdeskEvent.REQUEST_REOPENED, help_request, acting_user=acting_user)
    _tell(help_request.handler, _("A help request was reopened"), help_request)
    return help_request


@transaction.atomic
def reassign(
    help_request: HelpRequest, handler: Person, text: str = "", *, acting_user: User
) -> HelpRequest:
    """Give an open request to another handler (or escalate it to a leader)."""
    if not help_request.is_open:
        raise WrongStatus
    HelpRequest.objects.filter(pk=help_request.pk).update(handler=handler)
    help_request.handler = handler
    HelpRequestEvent.objects.create(
        request=help_request,
        kind=HelpRequestEvent.Kind.ASSIGNED,
        actor=acting_user.person,
        text=f"{handler.name}{'：' + text if text else ''}",
    )
    audit.record(
        HelpdeskEvent.REQUEST_REASSIGNED, help_request, acting_user=acting_user, handler=handler.pk
    )
    _tell(handler, _("A help request was passed to you"), help_request)
    return help_request


@transaction.atomic
def add_task(
    help_request: HelpRequest, *, assignee: Person, what: str, where: str, acting_user: User
) -> HelpRequestTask:
    """Split off a piece of work for someone else, who sees only what and where."""
    task = HelpRequestTask.objects.create(
        request=help_request, assignee=assignee, what=what, where=where
    )
    HelpRequestEvent.objects.create(
        request=help_request,
        kind=HelpRequestEvent.Kind.TASK,
        actor=acting_user.person,
        text=f"{assignee.name}：{what}",
        internal=True,
    )
    audit.record(HelpdeskEvent.TASK_ADDED, help_request, acting_user=acting_user, task=task.pk)
    link = reverse("helpdesk:task_detail", args=[task.pk])
    transaction.on_commit(lambda: send([assignee], HELP, _("A task for you: %s") % what, link=link))
    return task


@transaction.atomic
def finish_task(task: HelpRequestTask, *, acting_user: User) -> HelpRequestTask:
    now = clock.now()
    if not HelpRequestTask.objects.filter(pk=task.pk, done_at__isnull=True).update(done_at=now):
        raise WrongStatus
    task.done_at = now
    HelpRequestEvent.objects.create(
        request_id=task.request_id,
        kind=HelpRequestEvent.Kind.TASK,
        actor=acting_user.person,
        at=now,
        text=_("done: %s") % task.what,
        internal=True,
    )
    audit.record(HelpdeskEvent.TASK_DONE, task, acting_user=acting_user)
    return task


def alert_overdue(now: dt.datetime) -> int:
    """Tell each open request's handler once per time limit it passes, and the
    leaders who reach the requester once when it is past the limit by as long
    again. Returns messages sent."""
    messages: list[Message] = []
    reach = LeaderReach()
    events: list[HelpRequestEvent] = []
    for help_request in HelpRequest.objects.filter(status__in=HelpRequest.OPEN).select_related(
        "handler", "requester__admin_class"
    ):
        heads = reach.over_person(help_request.requester)
        response, resolution = help_request.limits()
        passed = []
        if help_request.first_response_at is None and now > help_request.respond_by:
            passed.append(("response", help_request.respond_by, response))
        if now > help_request.resolve_by:
            passed.append(("resolution", help_request.resolve_by, resolution))
        link = _link(help_request)
        for limit, due, span in passed:
            title = (
                _("Help request #%(pk)s has had no response in time")
                if limit == "response"
                else _("Help request #%(pk)s is not resolved in time")
            ) % {"pk": help_request.pk}
            if help_request.handler_id:
                messages.append(
                    Message(
                        recipient_id=help_request.handler_id,
                        kind=HELP,
                        title=title,
                        link=link,
                        key=f"help:{help_request.pk}:{limit}:handler:{help_request.handler_id}",
                        created_at=now,
                    )
                )
            if now > due + span or not help_request.handler_id:
                messages.extend(
                    Message(
                        recipient_id=head.pk,
                        kind=HELP,
                        title=title,
                        link=link,
                        key=f"help:{help_request.pk}:{limit}:leaders:{head.pk}",
                        created_at=now,
                    )
                    for head in heads
                )
            events.append(
                HelpRequestEvent(
                    request=help_request, kind=HelpRequestEvent.Kind.ALERT, at=now, text=limit
                )
            )
    sent = deliver(messages)
    if sent:
        # One alert line per request and limit in the history, the first time only.
        seen = set(
            HelpRequestEvent.objects.filter(
                kind=HelpRequestEvent.Kind.ALERT, request__status__in=HelpRequest.OPEN
            ).values_list("request_id", "text")
        )
        HelpRequestEvent.objects.bulk_create(
            e for e in events if (e.request_id, e.text) not in seen
        )
    return sent


@transaction.atomic
def close_unconfirmed(now: dt.datetime) -> int:
    """Close resolutions the requester has neither confirmed nor reopened in time."""
    cutoff = now - dt.timedelta(days=settings.HELPDESK_CONFIRM_DAYS)
    stale = list(
        HelpRequest.objects.filter(status=S.RESOLVED, resolved_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    closed = HelpRequest.objects.filter(pk__in=stale, status=S.RESOLVED).update(
        status=S.CLOSED, closed_at=now
    )
    HelpRequestEvent.objects.bulk_create(
        HelpRequestEvent(
            request_id=pk,
            kind=HelpRequestEvent.Kind.CLOSED,
            at=now,
            text=_("closed after %(days)d days without confirmation")
            % {"days": settings.HELPDESK_CONFIRM_DAYS},
        )
        for pk in stale
    )
    return closed


def from_letter(
    letter: Letter, *, category: str, urgency: str, requester: Person | None, acting_user: User
) -> HelpRequest:
    """A public mailbox's letter as a help request: for its writer if the reader
    knows who they are, else for the reader on the writer's behalf."""
    parts = [letter.subject, letter.body]
    if letter.name or letter.contact:
        parts.append(f"{letter.name} {letter.contact}".strip())
    return submit(
        # The reader acts as a person (may_turn_into_request).
        requester=requester or acting_user.person,  # type: ignore[arg-type]
        category=category,
        urgency=urgency,
        description="\n".join(parts),
        source=f"letter:{letter.code}",
        acting_user=acting_user,
    )
