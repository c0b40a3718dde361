"""Who sees which isolation and which delivery. Every view goes through here.

Isolations (name, reason, dietary note, place) are for the person's counsellor,
for the leaders of the person's unit (and the units above it), for admins,
and for the isolated person. Deliveries are for the
members of the team that carries them, who see the door and nothing of the
person; for managers; and for the isolated person (their own meals).
Outside that, 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from shouwang.accounts.http import AuthedRequest
from shouwang.accounts.models import Role
from shouwang.people.access import overseen_q
from shouwang.volunteers.models import Membership

from .models import Isolation, MealDelivery

if TYPE_CHECKING:
    from shouwang.accounts.models import User


def manages_isolations(user: User) -> bool:
    """Counsellors (for their own classes), leaders and admins place and end isolations."""
    return user.has_role(Role.COUNSELLOR, Role.LEADER, Role.ADMIN)


def require_isolation_manager(request: AuthedRequest) -> None:
    if not manages_isolations(request.user):
        raise PermissionDenied


def isolations_for_user(user: User) -> QuerySet[Isolation]:
    """The isolations a user manages: everyone's for admins, their units'
    people's for leaders, their own classes' students' for a counsellor."""
    scope = overseen_q(user, "person__")
    if scope is None:
        return Isolation.objects.all()
    if not manages_isolations(user):
        return Isolation.objects.none()
    return Isolation.objects.filter(scope)


def get_isolation_for_user(request: AuthedRequest, pk: int) -> Isolation:
    return get_object_or_404(
        isolations_for_user(request.user).select_related(
            "person__admin_class__counsellor", "dorm_room", "room", "flag"
        ),
        pk=pk,
    )


def own_isolation(user: User) -> Isolation | None:
    """The user's own active isolation, if they are in one."""
    if not user.person_id:
        return None
    return (
        Isolation.objects.active()
        .filter(person_id=user.person_id)
        .select_related("person__admin_class__counsellor", "dorm_room", "room")
        .first()
    )


def team_ids_of(user: User) -> list[int]:
    if not user.person_id:
        return []
    return list(
        Membership.objects.filter(person_id=user.person_id).values_list("team_id", flat=True)
    )


def lead_team_ids_of(user: User) -> list[int]:
    if not user.person_id:
        return []
    return list(
        Membership.objects.filter(person_id=user.person_id, is_lead=True).values_list(
            "team_id", flat=True
        )
    )


def deliveries_for_user(user: User) -> QuerySet[MealDelivery]:
    """The deliveries a user carries or oversees: their teams' for a member,
    their units' isolations' for leaders, everyone's for admins."""
    if user.reaches_all:
        return MealDelivery.objects.all()
    scope = Q(team_id__in=team_ids_of(user))
    if user.has_role(Role.LEADER):
        # The isolations of `isolations_for_user`, as a condition on the
        # delivery's person: the day's deliveries are found first and their
        # people checked, rather than every person of the units read to list
        # their isolations (docs/performance.md, "Cockpit").
        overseen = overseen_q(user, "isolation__person__")
        if overseen is not None:
            scope |= overseen
    return MealDelivery.objects.filter(scope)


def get_delivery_for_user(request: AuthedRequest, pk: int) -> MealDelivery:
    return get_object_or_404(
        deliveries_for_user(request.user).select_related("slot", "team", "claimed_by"), pk=pk
    )


def get_own_delivery(request: AuthedRequest, pk: int) -> MealDelivery:
    """A delivery of the user's own active isolation: theirs to confirm or complain about."""
    isolation = own_isolation(request.user)
    if isolation is None:
        raise Http404
    return get_object_or_404(
        MealDelivery.objects.filter(isolation=isolation).select_related("slot"), pk=pk
    )


def get_managed_delivery(request: AuthedRequest, pk: int) -> MealDelivery:
    """A delivery whose handling a user may record: the counsellor of the
    person (and leaders and admins), or a lead of the delivering team."""
    scope = Q(isolation__in=isolations_for_user(request.user))
    scope |= Q(team_id__in=lead_team_ids_of(request.user))
    return get_object_or_404(MealDelivery.objects.filter(scope).select_related("slot"), pk=pk)


def can_write_cards(user: User) -> bool:
    """Volunteers (members of a team) and staff write cards and send videos."""
    if not user.person_id:
        return user.has_role(Role.ADMIN)
    return user.has_role(
        Role.TEACHER, Role.COUNSELLOR, Role.LEADER, Role.ADMIN, Role.VOLUNTEER
    ) or bool(team_ids_of(user))


def require_card_writer(request: AuthedRequest) -> None:
    if not can_write_cards(request.user):
        raise PermissionDenied
