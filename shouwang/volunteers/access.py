"""Who sees which teams, shifts, roster days and service reports.

Members see their teams and those teams' shifts; a team's leads check its
members in and out; admins see every team, the roster and the counts, and a
leader those of the teams run by their unit and its sub-units. The roster is
kept by admins, by leaders (for the staff of their units) and by the leads
of staff duty teams (for their own team's members). A student sees their own
service reports; the counsellor of their class approves or returns them, and
their units' leaders see them. Outside that, 404.
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
from shouwang.people.models import Person, in_units_q

from .models import Membership, ServiceReport, Shift, SignUp, Team

if TYPE_CHECKING:
    from shouwang.accounts.models import User


def run_teams_q(user: User) -> Q | None:
    """The teams a user runs as a leader: those of their units (None: every team)."""
    units = user.reach_unit_ids
    if units is None:
        return None
    if not user.has_role(Role.LEADER):
        return Q(pk__in=[])
    return Q(unit_id__in=units)


def teams_for_user(user: User) -> QuerySet[Team]:
    run = run_teams_q(user)
    if run is None:
        return Team.objects.all()
    member = Team.objects.filter(memberships__person_id=user.person_id or 0).values("pk")
    return Team.objects.filter(run | Q(pk__in=member))


def get_team_for_user(request: AuthedRequest, pk: int) -> Team:
    return get_object_or_404(teams_for_user(request.user), pk=pk)


def leads(user: User, team: Team) -> bool:
    """A team's leads, the leaders of its unit and admins run its shifts."""
    run = run_teams_q(user)
    if run is None or Team.objects.filter(run, pk=team.pk).exists():
        return True
    return Membership.objects.filter(
        team=team, person_id=user.person_id or 0, is_lead=True
    ).exists()


def require_lead(request: AuthedRequest, team: Team) -> None:
    if not leads(request.user, team):
        raise PermissionDenied


def is_member(user: User, team: Team) -> bool:
    return Membership.objects.filter(team=team, person_id=user.person_id or 0).exists()


def shifts_for_user(user: User) -> QuerySet[Shift]:
    if user.reaches_all:
        return Shift.objects.all()
    return Shift.objects.filter(team__in=teams_for_user(user))


def get_shift_for_user(request: AuthedRequest, pk: int) -> Shift:
    return get_object_or_404(shifts_for_user(request.user).select_related("team"), pk=pk)


def get_signup_for_lead(request: AuthedRequest, pk: int) -> SignUp:
    """A sign-up of a shift the user can see; 403 unless they lead its team."""
    signup = get_object_or_404(
        SignUp.objects.filter(shift__in=shifts_for_user(request.user)).select_related(
            "shift__team", "person"
        ),
        pk=pk,
    )
    require_lead(request, signup.shift.team)
    return signup


def duty_teams_led_by(user: User) -> QuerySet[Team]:
    return Team.objects.filter(
        kind=Team.Kind.STAFF_DUTY,
        memberships__person_id=user.person_id or 0,
        memberships__is_lead=True,
    )


def can_see_roster(user: User) -> bool:
    return user.oversees or duty_teams_led_by(user).exists()


def require_roster_keeper(request: AuthedRequest) -> None:
    """The roster does not exist for anyone else: 404, like an unseen row."""
    if not can_see_roster(request.user):
        raise Http404


def roster_people_for_user(user: User) -> QuerySet[Person]:
    """Whose days a user may put on the roster: any member of staff for admins,
    the staff of their units for leaders, their team's members for a duty
    team's lead."""
    staff = Person.objects.filter(
        kind__in=[Person.Kind.TEACHER, Person.Kind.STAFF], status=Person.Status.PRESENT
    )
    units = user.reach_unit_ids
    if units is None:
        return staff
    led = Membership.objects.filter(team__in=duty_teams_led_by(user)).values("person_id")
    scope = Q(pk__in=led)
    if units:
        scope |= in_units_q(units)
    return staff.filter(scope)


def service_reports_for_user(user: User) -> QuerySet[ServiceReport]:
    overseen = overseen_q(user, "person__")
    if overseen is None:
        return ServiceReport.objects.all()
    return ServiceReport.objects.filter(overseen | Q(person_id=user.person_id or 0))


def get_service_report_for_user(request: AuthedRequest, pk: int) -> ServiceReport:
    return get_object_or_404(
        service_reports_for_user(request.user).select_related("person__admin_class", "reviewed_by"),
        pk=pk,
    )


def can_review(user: User, report: ServiceReport) -> bool:
    """The counsellor of the student's class approves or returns the report."""
    admin_class = report.person.admin_class
    return (
        admin_class is not None
        and admin_class.counsellor_id is not None
        and admin_class.counsellor_id == user.person_id
    )


def require_reviewer(request: AuthedRequest, report: ServiceReport) -> None:
    if not can_review(request.user, report):
        raise PermissionDenied


def can_report_service(user: User) -> bool:
    return user.has_role(Role.STUDENT)


def require_service_reporter(request: AuthedRequest) -> None:
    if not can_report_service(request.user):
        raise PermissionDenied
