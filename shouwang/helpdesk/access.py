"""Who sees which help request and which task. Every view goes through here.

A request is its requester's, its handler's, the requester's counsellor's (the
counsellor of their class), the leaders' of the requester's unit (and the
units above it), and every admin's; psychological
requests also the psychological-support role's. A task's assignee sees the
task (what to do and where), never the request. Outside that, 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from shouwang.accounts.http import AuthedRequest
from shouwang.accounts.models import Role
from shouwang.people.access import overseen_q

from .models import HelpRequest, HelpRequestTask

if TYPE_CHECKING:
    from shouwang.accounts.models import User


def requests_for_user(user: User) -> QuerySet[HelpRequest]:
    if user.reaches_all:
        return HelpRequest.objects.all()
    if not user.person_id:
        return HelpRequest.objects.none()
    return HelpRequest.objects.filter(handled_scope(user) | Q(requester_id=user.person_id))


def handled_scope(user: User) -> Q:
    """The requests a user handles or oversees (not their own)."""
    overseen = overseen_q(user, "requester__")
    if overseen is None:
        return Q()
    if not user.person_id:
        return Q(pk__in=[])
    scope = Q(handler_id=user.person_id) | overseen
    if user.has_role(Role.PSYCH_SUPPORT):
        scope |= Q(category=HelpRequest.Category.PSYCHOLOGICAL)
    return scope


def handled_for_user(user: User) -> QuerySet[HelpRequest]:
    return HelpRequest.objects.filter(handled_scope(user)).exclude(requester_id=user.person_id)


def get_request_for_user(request: AuthedRequest, pk: int) -> HelpRequest:
    return get_object_or_404(
        requests_for_user(request.user).select_related("requester__admin_class", "handler"),
        pk=pk,
    )


def is_handling_side(user: User, help_request: HelpRequest) -> bool:
    """Whoever sees a request that is not their own works on it (sees notes, replies)."""
    return help_request.requester_id != user.person_id


def require_handling_side(request: AuthedRequest, help_request: HelpRequest) -> None:
    if not is_handling_side(request.user, help_request):
        raise PermissionDenied


def require_requester(request: AuthedRequest, help_request: HelpRequest) -> None:
    if help_request.requester_id != request.user.person_id:
        raise PermissionDenied


def sees_overview(user: User) -> bool:
    return user.has_role(Role.COUNSELLOR, Role.LEADER, Role.ADMIN, Role.PSYCH_SUPPORT)


def require_overview(request: AuthedRequest) -> None:
    if not sees_overview(request.user):
        raise PermissionDenied


def tasks_for_user(user: User) -> QuerySet[HelpRequestTask]:
    if not user.person_id:
        return HelpRequestTask.objects.none()
    return HelpRequestTask.objects.filter(assignee_id=user.person_id)


def get_task_for_user(request: AuthedRequest, pk: int) -> HelpRequestTask:
    return get_object_or_404(tasks_for_user(request.user), pk=pk)
