"""Who sees and runs which store, donation, request and slip.

Leaders see everything of the units they reach (a store, a donation or a
request belongs to a unit) and admins everything. A store keeper (a granted
role) runs the stores they keep, and sees the donations and requests of those
stores' units. Anyone else sees the requests they made, that are for them or
for a team they belong to, the slips of those, and the donations they gave. A donor's contact is for
leaders and store keepers only. Outside any of these: 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from shouwang.accounts.models import Role
from shouwang.helpdesk.access import requests_for_user as help_requests_for_user
from shouwang.helpdesk.models import HelpRequest
from shouwang.people.models import Unit
from shouwang.volunteers.models import Membership, Team

from .models import Donation, Donor, IssueSlip, Stocktake, Store, SupplyRequest

if TYPE_CHECKING:
    from shouwang.accounts.http import AuthedRequest
    from shouwang.accounts.models import User

NOTHING = Q(pk__in=[])
# Not Q(): an empty Q or-ed with another is that other alone, and an admin
# would see only their own rows.
EVERYTHING = ~NOTHING


def _units_q(user: User, path: str) -> Q:
    """Rows whose unit (at `path`) the user reaches as a leader; everything for an admin."""
    units = user.reach_unit_ids
    if units is None:
        return EVERYTHING
    return Q(**{f"{path}__in": units}) if units else NOTHING


def asks_for_supplies(user: User) -> bool:
    """Staff ask for their units and teams, and managers decide: the menu's entry.
    A student asks through a help request for supplies (their menu stays
    short); the request pages are open to them all the same."""
    return user.has_role(Role.TEACHER, Role.LEADER, Role.ADMIN) or is_keeper(user)


def is_keeper(user: User) -> bool:
    return user.has_role(Role.STORE_KEEPER) and user.person_id is not None


def manages_supplies(user: User) -> bool:
    """Leaders, admins and store keepers: the pages over stores, donations and requests."""
    return user.has_role(Role.LEADER, Role.ADMIN) or is_keeper(user)


def require_manager(request: AuthedRequest) -> None:
    if not manages_supplies(request.user):
        raise PermissionDenied


def sets_up_stores(user: User) -> bool:
    """Leaders and admins open stores and name their keepers; keepers run them."""
    return user.has_role(Role.LEADER, Role.ADMIN)


def require_store_setter(request: AuthedRequest) -> None:
    if not sets_up_stores(request.user):
        raise PermissionDenied


def stores_for_user(user: User) -> QuerySet[Store]:
    """The stores a user runs: a leader's units', a keeper's own, every one for an admin."""
    q = _units_q(user, "unit") if user.has_role(Role.LEADER, Role.ADMIN) else NOTHING
    if is_keeper(user):
        q |= Q(keepers=user.person_id)
    return Store.objects.filter(q).distinct() if q is not NOTHING else Store.objects.none()


def _managed_units_q(user: User, path: str) -> Q:
    """Rows of the units a leader reaches or whose stores a keeper keeps."""
    q = _units_q(user, path) if user.has_role(Role.LEADER, Role.ADMIN) else NOTHING
    if is_keeper(user):
        q |= Q(**{f"{path}__in": kept_unit_ids(user)})
    return q


def kept_unit_ids(user: User) -> set[int]:
    """The units of the stores a keeper keeps, with everything below them: a
    college's store serves the college's departments and offices."""
    # Kept on the user for the request, as its roles and unit tree are: a
    # page asks more than once.
    cached = user.__dict__.get("supplies_kept_unit_ids")
    if cached is None:
        roots = Store.objects.filter(keepers=user.person_id).values_list("unit", flat=True)
        cached = user.__dict__["supplies_kept_unit_ids"] = Unit.subtree_ids(
            set(roots), user.unit_tree
        )
    return cached


def donations_for_user(user: User) -> QuerySet[Donation]:
    """Donations of the units a user manages, and the ones they gave themselves."""
    q = _managed_units_q(user, "unit")
    if user.person_id is not None:
        q |= Q(donor__person=user.person_id)
    return Donation.objects.filter(q)


def sees_donor_contact(user: User) -> bool:
    """A donor's contact (and the name of an anonymous donor) is for leaders and keepers."""
    return manages_supplies(user)


def manages_donation(user: User, donation: Donation) -> bool:
    """Records, counts in, cancels and discloses it: a leader reaching the
    donation's unit, a keeper of a store of that unit, or an admin. A donor
    sees their own donation but runs none."""
    if not manages_supplies(user):
        return False
    return Donation.objects.filter(_managed_units_q(user, "unit"), pk=donation.pk).exists()


def units_managed(user: User) -> QuerySet[Unit]:
    """The units a user may record a donation for: the colleges (and
    universities) among those they manage, else whatever units they manage."""
    managed = Unit.objects.filter(_managed_units_q(user, "pk"))
    colleges = managed.filter(kind__in=[Unit.Kind.COLLEGE, Unit.Kind.UNIVERSITY])
    return colleges if colleges.exists() else managed


def donors_for_user(user: User) -> QuerySet[Donor]:
    """The donors of the donations a user manages, and those who have given
    nothing yet (to be picked for a first pledge): another college's donors,
    an anonymous one above all, are not theirs to see."""
    if not manages_supplies(user):
        return Donor.objects.none()
    given = Donation.objects.filter(_managed_units_q(user, "unit")).values("donor")
    return Donor.objects.filter(
        Q(pk__in=given) | ~Exists(Donation.objects.filter(donor=OuterRef("pk")))
    )


