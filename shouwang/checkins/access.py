"""Who reads whose check-ins. A person reads their own; counsellors, leaders
and admins read those of the people in their scope (people.access decides who
is whose), on the pages that count and screen them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from shouwang.accounts.http import AuthedRequest
from shouwang.accounts.models import Role

if TYPE_CHECKING:
    from shouwang.accounts.models import User


def reads_checkins(user: User) -> bool:
    """Counsellors, leaders and admins: others' check-ins, within their scope."""
    return user.has_role(Role.COUNSELLOR, Role.LEADER, Role.ADMIN)


def require_checkins_reader(request: AuthedRequest) -> None:
    if not reads_checkins(request.user):
        raise PermissionDenied
