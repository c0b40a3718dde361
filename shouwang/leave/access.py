"""Who sees and decides which leave request.

A requester sees their own; an approver those waiting on them and those they
decided; a counsellor their classes' requests; a leader those of the units
they reach, and decides one the chain left waiting (escalated) or that waits
on nobody; admins everything. A gate keeper sees no request: only a scanned
pass's answer (`scan`). Kinds of leave, their chains and the posts are set by
leaders and admins. Outside all this: 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from shouwang.accounts.models import Role
from shouwang.people.access import overseen_q
from shouwang.people.models import Person

from .models import LeaveAttachment, LeaveRequest, LeaveStep

if TYPE_CHECKING:
    from shouwang.accounts.http import AuthedRequest
    from shouwang.accounts.models import User


def runs_leave(user: User) -> bool:
    """Leaders and admins: the kinds of leave, their chains, the posts, the counts."""
    return user.has_role(Role.LEADER, Role.ADMIN)


def require_runner(request: AuthedRequest) -> None:
    if not runs_leave(request.user):
        raise PermissionDenied


def keeps_gate(user: User) -> bool:
    return user.has_role(Role.GATE_KEEPER, Role.ADMIN)


def follows_leave(user: User) -> bool:
    """Who has others' leave to follow: counsellors, leaders, admins (the menu's entry)."""
    return runs_leave(user) or user.has_role(Role.COUNSELLOR)


def overseen_requests_q(user: User) -> Q | None:
    """The requests of the people a user looks after (None: everyone's).

    As a set of people rather than a join: the database picks out a
    counsellor's few hundred students once, not every requester's class."""
    scope = overseen_q(user)
    if scope is None:
        return None
    return Q(person_id__in=Person.objects.filter(scope).values("pk"))


def followed_requests(user: User) -> QuerySet[LeaveRequest]:
    """The requests of the people a user looks after: a counsellor's classes',
    a leader's units', everyone's for an admin (the followers' list). What
    waits on an approver or they decided is their queue's."""
    scope = overseen_requests_q(user)
    return LeaveRequest.objects.all() if scope is None else LeaveRequest.objects.filter(scope)


def requests_for_user(user: User) -> QuerySet[LeaveRequest]:
    scope = overseen_requests_q(user)
    if scope is None:
        return LeaveRequest.objects.all()
    if user.person_id:
        decided = LeaveStep.objects.filter(
            by_id=user.person_id, event__in=LeaveStep.DECISIONS
        ).values("request_id")
        scope |= Q(person_id=user.person_id) | Q(approver_id=user.person_id) | Q(pk__in=decided)
    return LeaveRequest.objects.filter(scope)


def get_request_for_user(request: AuthedRequest, pk: int) -> LeaveRequest:
    return get_object_or_404(
        requests_for_user(request.user).select_related("person", "kind", "step", "approver"), pk=pk
    )


def get_attachment_for_user(request: AuthedRequest, pk: int) -> LeaveAttachment:
    return get_object_or_404(
        LeaveAttachment.objects.filter(request__in=requests_for_user(request.user)), pk=pk
    )


def leads_for(user: User, leave: LeaveRequest) -> bool:
    """A leader (or admin) over the requester."""
    if not runs_leave(user):
        return False
    scope = overseen_requests_q(user)
    return scope is None or LeaveRequest.objects.filter(scope, pk=leave.pk).exists()


def may_decide(user: User, leave: LeaveRequest) -> bool:
    """The approver the request waits on; a leader over the requester once the
    request was escalated or when it waits on nobody. Never one's own request."""
    if leave.status != LeaveRequest.Status.PENDING or leave.person_id == user.person_id:
        return False
    if user.person_id and leave.approver_id == user.person_id:
        return True
    return (leave.escalated_at is not None or leave.approver_id is None) and leads_for(user, leave)


def may_confirm_back(user: User, leave: LeaveRequest) -> bool:
    """The requester's counsellor, or a leader over them; never one's own return."""
    if leave.person_id == user.person_id:
        return False
    admin_class = leave.person.admin_class
    if user.person_id and admin_class is not None and admin_class.counsellor_id == user.person_id:
        return True
    return leads_for(user, leave)
