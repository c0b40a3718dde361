"""Who may see counselling referrals: the counsellor who made one, and people
with the psychological-support role. Nobody else, whatever else they may see.

Admins see everyone elsewhere and leaders their units' people
(`User.reach_unit_ids`); here they do not, and a superuser is not given the
role by being one: the scope is the role, checked by name, never a Django
permission a superuser passes. For anyone else a referral does not exist
(404), not even as a count.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from shouwang.accounts.http import AuthedRequest
from shouwang.accounts.models import Role
from shouwang.people.models import Person

from .models import Referral

if TYPE_CHECKING:
    from shouwang.accounts.models import User


def is_psych_support(user: User) -> bool:
    return user.has_role(Role.PSYCH_SUPPORT)


def referrals_for_user(user: User) -> QuerySet[Referral]:
    if is_psych_support(user):
        return Referral.objects.all()
    return Referral.objects.filter(referred_by_id=user.pk)


def get_referral_for_user(request: AuthedRequest, pk: int) -> Referral:
    return get_object_or_404(
        referrals_for_user(request.user).select_related(
            "student__admin_class",
            "referred_by__person",
            "supporter__person",
            "consent_recorded_by__person",
        ),
        pk=pk,
    )


def uses_referrals(user: User) -> bool:
    return user.has_role(Role.COUNSELLOR, Role.PSYCH_SUPPORT)


def require_referrals_user(request: AuthedRequest) -> None:
    """The referral pages do not exist for anyone but counsellors and support workers."""
    if not uses_referrals(request.user):
        raise Http404


def referable_students(user: User) -> QuerySet[Person]:
    """A counsellor refers the students of their own classes, and nobody else."""
    if not user.person_id or not user.has_role(Role.COUNSELLOR):
        return Person.objects.none()
    return Person.objects.filter(
        kind=Person.Kind.STUDENT, admin_class__counsellor_id=user.person_id
    )


def get_referable_student(request: AuthedRequest, pk: int) -> Person:
    return get_object_or_404(referable_students(request.user).select_related("admin_class"), pk=pk)


def can_take(user: User, referral: Referral) -> bool:
    return is_psych_support(user) and referral.status == Referral.Status.OPEN