def get_donor_for_user(user: User, pk: int) -> Donor:
    return get_object_or_404(donors_for_user(user).select_related("person__unit"), pk=pk)


def is_donor_of(user: User, donation: Donation) -> bool:
    return user.person_id is not None and donation.donor.person_id == user.person_id


def requests_for_user(user: User) -> QuerySet[SupplyRequest]:
    """Requests of the units a user manages, and the ones they made, that are for
    them or for a team they belong to (its members receive what it was given)."""
    q = _managed_units_q(user, "unit")
    if user.person_id is not None:
        q |= (
            Q(requester=user.person_id)
            | Q(for_person=user.person_id)
            | Q(for_team__in=Membership.objects.filter(person=user.person_id).values("team"))
        )
    return SupplyRequest.objects.filter(q)


def requests_decided_by(user: User) -> QuerySet[SupplyRequest]:
    """The requests a user decides: those of the units they manage."""
    if not manages_supplies(user):
        return SupplyRequest.objects.none()
    return SupplyRequest.objects.filter(_managed_units_q(user, "unit"))


def decides(user: User, request: SupplyRequest) -> bool:
    """A leader reaching the request's unit, a keeper of a store of that unit, or an admin."""
    if not manages_supplies(user):
        return False
    return SupplyRequest.objects.filter(_managed_units_q(user, "unit"), pk=request.pk).exists()


def decides_for_unit(user: User, unit_id: int | None) -> bool:
    """Whether the user would decide a request of this unit (before there is one)."""
    if unit_id is None or not manages_supplies(user):
        return False
    return Unit.objects.filter(_managed_units_q(user, "pk"), pk=unit_id).exists()


def require_decider(user: User, request: SupplyRequest) -> None:
    """Someone who sees a request but does not decide it: 403."""
    if not decides(user, request):
        raise PermissionDenied


def sees_help_request(user: User, help_request: HelpRequest) -> bool:
    return help_requests_for_user(user).filter(pk=help_request.pk).exists()


def turns_into_supply_request(user: User, help_request: HelpRequest) -> bool:
    """Whether the user may turn this help request into a supply request: one
    for supplies, open, not turned yet, that they work on (not their own) and
    whose requester's unit they decide supplies for. The caller has checked
    that they see it (the help desk's scope)."""
    return (
        help_request.category == HelpRequest.Category.SUPPLIES
        and help_request.is_open
        and user.person_id is not None
        and help_request.requester_id != user.person_id
        and decides_for_unit(user, help_request.requester.unit_id)
        and not SupplyRequest.objects.filter(help_request=help_request).exists()
    )


def units_to_ask_for(user: User) -> QuerySet[Unit]:
    """The units a user may ask supplies for: their own, and those they manage."""
    q = _managed_units_q(user, "pk")
    if user.person is not None and user.person.unit_id is not None:
        q |= Q(pk=user.person.unit_id)
    return Unit.objects.filter(q) if q is not NOTHING else Unit.objects.none()


def teams_to_ask_for(user: User) -> QuerySet[Team]:
    """The teams a user may ask supplies for: every team for those who manage
    supplies, else the teams they belong to (a building's delivery team, the
    isolation care team)."""
    if manages_supplies(user):
        return Team.objects.all()
    if user.person_id is None:
        return Team.objects.none()
    return Team.objects.filter(memberships__person=user.person_id)


def slips_for_user(user: User) -> QuerySet[IssueSlip]:
    """The slips of the requests a user sees: whoever sees one may confirm it
    received (the requester, the person or a member of the team it is for, its
    deciders); anyone else scanning its code gets 404."""
    return IssueSlip.objects.filter(request__in=requests_for_user(user).values("pk"))


def runs(user: User, store: Store) -> bool:
    return stores_for_user(user).filter(pk=store.pk).exists()


def get_store_for_user(user: User, pk: int) -> Store:
    return get_object_or_404(stores_for_user(user), pk=pk)


def stocktakes_for_user(user: User) -> QuerySet[Stocktake]:
    """The counts of the stores a user runs."""
    return Stocktake.objects.filter(store__in=stores_for_user(user))


def get_stocktake_for_user(user: User, pk: int) -> Stocktake:
    return get_object_or_404(stocktakes_for_user(user).select_related("store", "by__person"), pk=pk)


def get_donation_for_user(user: User, pk: int) -> Donation:
    return get_object_or_404(
        donations_for_user(user).select_related("donor__person", "store", "unit"), pk=pk
    )


def get_request_for_user(user: User, pk: int) -> SupplyRequest:
    return get_object_or_404(
        requests_for_user(user).select_related(
            "requester", "for_unit", "for_team", "for_person", "help_request"
        ),
        pk=pk,
    )


def get_slip_for_user(user: User, pk: int) -> IssueSlip:
    """The slip if the user receives or issues it (slips_for_user), else 404."""
    return get_object_or_404(
        slips_for_user(user).select_related(
            "request__for_unit",
            "request__for_team",
            "request__for_person",
            "store",
            "received_by",
            "issued_by__person",
            "meal_delivery__slot",
        ),
        pk=pk,
    )
