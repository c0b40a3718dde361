"""Who sees and runs which activity, entry and judging.

Every logged-in person sees the activities (a student joins those open to
them). Leaders run the activities of the units they reach and admins all; an
activity's organisers run it. A student sees their own sign-ups and entries
and their team's; a judge the entries assigned to them, nothing of the
others' scores. Outside these: 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from shouwang.accounts.models import Role
from shouwang.people.access import classes_for_user
from shouwang.people.models import AdminClass, Person

from .models import (
    Activity,
    AttendanceImport,
    Award,
    Entry,
    EntryFile,
    JudgeAssignment,
    Objection,
    Session,
    SignUp,
)

if TYPE_CHECKING:
    from shouwang.accounts.http import AuthedRequest
    from shouwang.accounts.models import User


def creates_activities(user: User) -> bool:
    """Leaders and admins open activities and name their organisers."""
    return user.has_role(Role.LEADER, Role.ADMIN)


def require_creator(request: AuthedRequest) -> None:
    if not creates_activities(request.user):
        raise PermissionDenied


def activities_for_user(user: User) -> QuerySet[Activity]:
    return Activity.objects.all()


def get_activity_for_user(request: AuthedRequest, pk: int) -> Activity:
    return get_object_or_404(activities_for_user(request.user), pk=pk)


def run_activities_q(user: User) -> Q:
    """The activities a user runs: as an organiser, a leader of its unit, an admin."""
    if user.has_role(Role.ADMIN):
        return ~Q(pk__in=[])
    scope = Q(pk__in=[])
    if user.has_role(Role.LEADER):
        units = user.reach_unit_ids
        if units is None:
            return ~Q(pk__in=[])
        if units:
            scope |= Q(unit_id__in=units)
    if user.person_id:
        scope |= Q(organisers=user.person_id)
    return scope


def runs(user: User, activity: Activity) -> bool:
    return Activity.objects.filter(run_activities_q(user), pk=activity.pk).exists()


def get_run_activity_for_user(request: AuthedRequest, pk: int) -> Activity:
    """An activity the user runs: one they only see is 403."""
    activity = get_activity_for_user(request, pk)
    if not runs(request.user, activity):
        raise PermissionDenied
    return activity


def entries_for_user(user: User) -> QuerySet[Entry]:
    """The entries of the activities a user runs, their own and their team's,
    and those assigned to them to judge."""
    run = Activity.objects.filter(run_activities_q(user)).values("pk")
    scope = Q(activity__in=run)
    if user.person_id:
        scope |= Q(person_id=user.person_id)
        scope |= Q(team__members__person_id=user.person_id)
        scope |= Q(assignments__judge_id=user.person_id)
    return Entry.objects.filter(scope).distinct()


def get_entry_for_user(request: AuthedRequest, pk: int) -> Entry:
    return get_object_or_404(entries_for_user(request.user), pk=pk)


def signups_for_user(user: User) -> QuerySet[SignUp]:
    run = Activity.objects.filter(run_activities_q(user)).values("pk")
    scope = Q(activity__in=run)
    if user.person_id:
        scope |= Q(person_id=user.person_id)
    return SignUp.objects.filter(scope)


def assignments_for_user(user: User) -> QuerySet[JudgeAssignment]:
    """A judge's own assignments."""
    if not user.person_id:
        return JudgeAssignment.objects.none()
    return JudgeAssignment.objects.filter(judge_id=user.person_id)


def get_assignment_for_user(request: AuthedRequest, pk: int) -> JudgeAssignment:
    return get_object_or_404(assignments_for_user(request.user), pk=pk)


# Judging: the runners see all of it; a judge their own sheets; a student the
# published results and their own award.


def get_judged_activity_for_user(request: AuthedRequest, pk: int) -> Activity:
    """An activity the user runs whose entries are judged here (it takes
    entries and is not external): 403 for one they only see, 404 for one with
    nothing to judge."""
    activity = get_run_activity_for_user(request, pk)
    if not activity.takes_entries or activity.external:
        raise Http404
    return activity


def sheets_for_user(user: User) -> QuerySet[JudgeAssignment]:
    """The score sheets a user may open: their own as a judge, and every
    sheet of the activities they run."""
    run = Activity.objects.filter(run_activities_q(user)).values("pk")
    scope = Q(activity__in=run)
    if user.person_id:
        scope |= Q(judge_id=user.person_id)
    return JudgeAssignment.objects.filter(scope)


