"""Asking for leave and deciding it, step by step along the kind's chain.

A request waits on one approver at a time. Each step of the chain that
applies to the request (`ChainStep.applies_to`) is passed in order: an
approval moves the request to the next applicable step, or approves it at the
last; a rejection ends it; a return sends it back to the requester, who
changes it and sends it again from the first step. A step whose approver
cannot be found (no counsellor, nobody in the post) waits on nobody, and the
leaders over the requester decide it; a step whose approver is the requester
is passed over, as no one approves their own leave.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shouwang.accounts.models import User
from shouwang.core import audit
from shouwang.lib import clock
from shouwang.notify.actions import send
from shouwang.people.models import Person, Unit

from .audit import LeaveEvent
from .message_kinds import LEAVE
from .models import (
    ChainStep,
    LeaveAttachment,
    LeaveKind,
    LeaveRequest,
    LeaveStep,
    Post,
    PostHolder,
)


@transaction.atomic
def save_kind(kind: LeaveKind, steps: Sequence[ChainStep], *, acting_user: User) -> LeaveKind:
    """Store a kind of leave with its whole chain, `steps` in order (their
    kind and position are set here). A step keeps its row at its position, so
    a request waiting at it stays there; one waiting at a step removed goes on
    from the first step of the new chain when next decided (more approvals,
    never fewer)."""
    if not steps:
        raise ValidationError(_("A kind of leave needs at least one approval step."))
    kind.full_clean()
    kind.save()
    existing = {step.position: step for step in kind.steps.all()}
    fields = ["approver", "post", "person", "over_working_days", "outside_city"]
    for position, step in enumerate(steps, start=1):
        row = existing.pop(position, None) or ChainStep(kind=kind, position=position)
        for name in fields:
            setattr(row, name, getattr(step, name))
        row.full_clean()
        row.save()
    ChainStep.objects.filter(pk__in=[step.pk for step in existing.values()]).delete()
    audit.record(LeaveEvent.KIND_SAVED, kind, acting_user=acting_user, steps=len(steps))
    return kind


@transaction.atomic
def add_post(post: Post, *, acting_user: User) -> Post:
    """A post a chain's step may name; its holders are then named per unit."""
    post.full_clean()
    post.save()
    audit.record(LeaveEvent.POST_ADDED, post, acting_user=acting_user, name=post.name)
    return post


@transaction.atomic
def hold_post(post: Post, unit: Unit, person: Person | None, *, acting_user: User) -> None:
    """Name who holds `post` in `unit` (None: nobody). Requests already waiting
    on the former holder stay with them until decided or escalated."""
    if person is None:
        PostHolder.objects.filter(post=post, unit=unit).delete()
    else:
        PostHolder.objects.update_or_create(post=post, unit=unit, defaults={"person": person})
    audit.record(
        LeaveEvent.POST_HOLDER_SAVED,
        post,
        acting_user=acting_user,
        unit=unit.name,
        person=person.number if person else "",
    )


def applicable_steps(leave: LeaveRequest) -> list[ChainStep]:
    steps = leave.kind.steps.select_related("post", "person").order_by("position")
    return [step for step in steps if step.applies_to(leave)]


def person_unit_id(person: Person) -> int | None:
    """A person's unit: their own, or their class's (see people.models.in_units_q)."""
    if person.unit_id:
        return person.unit_id
    return person.admin_class.unit_id if person.admin_class_id and person.admin_class else None


def approver_for(step: ChainStep, person: Person) -> Person | None:
    """Who decides `step` for `person`'s request; None if nobody holds it."""
    if step.approver == ChainStep.Approver.PERSON:
        return step.person
    if step.approver == ChainStep.Approver.COUNSELLOR:
        admin_class = person.admin_class
        return admin_class.counsellor if admin_class else None
    unit_id = person_unit_id(person)
    if unit_id is None or step.post_id is None:
        return None
    # The nearest holder of the post: the requester's unit first, then up.
    parents = Unit.parents()
    holders = {
        holder.unit_id: holder.person
        for holder in PostHolder.objects.filter(post_id=step.post_id).select_related("person")
    }
    current: int | None = unit_id
    seen: set[int] = set()
    while current is not None and current not in seen:
        if current in holders:
            return holders[current]
        seen.add(current)
        current = parents.get(current)
    return None


