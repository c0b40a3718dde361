"""Which people, classes and imports a user may see. Every view goes through here.

An admin sees the whole installation; a leader the people of their own unit
and its sub-units (`User.reach_unit_ids`); a counsellor the students of the
classes they counsel; everyone sees themselves. Outside that, 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from shouwang.accounts.http import AuthedRequest
from shouwang.accounts.models import REFERRAL_ROLES, Role, User, people_with_role

from .models import AdminClass, Person, PlatformAccountImport, RosterImport, Unit, in_units_q

if TYPE_CHECKING:
    from shouwang.accounts.models import User


def overseen_q(user: User, path: str = "") -> Q | None:
    """The people a user looks after (themselves aside), as a condition on the
    person at `path` ("" or e.g. "person__"); None for everyone (an admin).

    A leader's units and a counsellor's classes; nobody for anyone else."""
    units = user.reach_unit_ids
    if units is None:
        return None
    scope = Q(**{f"{path}pk__in": []})
    if units:
        scope |= in_units_q(units, path)
    if user.person_id and user.has_role(Role.COUNSELLOR):
        scope |= Q(**{f"{path}admin_class__counsellor_id": user.person_id})
    return scope


def people_for_user(user: User) -> QuerySet[Person]:
    scope = overseen_q(user)
    if scope is None:
        return Person.objects.all()
    if user.person_id:
        scope |= Q(pk=user.person_id)
    return Person.objects.filter(scope)


def get_person_for_user(request: AuthedRequest, pk: int) -> Person:
    return get_object_or_404(people_for_user(request.user), pk=pk)


def classes_for_user(user: User) -> QuerySet[AdminClass]:
    units = user.reach_unit_ids
    if units is None:
        return AdminClass.objects.all()
    scope = Q(pk__in=[])
    if units:
        scope |= Q(unit_id__in=units)
    if user.person_id and user.has_role(Role.COUNSELLOR):
        scope |= Q(counsellor_id=user.person_id)
    return AdminClass.objects.filter(scope)


class LeaderReach:
    """Every active leader with the units they reach, read once (two queries):
    whom to tell about a person is then a lookup, not a query per person."""

    def __init__(self) -> None:
        parents = Unit.parents()
        leaders = people_with_role(Role.LEADER).order_by("number")
        self.reach = [
            (leader, frozenset(Unit.subtree_ids([leader.unit_id], parents)))
            for leader in leaders
            if leader.unit_id is not None
        ]

    def over(self, unit_id: int | None, class_unit_id: int | None = None) -> list[Person]:
        """The leaders who reach a person of this unit (or this class's unit)."""
        return [
            leader for leader, units in self.reach if unit_id in units or class_unit_id in units
        ]

    def over_person(self, person: Person) -> list[Person]:
        admin_class = person.admin_class
        return self.over(person.unit_id, admin_class.unit_id if admin_class else None)


def units_for_user(user: User) -> QuerySet[Unit]:
    """The units a user may pick (for an incident, a notice, a filter): all of
    them for an admin, a leader's subtree, none for anyone else."""
    units = user.reach_unit_ids
    if units is None:
        return Unit.objects.all()
    return Unit.objects.filter(pk__in=units)


def can_manage_roster(user: User) -> bool:
    return user.has_role(Role.LEADER, Role.ADMIN)


def require_roster_manager(request: AuthedRequest) -> None:
    """Roster pages exist for everyone logged in; only leaders and admins may use them."""
    if not can_manage_roster(request.user):
        raise PermissionDenied


def roster_imports_for_user(user: User) -> QuerySet[RosterImport]:
    if user.has_role(Role.ADMIN):
        return RosterImport.objects.all()
    if user.has_role(Role.LEADER):
        return RosterImport.objects.filter(uploaded_by=user)
    return RosterImport.objects.none()


def get_roster_import_for_user(request: AuthedRequest, pk: int) -> RosterImport:
    return get_object_or_404(roster_imports_for_user(request.user), pk=pk)


def can_reset_password(user: User, person: Person) -> bool:
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


def can_manage_platform_accounts(user: User) -> bool:
    """People's WeCom and DingTalk accounts are set college-wide, by admins."""
    return user.has_role(Role.ADMIN)


def require_platform_accounts_manager(request: AuthedRequest) -> None:
    if not can_manage_platform_accounts(request.user):
        raise PermissionDenied


def platform_account_imports_for_user(user: User) -> QuerySet[PlatformAccountImport]:
    if can_manage_platform_accounts(user):
        return PlatformAccountImport.objects.all()
    return PlatformAccountImport.objects.none()


def get_platform_account_import_for_user(request: AuthedRequest, pk: int) -> PlatformAccountImport:
    return get_object_or_404(platform_account_imports_for_user(request.user), pk=pk)
