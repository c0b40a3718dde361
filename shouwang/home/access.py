"""Who opens which home page: everyone their own; the morning page of their
own classes, counsellors alone (403 to anyone else)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from shouwang.accounts.http import AuthedRequest
from shouwang.accounts.models import Role

if TYPE_CHECKING:
    from shouwang.accounts.models import User


def has_morning(user: User) -> bool:
    """Whoever counsels a class has a morning page for their own classes."""
    return user.person_id is not None and user.has_role(Role.COUNSELLOR)


def require_morning(request: AuthedRequest) -> None:
    if not has_morning(request.user):
        raise PermissionDenied