def _enter(leave: LeaveRequest, steps: Sequence[ChainStep], now: dt.datetime) -> None:
    """Put the request at the first of `steps` someone other than the requester
    decides, or approve it when there is none left."""
    for step in steps:
        approver = approver_for(step, leave.person)
        if approver is not None and approver.pk == leave.person_id:
            continue
        leave.status = LeaveRequest.Status.PENDING
        leave.step, leave.approver = step, approver
        leave.waiting_since, leave.reminded_at, leave.escalated_at = now, None, None
        if approver is not None:
            _tell(
                [approver],
                _("Leave to decide: %(name)s, %(kind)s") % _names(leave),
                leave,
            )
        return
    leave.step, leave.approver, leave.waiting_since = None, None, None
    leave.status = LeaveRequest.Status.APPROVED
    leave.decided_at = now
    if leave.amends_id:
        _apply_change(leave, now)
    _tell([leave.person], _("Your leave is approved: %(kind)s") % _names(leave), leave)


def _names(leave: LeaveRequest) -> dict[str, str]:
    return {"name": leave.person.name, "kind": leave.kind.name}


def _tell(people: Iterable[Person], title: str, leave: LeaveRequest) -> None:
    send(people, LEAVE, title, link=leave.get_absolute_url())


def _apply_change(change: LeaveRequest, now: dt.datetime) -> None:
    """An approved change takes effect on the leave it amends."""
    leave = change.amends
    if leave is None:
        raise ValueError("not a change of a leave")
    if change.change == LeaveRequest.Change.EXTEND:
        leave.ends_at = change.ends_at
        leave.overdue_told_at = leave.leaders_told_at = None
        note = _("extended until %(end)s") % {"end": f"{change.local_end:%Y-%m-%d %H:%M}"}
    else:
        leave.status = LeaveRequest.Status.CANCELLED
        note = _("cancelled")
    leave.save(update_fields=["ends_at", "status", "overdue_told_at", "leaders_told_at"])
    LeaveStep.objects.create(
        request=leave, event=LeaveStep.Event.CHANGED, at=now, by=change.person, note=note
    )


