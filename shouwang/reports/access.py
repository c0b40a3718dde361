"""Who reads the cockpit and writes the chronicle.

Leaders read the cockpit of the units they reach, admins everyone's; every
figure drills down to a list of the module it counts, and that list keeps its
own module's scope. The chronicle is drafted and edited by leaders and admins
for the units they reach; publishing it also needs the bulletin's editing
right. Outside all this: 403 for a page, 404 for an object (a chronicle of
a unit outside one's reach).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from shouwang.accounts.models import Role
from shouwang.bulletin.access import can_write_articles
from shouwang.people.models import Unit

from .models import Chronicle

if TYPE_CHECKING:
    from shouwang.accounts.http import AuthedRequest
    from shouwang.accounts.models import User


def reads_reports(user: User) -> bool:
    """Leaders and admins: the cockpit, the modules' overviews, the chronicles."""
    return user.has_role(Role.LEADER, Role.ADMIN)


def require_reader(request: AuthedRequest) -> None:
    if not reads_reports(request.user):
        raise PermissionDenied


def chronicles_for_user(user: User) -> QuerySet[Chronicle]:
    if not reads_reports(user):
        return Chronicle.objects.none()
    units = user.reach_unit_ids
    chronicles = Chronicle.objects.all()
    return chronicles if units is None else chronicles.filter(unit_id__in=units)


def get_chronicle_for_user(request: AuthedRequest, pk: int) -> Chronicle:
    """A chronicle of a unit the reader reaches; 403 for a non-reader, 404 outside reach."""
    require_reader(request)
    return get_object_or_404(
        chronicles_for_user(request.user).select_related("unit", "incident", "article"), pk=pk
    )


def units_for_chronicles(user: User) -> QuerySet[Unit]:
    """The units a reader may draft a chronicle of: those they reach."""
    units = user.reach_unit_ids
    return Unit.objects.all() if units is None else Unit.objects.filter(pk__in=units)


def may_publish(user: User) -> bool:
    return reads_reports(user) and can_write_articles(user)


def require_publisher(request: AuthedRequest) -> None:
    if not may_publish(request.user):
        raise PermissionDenied
