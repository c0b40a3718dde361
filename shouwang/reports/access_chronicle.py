"""Who reads, edits and publishes which chronicle.

Leaders and admins draft and edit the chronicles of the units they reach
(`User.reach_unit_ids`: an admin's is everything); anyone else gets 403 for
the pages, and a chronicle of a unit outside one's reach is 404. Publishing
it also takes the bulletin's right to write articles (403 without it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from shouwang.bulletin.access import can_write_articles
from shouwang.people.models import Unit

from .access import reads_reports, require_reader
from .models import Chronicle

if TYPE_CHECKING:
    from shouwang.accounts.http import AuthedRequest
    from shouwang.accounts.models import User


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