def check_request(leave: LeaveRequest, files: Sequence) -> None:
    """What a form cannot see alone: the kind is offered to the requester, its
    destination and document are given, an extension ends later."""
    errors: dict[str, str] = {}
    if not leave.kind.active or not leave.kind.offered_to(leave.person):
        errors["kind"] = _("This kind of leave is not offered to you.")
    if leave.ends_at <= leave.starts_at:
        errors["ends_at"] = _("The leave must end after it starts.")
    if leave.kind.needs_destination and not leave.amends_id and not leave.city:
        errors["city"] = _("Give the city you are going to.")
    has_files = bool(files) or (leave.pk is not None and leave.attachments.exists())
    if leave.kind.needs_attachment and not leave.amends_id and not has_files:
        errors["files"] = _("Attach the supporting document this kind of leave asks for.")
    if leave.change == LeaveRequest.Change.EXTEND and leave.amends:
        if leave.ends_at <= leave.amends.ends_at:
            errors["ends_at"] = _("An extension must end later than the leave.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def submit(leave: LeaveRequest, files: Sequence = (), *, acting_user: User) -> LeaveRequest:
    """Store a new request (its `person` set) and send it to its first approver."""
    check_request(leave, files)
    now = clock.now()
    leave.submitted_at = now
    leave.status = LeaveRequest.Status.PENDING
    leave.save()
    if files:
        LeaveAttachment.store(files, uploaded_by=acting_user, request=leave)
    LeaveStep.objects.create(
        request=leave, event=LeaveStep.Event.SUBMITTED, at=now, by=acting_user.person
    )
    _enter(leave, applicable_steps(leave), now)
    leave.save()
    audit.record(LeaveEvent.SUBMITTED, leave, acting_user=acting_user, kind=leave.kind.name)
    return leave


@transaction.atomic
def resubmit(leave: LeaveRequest, files: Sequence = (), *, acting_user: User) -> LeaveRequest:
    """A returned request, changed by its requester, sent from the first step again."""
    if leave.status != LeaveRequest.Status.RETURNED:
        raise ValidationError(_("Only a request returned for changes can be sent again."))
    check_request(leave, files)
    now = clock.now()
    if files:
        LeaveAttachment.store(files, uploaded_by=acting_user, request=leave)
    LeaveStep.objects.create(
        request=leave, event=LeaveStep.Event.RESUBMITTED, at=now, by=acting_user.person
    )
    _enter(leave, applicable_steps(leave), now)
    leave.save()
    audit.record(LeaveEvent.RESUBMITTED, leave, acting_user=acting_user)
    return leave


@transaction.atomic
def withdraw(leave: LeaveRequest, *, acting_user: User) -> LeaveRequest:
    """The requester takes back a request nobody has approved yet."""
    if not leave.is_open:
        raise ValidationError(_("Only a request still waiting can be withdrawn."))
    leave.status = LeaveRequest.Status.WITHDRAWN
    leave.step, leave.approver, leave.waiting_since = None, None, None
    leave.save()
    LeaveStep.objects.create(request=leave, event=LeaveStep.Event.WITHDRAWN, by=acting_user.person)
    audit.record(LeaveEvent.WITHDRAWN, leave, acting_user=acting_user)
    return leave


DECISIONS: dict[str, str] = {
    LeaveStep.Event.APPROVED: LeaveRequest.Status.APPROVED,
    LeaveStep.Event.REJECTED: LeaveRequest.Status.REJECTED,
    LeaveStep.Event.RETURNED: LeaveRequest.Status.RETURNED,
}


@transaction.atomic
def decide(leave: LeaveRequest, outcome: str, note: str = "", *, acting_user: User) -> LeaveRequest:
    """The approver's (or an escalated request's leader's) decision at the
    current step: approve moves on, reject ends, return sends it back. A
    rejection or a return says why. The caller checks `access.may_decide`."""
    if outcome not in DECISIONS:
        raise ValueError(f"not a decision: {outcome!r}")
    # The row locked: two approvers (the counsellor and a leader) deciding
    # at once decide once. Only the request's row: PostgreSQL locks no row
    # of an outer join (the step may be null).
    leave = (
        LeaveRequest.objects.select_for_update(of=("self",))
        .select_related("person", "kind", "step")
        .get(pk=leave.pk)
    )
    if leave.status != LeaveRequest.Status.PENDING:
        raise ValidationError(_("This request is no longer waiting for a decision."))
    if outcome != LeaveStep.Event.APPROVED and not note.strip():
        raise ValidationError({"note": _("Say why, so that the requester knows what to do.")})
    now = clock.now()
    step = leave.step
    LeaveStep.objects.create(
        request=leave, event=outcome, at=now, by=acting_user.person, step=step, note=note.strip()
    )
    if outcome == LeaveStep.Event.APPROVED:
        later = [s for s in applicable_steps(leave) if step is None or s.position > step.position]
        _enter(leave, later, now)
    else:
        leave.status = DECISIONS[outcome]
        leave.step, leave.approver, leave.waiting_since = None, None, None
        leave.decided_at = now
        if outcome == LeaveStep.Event.REJECTED:
            title = _("Your leave is rejected: %(kind)s") % _names(leave)
        else:
            title = _("Your leave is returned for changes: %(kind)s") % _names(leave)
        _tell([leave.person], title, leave)
    leave.save()
    audit.record(
        LeaveEvent.DECIDED, leave, acting_user=acting_user, outcome=outcome, step=str(step or "")
    )
    return leave


@transaction.atomic
def ask_change(
    leave: LeaveRequest,
    change: str,
    reason: str,
    ends_at: dt.datetime | None = None,
    *,
    acting_user: User,
) -> LeaveRequest:
    """Ask to extend (to `ends_at`) or cancel an approved leave: a request of
    its own through the chain again."""
    if not leave.in_effect or leave.back_at is not None:
        raise ValidationError(_("Only an approved leave not yet over can be changed."))
    if leave.changes.filter(status=LeaveRequest.Status.PENDING).exists():
        raise ValidationError(_("A change of this leave is already waiting."))
    amended = LeaveRequest(
        person=leave.person,
        kind=leave.kind,
        starts_at=leave.starts_at,
        ends_at=ends_at if change == LeaveRequest.Change.EXTEND and ends_at else leave.ends_at,
        province=leave.province,
        city=leave.city,
        address=leave.address,
        reason=reason,
        contact_name=leave.contact_name,
        contact_phone=leave.contact_phone,
        amends=leave,
        change=change,
    )
    return submit(amended, acting_user=acting_user)


def gate_refusal(leave: LeaveRequest, now: dt.datetime) -> str:
    """Why the gate must not pass this leave now ("" when it may): not
    approved, over, not started yet, or ended before its holder went out."""
    if leave.status == LeaveRequest.Status.CANCELLED:
        return _("This leave was cancelled.")
    if not leave.in_effect:
        return _("This leave is not approved.")
    if leave.back_at is not None:
        return _("This leave is over: the return is already recorded.")
    if leave.left_at is None:
        if now < leave.starts_at - PASS_EARLY:
            return _("This leave has not started yet.")
        if now >= leave.ends_at:
            return _("This leave ended before its holder went out.")
    return ""


def gate_event(leave: LeaveRequest) -> LeaveStep.Event:
    """What the next scan records: the exit, or once out, the return."""
    return LeaveStep.Event.LEFT if leave.left_at is None else LeaveStep.Event.CAME_BACK


@transaction.atomic
def pass_gate(
    leave: LeaveRequest, *, acting_user: User, expected: str | None = None
) -> LeaveStep.Event:
    """The gate keeper's scan of an approved leave's pass: the first scan
    records the exit, the second the return. Returns which it recorded.

    `expected` is what the gate keeper was shown the scan would record: a
    second tap of the same button must not record the return a moment after
    the exit."""
    leave = (
        LeaveRequest.objects.select_for_update(of=("self",)).select_related("kind").get(pk=leave.pk)
    )
    now = clock.now()
    refusal = gate_refusal(leave, now)
    if refusal:
        raise ValidationError(refusal)
    event = gate_event(leave)
    if expected is not None and event != expected:
        raise ValidationError(_("This passage is already recorded."))
    if event == LeaveStep.Event.LEFT:
        leave.left_at = now
    else:
        leave.back_at = now
    leave.save(update_fields=["left_at", "back_at"])
    LeaveStep.objects.create(request=leave, event=event, at=now, by=acting_user.person)
    audit.record(LeaveEvent.GATE_PASSED, leave, acting_user=acting_user, event=event)
    return event


# A pass opens the gate this long before the leave starts (an early taxi).
PASS_EARLY = dt.timedelta(hours=2)


@transaction.atomic
def report_back(leave: LeaveRequest, *, acting_user: User) -> LeaveRequest:
    """销假: the requester says they are back where no gate scanned them; their
    counsellor confirms it (`confirm_back`)."""
    if not leave.in_effect or leave.back_at is not None:
        raise ValidationError(_("Only an approved leave not yet over can be reported back from."))
    now = clock.now()
    leave.back_reported_at = now
    leave.save(update_fields=["back_reported_at"])
    LeaveStep.objects.create(
        request=leave, event=LeaveStep.Event.BACK_REPORTED, at=now, by=acting_user.person
    )
    counsellor = leave.person.admin_class.counsellor if leave.person.admin_class else None
    if counsellor is not None:
        _tell([counsellor], _("Back from leave, to confirm: %(name)s") % _names(leave), leave)
    audit.record(LeaveEvent.BACK_REPORTED, leave, acting_user=acting_user)
    return leave


@transaction.atomic
def confirm_back(leave: LeaveRequest, *, acting_user: User) -> LeaveRequest:
    """The counsellor (or a leader) confirms the return the requester reported:
    the leave is over at the time reported."""
    if leave.back_reported_at is None or leave.back_at is not None:
        raise ValidationError(_("There is no reported return to confirm."))
    leave.back_at = leave.back_reported_at
    leave.save(update_fields=["back_at"])
    LeaveStep.objects.create(
        request=leave, event=LeaveStep.Event.BACK_CONFIRMED, by=acting_user.person
    )
    audit.record(LeaveEvent.BACK_CONFIRMED, leave, acting_user=acting_user)
    return leave
