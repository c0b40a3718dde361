"""Who reads the cockpit and writes the chronicle.

Leaders read the cockpit of the units they reach, admins everyone's; every
figure drills down to a list of the module it counts, and that list keeps its
own module's scope. The chronicle is drafted and edited by leaders and admins
for the units they reach; publishing it also needs the bulletin's editing
right. Outside all this: 403 for a page, 404 for an object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from shouwang.accounts.models import Role

if TYPE_CHECKING:
    from shouwang.accounts.http import AuthedRequest
    from shouwang.accounts.models import User


def reads_reports(user: User) -> bool:
    """Leaders and admins: the cockpit, the modules' overviews, the chronicles."""
    return user.has_role(Role.LEADER, Role.ADMIN)


def require_reader(request: AuthedRequest) -> None:
    if not reads_reports(request.user):
        raise PermissionDenied