def get_sheet_for_user(request: AuthedRequest, pk: int) -> JudgeAssignment:
    return get_object_or_404(
        sheets_for_user(request.user).select_related("activity", "entry", "judge"), pk=pk
    )


def won_q(person_id: int | None) -> Q:
    """The awards a person won: alone, or as a member of the team."""
    if person_id is None:
        return Q(pk__in=[])
    return Q(entry__team__isnull=True, entry__person_id=person_id) | Q(
        entry__team__members__person_id=person_id
    )


def awards_for_user(user: User) -> QuerySet[Award]:
    """The awards of the activities a user runs, and their own once published."""
    run = Activity.objects.filter(run_activities_q(user)).values("pk")
    scope = Q(activity__in=run) | (
        won_q(user.person_id) & Q(activity__results_published_at__isnull=False)
    )
    return Award.objects.filter(scope).distinct()


def get_award_for_user(request: AuthedRequest, pk: int) -> Award:
    return get_object_or_404(awards_for_user(request.user), pk=pk)


def objections_for_user(user: User) -> QuerySet[Objection]:
    """The objections to the activities a user runs, and their own."""
    run = Activity.objects.filter(run_activities_q(user)).values("pk")
    scope = Q(activity__in=run)
    if user.person_id:
        scope |= Q(person_id=user.person_id)
    return Objection.objects.filter(scope)


def get_answerable_objection_for_user(request: AuthedRequest, pk: int) -> Objection:
    """An objection to an activity the user runs: 403 for their own otherwise."""
    objection = get_object_or_404(
        objections_for_user(request.user).select_related("activity", "person"), pk=pk
    )
    if not runs(request.user, objection.activity):
        raise PermissionDenied
    return objection


def may_judge(user: User) -> bool:
    """Whom the menu offers their entries to judge: teachers, staff and
    leaders (a student judge follows the message that tells them)."""
    person = user.person
    return (person is not None and person.kind != Person.Kind.STUDENT) or user.has_role(Role.LEADER)


# Taking part: students' own pages, sessions and their attendance files,
# entries' files, the 第二课堂 records and the counts.


def require_student(request: AuthedRequest) -> Person:
    """Signing up, teams and entries are a student's: anyone else 403."""
    person = request.user.person
    if person is None or person.kind != Person.Kind.STUDENT:
        raise PermissionDenied
    return person


def require_person(request: AuthedRequest) -> Person:
    person = request.user.person
    if person is None:
        raise PermissionDenied
    return person


def sessions_for_user(user: User) -> QuerySet[Session]:
    """Everyone sees the sessions of the activities they see: when and where to join."""
    return Session.objects.filter(activity__in=activities_for_user(user))


def get_run_session_for_user(request: AuthedRequest, pk: int) -> Session:
    """A session of an activity the user runs: one they only see is 403."""
    session = get_object_or_404(sessions_for_user(request.user).select_related("activity"), pk=pk)
    if not runs(request.user, session.activity):
        raise PermissionDenied
    return session


def attendance_imports_for_user(user: User) -> QuerySet[AttendanceImport]:
    """The attendance files of the activities a user runs."""
    run = Activity.objects.filter(run_activities_q(user)).values("pk")
    return AttendanceImport.objects.filter(session__activity__in=run)


def get_attendance_import_for_user(request: AuthedRequest, pk: int) -> AttendanceImport:
    return get_object_or_404(
        attendance_imports_for_user(request.user).select_related("session__activity"), pk=pk
    )


def get_entry_file_for_user(request: AuthedRequest, entry_pk: int, pk: int) -> EntryFile:
    """A file of an entry the user sees."""
    entry = get_entry_for_user(request, entry_pk)
    return get_object_or_404(EntryFile, entry=entry, pk=pk)


def runs_any(user: User) -> bool:
    """Whether the user runs an activity, or may open one (the counts page)."""
    return creates_activities(user) or Activity.objects.filter(run_activities_q(user)).exists()


def get_class_for_record(request: AuthedRequest, pk: int) -> AdminClass:
    """A class whose 第二课堂 record the user may read: their counselled
    classes, a leader's units' classes, every class for an admin."""
    return get_object_or_404(classes_for_user(request.user), pk=pk)
