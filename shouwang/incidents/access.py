"""Who sees and runs incidents. Everyone on the staff side (teachers,
counsellors, leaders, admins) sees incidents and their plans, except that a
leader sees only the incidents that cover some of their units (one of them,
or a unit above theirs); admins open, close and change any incident, a
leader those whose units all lie within their own unit's subtree; a plan
task's owner ticks it off.

Meetings: those held for an incident go with the incident. The college's own
meetings (the work-promotion meeting, no incident) name no unit, so everyone
on the staff side sees them (every teacher, counsellor, leader and admin; no
student), and leaders and admins record them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from shouwang.accounts.http import AuthedRequest
from shouwang.accounts.models import Role, User
from shouwang.core import db
from shouwang.people.models import AdminClass, Person

from .models import Decision, Incident, IncidentQuerySet, Meeting, PlanTask


def can_see_incidents(user: User) -> bool:
    return user.has_role(Role.TEACHER, Role.COUNSELLOR, Role.LEADER, Role.ADMIN)


def incidents_for_user(user: User) -> IncidentQuerySet:
    if not can_see_incidents(user):
        return Incident.objects.none()
    units = user.reach_unit_ids
    if units is None or not user.has_role(Role.LEADER):
        return Incident.objects.all()
    if not units:
        return Incident.objects.none()
    # A university-wide incident covers a college's leaders too.
    touching = units | user.unit_line_ids
    covering = Incident.units.through.objects.filter(unit_id__in=touching).values("incident_id")
    return Incident.objects.filter(pk__in=covering)


def require_incident_viewer(request: AuthedRequest) -> None:
    """Incident pages do not exist for students and volunteers: 404, like an unseen row."""
    if not can_see_incidents(request.user):
        raise Http404


def get_incident_for_user(request: AuthedRequest, pk: int) -> Incident:
    return get_object_or_404(
        incidents_for_user(request.user).select_related("opened_by__person", "closed_by__person"),
        pk=pk,
    )


def meetings_for_user(user: User) -> QuerySet[Meeting]:
    """The meetings of the incidents a user sees, and the college's own meetings
    (without an incident) for everyone on the staff side."""
    if not can_see_incidents(user):
        return Meeting.objects.none()
    return Meeting.objects.filter(
        Q(incident__isnull=True) | Q(incident__in=incidents_for_user(user).values("pk"))
    )


def get_meeting_for_user(request: AuthedRequest, pk: int) -> Meeting:
    return get_object_or_404(
        meetings_for_user(request.user).select_related("incident", "recorded_by__person"), pk=pk
    )


def get_decision_for_user(request: AuthedRequest, pk: int) -> Decision:
    """A decision of a meeting the user sees (what the work plan makes work of)."""
    return get_object_or_404(
        Decision.objects.filter(
            meeting__in=meetings_for_user(request.user).values("pk")
        ).select_related("meeting"),
        pk=pk,
    )


def can_manage_incidents(user: User, incident: Incident | None = None) -> bool:
    """Leaders and admins manage incidents; a leader one whose units all lie in their reach."""
    if not user.has_role(Role.LEADER, Role.ADMIN):
        return False
    if incident is None:
        return True
    units = user.reach_unit_ids
    return units is None or bool(units) and incident.unit_ids() <= units


def require_incident_manager(request: AuthedRequest, incident: Incident | None = None) -> None:
    if not can_manage_incidents(request.user, incident):
        raise PermissionDenied


def get_task_for_user(request: AuthedRequest, incident: Incident, pk: int) -> PlanTask:
    """A task of a visible incident; 403 unless the user manages incidents or owns it."""
    task = get_object_or_404(incident.tasks.select_related("owner", "done_by__person"), pk=pk)
    if not can_tick_task(request.user, task):
        raise PermissionDenied
    return task


def can_tick_task(user: User, task: PlanTask) -> bool:
    return can_manage_incidents(user, task.incident) or (
        task.owner_id is not None and task.owner_id == user.person_id
    )


def current_incident_for(person: Person | None) -> Incident | None:
    """The open incident whose check-in regime covers this person, if any (the
    earliest opened, should two overlap).

    One query. It decides from the person already loaded what
    `Incident.expected_people()` decides in SQL for everyone; a test holds the
    two to the same answers."""
    if person is None or person.status != Person.Status.PRESENT:
        return None
    unit_id = person.unit_id
    if unit_id is None and person.admin_class_id is not None:
        # A student with no unit belongs to their class's unit (people.models.in_units_q).
        unit_id = (
            AdminClass.objects.filter(pk=person.admin_class_id)
            .values_list("unit_id", flat=True)
            .first()
        )
    if unit_id is None:
        return None
    for incident in db.open_incidents_covering_unit(Incident, unit_id):
        if incident.reporters == Incident.Reporters.STUDENTS:
            if person.kind != Person.Kind.STUDENT:
                continue
        elif incident.reporters == Incident.Reporters.ON_CAMPUS and person.dorm_room_id is None:
            continue
        return incident
    return None
