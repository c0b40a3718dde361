"""Who sees which flags: counsellors the flags of their classes' people,
leaders those of their units', admins all; nobody their own. Every page and
form that offers a flag goes through `flags_for_user`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from shouwang.accounts.http import AuthedRequest
from shouwang.checkins.access import reads_checkins
from shouwang.people.access import overseen_q

from .models import Flag

if TYPE_CHECKING:
    from shouwang.accounts.models import User


def flags_for_user(user: User) -> QuerySet[Flag]:
    if not reads_checkins(user):
        return Flag.objects.none()
    scope = overseen_q(user, "person__")
    if scope is None:
        return Flag.objects.all()
    # A counsellor's or leader's own flags are not theirs to clear.
    return Flag.objects.filter(scope).exclude(person_id=user.person_id)  # type: ignore[misc]


def get_flag_for_user(request: AuthedRequest, pk: int) -> Flag:
    return get_object_or_404(flags_for_user(request.user).select_related("person"), pk=pk)
