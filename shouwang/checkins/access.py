"""Who sees whose check-ins. A person sees their own; a counsellor the
students of their classes; a leader the people of their units; admins
everyone (people.access decides who is whose). Compliance and screening are
for counsellors, leaders, admins."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from shouwang.accounts.models import Role
from shouwang.people.access import overseen_q

from .models import Flag


def can_see_compliance(user) -> bool:
    return user.has_role(Role.COUNSELLOR, Role.LEADER, Role.ADMIN)


def require_compliance_viewer(request) -> None:
    if not can_see_compliance(request.user):
        raise PermissionDenied


def flags_for_user(user) -> QuerySet[Flag]:
    if not can_see_compliance(user):
        return Flag.objects.none()
    scope = overseen_q(user, "person__")
    if scope is None:
        return Flag.objects.all()
    # A counsellor's or leader's own flags are not theirs to clear.
    return Flag.objects.filter(scope).exclude(person_id=user.person_id)


def get_flag_for_user(request, pk: int) -> Flag:
    return get_object_or_404(flags_for_user(request.user).select_related("person"), pk=pk)
