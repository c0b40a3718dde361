"""Who sees which graduate, fair, employer and offer.

The employment office (a granted role) and admins see everything in careers;
a leader the graduates and fairs of the units they reach; a counsellor the
graduates of the classes they counsel; a graduate their own record. Every
logged-in person sees the fairs, employers and positions (they are what a
graduate browses), but an employer's contact only those who run careers.
Outside these: 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from shouwang.accounts.models import Role
from shouwang.bulletin.access import can_write_articles
from shouwang.notices.audience import can_write_notices
from shouwang.people.access import overseen_q
from shouwang.people.models import Unit

from .models import (
    DestinationReport,
    Employer,
    EmployerImport,
    Evidence,
    FairAttendanceImport,
    FairEmployer,
    Graduate,
    JobFair,
    Offer,
    Position,
)

if TYPE_CHECKING:
    from shouwang.accounts.http import AuthedRequest
    from shouwang.accounts.models import User

NOTHING = Q(pk__in=[])


def is_office(user: User) -> bool:
    """The employment office and admins: everything in careers."""
    return user.has_role(Role.EMPLOYMENT_OFFICE, Role.ADMIN)


def runs_careers(user: User) -> bool:
    """The office, admins and leaders: employers, positions, fairs, rates."""
    return is_office(user) or user.has_role(Role.LEADER)


def require_runner(request: AuthedRequest) -> None:
    if not runs_careers(request.user):
        raise PermissionDenied


def follows_graduates(user: User) -> bool:
    """Who has graduates to look after: the runners and counsellors (the menu's entry)."""
    return runs_careers(user) or user.has_role(Role.COUNSELLOR)


def graduates_for_user(user: User) -> QuerySet[Graduate]:
    if is_office(user):
        return Graduate.objects.all()
    scope = overseen_q(user, "person__")
    if scope is None:
        return Graduate.objects.all()
    if user.person_id:
        scope |= Q(person_id=user.person_id)
    return Graduate.objects.filter(scope)


def get_graduate_for_user(request: AuthedRequest, pk: int) -> Graduate:
    return get_object_or_404(graduates_for_user(request.user), pk=pk)


def own_graduate(user: User) -> Graduate | None:
    """The user's own graduate record, if they are graduating."""
    if not user.person_id:
        return None
    return Graduate.objects.filter(person_id=user.person_id).first()


def confirms(user: User, graduate: Graduate) -> bool:
    """A graduate's counsellor confirms their destination; the office and admins may too."""
    if is_office(user):
        return True
    admin_class = graduate.person.admin_class
    return (
        user.person_id is not None
        and admin_class is not None
        and admin_class.counsellor_id == user.person_id
    )


def reports_for_user(user: User) -> QuerySet[DestinationReport]:
    return DestinationReport.objects.filter(graduate__in=graduates_for_user(user))


def fairs_for_user(user: User) -> QuerySet[JobFair]:
    """Every fair: graduates browse them all."""
    return JobFair.objects.all()


def get_fair_for_user(request: AuthedRequest, pk: int) -> JobFair:
    return get_object_or_404(fairs_for_user(request.user), pk=pk)


def runs_fair(user: User, fair: JobFair) -> bool:
    """The office and admins run every fair; a leader those of the units they reach."""
    if is_office(user):
        return True
    if not user.has_role(Role.LEADER):
        return False
    units = user.reach_unit_ids
    return units is None or fair.unit_id in units


def get_run_fair_for_user(request: AuthedRequest, pk: int) -> JobFair:
    """A fair the user runs; one they only see is 403, one they cannot see 404."""
    fair = get_fair_for_user(request, pk)
    if not runs_fair(request.user, fair):
        raise PermissionDenied
    return fair


def employers_for_user(user: User) -> QuerySet[Employer]:
    return Employer.objects.all()


def positions_for_user(user: User) -> QuerySet[Position]:
    return Position.objects.select_related("employer")


def sees_contacts(user: User) -> bool:
    return runs_careers(user)


def offers_for_user(user: User) -> QuerySet[Offer]:
    return Offer.objects.filter(graduate__in=graduates_for_user(user))


def employer_imports_for_user(user: User) -> QuerySet[EmployerImport]:
    if not runs_careers(user):
        return EmployerImport.objects.none()
    if is_office(user):
        return EmployerImport.objects.all()
    return EmployerImport.objects.filter(uploaded_by=user)


def attendance_imports_for_user(user: User) -> QuerySet[FairAttendanceImport]:
    if is_office(user):
        return FairAttendanceImport.objects.all()
    if not user.has_role(Role.LEADER):
        return FairAttendanceImport.objects.none()
    units = user.reach_unit_ids
    if units is None:
        return FairAttendanceImport.objects.all()
    return FairAttendanceImport.objects.filter(room__fair__unit_id__in=units)


def get_employer_for_user(request: AuthedRequest, pk: int) -> Employer:
    return get_object_or_404(employers_for_user(request.user), pk=pk)


def get_position_for_user(request: AuthedRequest, pk: int) -> Position:
    return get_object_or_404(positions_for_user(request.user), pk=pk)


def get_employer_import_for_user(request: AuthedRequest, pk: int) -> EmployerImport:
    return get_object_or_404(employer_imports_for_user(request.user), pk=pk)


# Graduates and outcomes ---------------------------------------------------------


def sees_careers(user: User) -> bool:
    """Who has a careers home: a graduating student (their own record), a
    counsellor, the office, leaders and admins. Roles and person only: the
    menu asks it on every page."""
    person = user.person
    return follows_graduates(user) or (person is not None and person.graduating)


def require_careers(request: AuthedRequest) -> None:
    if not sees_careers(request.user):
        raise PermissionDenied


def require_follower(request: AuthedRequest) -> None:
    """Lists of graduates, the rates and the seeking list: counsellors, the
    office, leaders and admins, each over their own graduates."""
    if not follows_graduates(request.user):
        raise PermissionDenied


def require_office(request: AuthedRequest) -> None:
    if not is_office(request.user):
        raise PermissionDenied


def reports_destination(user: User, graduate: Graduate) -> bool:
    """The graduate themselves, or the office on their behalf."""
    return is_office(user) or (user.person_id is not None and graduate.person_id == user.person_id)


def get_report_for_user(request: AuthedRequest, pk: int) -> DestinationReport:
    return get_object_or_404(reports_for_user(request.user).select_related("graduate"), pk=pk)


def evidence_for_user(user: User) -> QuerySet[Evidence]:
    return Evidence.objects.filter(report__graduate__in=graduates_for_user(user))


def get_evidence_for_user(request: AuthedRequest, pk: int) -> Evidence:
    return get_object_or_404(
        evidence_for_user(request.user).select_related("report__graduate"), pk=pk
    )


# Job fairs: their rooms, registrations, participations, attendance files and offers.


def announces_fairs(user: User) -> bool:
    """Runners who also write to the graduates (notices) and the site (bulletin):
    leaders and admins. The employment office alone reaches no class."""
    return runs_careers(user) and can_write_notices(user) and can_write_articles(user)


def require_announcer(request: AuthedRequest) -> None:
    if not announces_fairs(request.user):
        raise PermissionDenied


def fair_units_for_user(user: User) -> QuerySet[Unit]:
    """The units a runner may hold a fair for: any for the office, a leader's own reach."""
    units = user.reach_unit_ids
    if is_office(user) or units is None:
        return Unit.objects.all()
    return Unit.objects.filter(pk__in=units)


def get_room_for_user(request: AuthedRequest, pk: int) -> FairEmployer:
    return get_object_or_404(
        FairEmployer.objects.select_related("fair", "employer").filter(
            fair__in=fairs_for_user(request.user)
        ),
        pk=pk,
    )


def get_run_room_for_user(request: AuthedRequest, pk: int) -> FairEmployer:
    """A room of a fair the user runs (its code, its attendance); 403 for a fair they only see."""
    room = get_room_for_user(request, pk)
    if not runs_fair(request.user, room.fair):
        raise PermissionDenied
    return room


def get_attendance_import_for_user(request: AuthedRequest, pk: int) -> FairAttendanceImport:
    return get_object_or_404(
        attendance_imports_for_user(request.user).select_related(
            "room__fair", "room__employer", "uploaded_by"
        ),
        pk=pk,
    )


def get_offer_for_user(request: AuthedRequest, pk: int) -> Offer:
    return get_object_or_404(
        offers_for_user(request.user).select_related(
            "graduate__person", "employer", "position", "fair"
        ),
        pk=pk,
    )


def get_own_offer(request: AuthedRequest, pk: int) -> Offer:
    """An offer the user received: theirs to accept or decline; 403 for one they only see."""
    offer = get_offer_for_user(request, pk)
    if offer.graduate.person_id != request.user.person_id:
        raise PermissionDenied
    return offer


def records_offers(user: User) -> bool:
    """A graduate records their own offers; the runners anyone's they see."""
    return runs_careers(user) or own_graduate(user) is not None


def run_fairs_for_user(user: User) -> QuerySet[JobFair]:
    """The fairs the user runs (`runs_fair`), as one query."""
    if is_office(user):
        return JobFair.objects.all()
    if not user.has_role(Role.LEADER):
        return JobFair.objects.none()
    units = user.reach_unit_ids
    return JobFair.objects.all() if units is None else JobFair.objects.filter(unit_id__in=units)
