"""Who sees which teams, shifts, roster days and service reports.

Members see their teams and those teams' shifts; a team's leads check its
members in and out; leaders and admins see every team, the roster and the
counts. The roster is kept by leaders and admins and by the leads of staff
duty teams (for their own team's members). A student sees their own service
reports; the counsellor of their class approves or returns them. Outside
that, 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from shouwang.accounts.models import Role
from shouwang.people.models import Person

from .models import Membership, ServiceReport, Shift, SignUp, Team


def teams_for_user(user) -> QuerySet[Team]:
    if user.sees_everyone:
        return Team.objects.all()
    return Team.objects.filter(memberships__person_id=user.person_id or 0)


def get_team_for_user(request, pk: int) -> Team:
    return get_object_or_404(teams_for_user(request.user), pk=pk)


def leads(user, team: Team) -> bool:
    """A team's leads, and leaders and admins, run its shifts."""
    if user.sees_everyone:
        return True
    return Membership.objects.filter(
        team=team, person_id=user.person_id or 0, is_lead=True
    ).exists()


def require_lead(request, team: Team) -> None:
    if not leads(request.user, team):
        raise PermissionDenied


def is_member(user, team: Team) -> bool:
    return Membership.objects.filter(team=team, person_id=user.person_id or 0).exists()


def shifts_for_user(user) -> QuerySet[Shift]:
    if user.sees_everyone:
        return Shift.objects.all()
    return Shift.objects.filter(team__memberships__person_id=user.person_id or 0)


def get_shift_for_user(request, pk: int) -> Shift:
    return get_object_or_404(shifts_for_user(request.user).select_related("team"), pk=pk)


def get_signup_for_lead(request, pk: int) -> SignUp:
    """A sign-up of a shift the user can see; 403 unless they lead its team."""
    signup = get_object_or_404(
        SignUp.objects.filter(shift__in=shifts_for_user(request.user)).select_related(
            "shift__team", "person"
        ),
        pk=pk,
    )
    require_lead(request, signup.shift.team)
    return signup


def duty_teams_led_by(user) -> QuerySet[Team]:
    return Team.objects.filter(
        kind=Team.Kind.STAFF_DUTY,
        memberships__person_id=user.person_id or 0,
        memberships__is_lead=True,
    )


def can_see_roster(user) -> bool:
    return user.sees_everyone or duty_teams_led_by(user).exists()


def require_roster_keeper(request) -> None:
    """The roster does not exist for anyone else: 404, like an unseen row."""
    if not can_see_roster(request.user):
        raise Http404


def roster_people_for_user(user) -> QuerySet[Person]:
    """Whose days a user may put on the roster: any member of staff for leaders
    and admins, their team's members for a duty team's lead."""
    staff = Person.objects.filter(
        kind__in=[Person.Kind.TEACHER, Person.Kind.STAFF], status=Person.Status.PRESENT
    )
    if user.sees_everyone:
        return staff
    return staff.filter(memberships__team__in=duty_teams_led_by(user)).distinct()


def service_reports_for_user(user) -> QuerySet[ServiceReport]:
    if user.sees_everyone:
        return ServiceReport.objects.all()
    scope = Q(person_id=user.person_id or 0)
    if user.has_role(Role.COUNSELLOR):
        scope |= Q(person__admin_class__counsellor_id=user.person_id)
    return ServiceReport.objects.filter(scope)


def get_service_report_for_user(request, pk: int) -> ServiceReport:
    return get_object_or_404(
        service_reports_for_user(request.user).select_related("person__admin_class", "reviewed_by"),
        pk=pk,
    )


def can_review(user, report: ServiceReport) -> bool:
    """The counsellor of the student's class approves or returns the report."""
    admin_class = report.person.admin_class
    return (
        admin_class is not None
        and admin_class.counsellor_id is not None
        and admin_class.counsellor_id == user.person_id
    )


def require_reviewer(request, report: ServiceReport) -> None:
    if not can_review(request.user, report):
        raise PermissionDenied


def can_report_service(user) -> bool:
    return user.has_role(Role.STUDENT)


def require_service_reporter(request) -> None:
    if not can_report_service(request.user):
        raise PermissionDenied
