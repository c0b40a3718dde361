"""Which people, classes and imports a user may see. Every view goes through here.

A leader or admin sees the whole college; a counsellor sees the students of the
classes they counsel; everyone sees themselves. Outside that, 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from shouwang.accounts.models import REFERRAL_ROLES, Role, User

from .models import AdminClass, Person, RosterImport


def people_for_user(user) -> QuerySet[Person]:
    if user.sees_everyone:
        return Person.objects.all()
    scope = Q(pk=user.person_id) if user.person_id else Q(pk__in=[])
    if user.has_role(Role.COUNSELLOR):
        scope |= Q(admin_class__counsellor_id=user.person_id)
    return Person.objects.filter(scope)


def get_person_for_user(request, pk: int) -> Person:
    return get_object_or_404(people_for_user(request.user), pk=pk)


def classes_for_user(user) -> QuerySet[AdminClass]:
    if user.sees_everyone:
        return AdminClass.objects.all()
    if user.has_role(Role.COUNSELLOR):
        return AdminClass.objects.filter(counsellor_id=user.person_id)
    return AdminClass.objects.none()


def can_manage_roster(user) -> bool:
    return user.has_role(Role.LEADER, Role.ADMIN)


def require_roster_manager(request) -> None:
    """Roster pages exist for everyone logged in; only leaders and admins may use them."""
    if not can_manage_roster(request.user):
        raise PermissionDenied


def roster_imports_for_user(user) -> QuerySet[RosterImport]:
    if user.has_role(Role.ADMIN):
        return RosterImport.objects.all()
    if user.has_role(Role.LEADER):
        return RosterImport.objects.filter(uploaded_by=user)
    return RosterImport.objects.none()


def get_roster_import_for_user(request, pk: int) -> RosterImport:
    return get_object_or_404(roster_imports_for_user(request.user), pk=pk)


def can_reset_password(user, person: Person) -> bool:
    """Admins for anyone; leaders and counsellors for the students they can see;
    nobody for someone whose login reads referrals."""
    if user.has_role(Role.ADMIN):
        return not reads_referrals(person)
    if person.kind != Person.Kind.STUDENT or person.pk == user.person_id:
        return False
    return user.has_role(Role.LEADER, Role.COUNSELLOR) and not reads_referrals(person)


def reads_referrals(person: Person) -> bool:
    """Whether the person's login holds a role that reveals referrals. A new
    password for them would let whoever set it sign in as them and read every
    referral: the role is removed first, on the roles page, which its other
    holders are told of."""
    roles = [role.value for role in REFERRAL_ROLES]
    return User.objects.filter(person_id=person.pk, groups__name__in=roles).exists()
