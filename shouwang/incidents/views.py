from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet, prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouwang.accounts.http import AuthedRequest
from shouwang.lib import clock
from shouwang.people.access import units_for_user
from shouwang.people.models import Person, in_units_q

from .access import (
    can_manage_incidents,
    can_tick_task,
    get_incident_for_user,
    get_task_for_user,
    incidents_for_user,
    require_incident_manager,
    require_incident_viewer,
)
from .actions import (
    IncidentClosed,
    TaskAlreadyDone,
    add_task,
    assign_task,
    change_regime,
    close_incident,
    complete_task,
    open_incident,
    record_meeting,
)
from .forms import MeetingForm, OpenIncidentForm, RegimeForm, TaskDoneForm, TaskForm
from .models import Incident, PlanTask

if TYPE_CHECKING:
    from shouwang.accounts.models import User


def _refuse_closed(request: AuthedRequest, incident: Incident) -> HttpResponse:
    messages.warning(request, _("This incident is closed: it can no longer be changed."))
    return redirect(incident)


def _form_page(
    request: AuthedRequest,
    form: forms.Form,
    *,
    title: str,
    submit: str,
    incident: Incident | None = None,
) -> HttpResponse:
    return render(
        request,
        "incidents/form.html",
        {"form": form, "title": title, "submit": submit, "incident": incident},
    )


@login_required
@require_GET
def incident_list(request: AuthedRequest) -> HttpResponse:
    require_incident_viewer(request)
    incidents = (
        incidents_for_user(request.user)
        .open_first()
        .prefetch_related("units")
        .annotate(
            task_count=Count("tasks"),
            done_count=Count("tasks", filter=Q(tasks__done_at__isnull=False)),
            overdue_count=Count(
                "tasks", filter=Q(tasks__done_at__isnull=True, tasks__due_at__lt=clock.now())
            ),
        )
    )
    my_tasks = PlanTask.objects.none()
    if request.user.person_id:
        my_tasks = PlanTask.objects.filter(
            owner_id=request.user.person_id,
            done_at__isnull=True,
            incident__in=incidents_for_user(request.user).open(),
        ).select_related("incident")
    return render(
        request,
        "incidents/incident_list.html",
        {
            "incidents": incidents,
            "my_tasks": my_tasks,
            "can_manage": can_manage_incidents(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_open(request: AuthedRequest) -> HttpResponse:
    require_incident_viewer(request)
    require_incident_manager(request)
    form = OpenIncidentForm(request.POST or None)
    coverage = None
    # A leader opens an incident for their own units only.
    form.fields["units"].queryset = units_for_user(request.user)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        if form.was_previewed:
            incident = open_incident(**form.opening(), acting_user=request.user, request=request)
            messages.success(
                request, _("The incident is open and its check-in regime has started.")
            )
            return redirect(incident)
        # First see whom it covers, then open it.
        coverage = form.coverage()
    return render(
        request,
        "incidents/form.html",
        {
            "form": form,
            "title": _("Open an incident"),
            "submit": _("Open the incident") if coverage else _("See whom it covers"),
            "coverage": coverage,
        },
    )


def _expected(user: User, incident: Incident) -> QuerySet[Person]:
    """The incident's expected people a viewer may count: a leader their units'."""
    people = incident.expected_people()
    units = user.reach_unit_ids
    if units is not None and user.oversees:
        people = people.filter(in_units_q(units))
    return people


@login_required
@require_GET
def incident_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    incident = get_incident_for_user(request, pk)
    prefetch_related_objects([incident], "units")
    return render(
        request,
        "incidents/incident_detail.html",
        {
            "incident": incident,
            "expected_count": _expected(request.user, incident).count(),
            "tasks": incident.tasks.select_related("owner", "done_by__person"),
            "meetings": incident.meetings.select_related("recorded_by__person").prefetch_related(
                "decisions"
            ),
            "can_manage": can_manage_incidents(request.user, incident),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_settings(request: AuthedRequest, pk: int) -> HttpResponse:
    incident = get_incident_for_user(request, pk)
    require_incident_manager(request, incident)
    if not incident.is_open:
        return _refuse_closed(request, incident)
    form = RegimeForm(request.POST or None, initial=RegimeForm.initial_for(incident))
    if request.method == "POST" and form.is_valid():
        try:
            changes = change_regime(
                incident, **form.cleaned_data, acting_user=request.user, request=request
            )
        except IncidentClosed:
            return _refuse_closed(request, incident)
        if changes:
            messages.success(request, _("The check-in regime is changed."))
        return redirect(incident)
    return _form_page(
        request,
        form,
        title=_("Change the check-in regime"),
        submit=_("Save"),
        incident=incident,
    )


@login_required
@require_POST
def incident_close(request: AuthedRequest, pk: int) -> HttpResponse:
    incident = get_incident_for_user(request, pk)
    require_incident_manager(request, incident)
    try:
        close_incident(incident, acting_user=request.user, request=request)
    except IncidentClosed:
        messages.info(request, _("This incident was already closed."))
    else:
        messages.success(request, _("The incident is closed and its check-in regime has ended."))
    return redirect(incident)


def _task_row(
    request: AuthedRequest, incident: Incident, task: PlanTask, form: TaskDoneForm | None = None
) -> HttpResponse:
    context = {
        "incident": incident,
        "task": task,
        "tick_form": form,
        "can_manage": can_manage_incidents(request.user, incident),
    }
    return render(request, "incidents/incident_detail.html#task", context)


@login_required
@require_http_methods(["GET", "POST"])
def task_detail(request: AuthedRequest, pk: int, task_pk: int) -> HttpResponse:
    """A plan task; POST ticks it off with a note (its owner or a manager)."""
    incident = get_incident_for_user(request, pk)
    task = get_task_for_user(request, incident, task_pk)
    form = TaskDoneForm(request.POST or None)
    if request.method == "POST":
        if not incident.is_open:
            return _refuse_closed(request, incident)
        if form.is_valid():
            try:
                complete_task(
                    task, note=form.cleaned_data["note"], acting_user=request.user, request=request
                )
            except TaskAlreadyDone:
                messages.info(request, _("Someone else ticked this task off first."))
            except IncidentClosed:
                return _refuse_closed(request, incident)
            task = get_task_for_user(request, incident, task_pk)
            if request.htmx:
                return _task_row(request, incident, task)
            return redirect(f"{incident.get_absolute_url()}#task-{task.pk}")
        if request.htmx:
            return _task_row(request, incident, task, form)
    return _task_page(request, incident, task, form)


def _task_page(
    request: AuthedRequest,
    incident: Incident,
    task: PlanTask,
    form: TaskDoneForm | None = None,
    assign_form: TaskForm | None = None,
) -> HttpResponse:
    if assign_form is None and can_manage_incidents(request.user, incident):
        assign_form = TaskForm(
            with_title=False, initial={"owner": task.owner_id, "due_at": task.due_at}
        )
    return render(
        request,
        "incidents/task_detail.html",
        {
            "incident": incident,
            "task": task,
            "tick_form": form,
            "assign_form": assign_form,
            "can_tick": incident.is_open and not task.is_done and can_tick_task(request.user, task),
        },
    )


@login_required
@require_POST
def task_assign(request: AuthedRequest, pk: int, task_pk: int) -> HttpResponse:
    incident = get_incident_for_user(request, pk)
    require_incident_manager(request, incident)
    task = get_task_for_user(request, incident, task_pk)
    if not incident.is_open:
        return _refuse_closed(request, incident)
    form = TaskForm(request.POST, with_title=False)
    if not form.is_valid():
        return _task_page(request, incident, task, TaskDoneForm(), assign_form=form)
    try:
        assign_task(task, **form.cleaned_data, acting_user=request.user, request=request)
    except IncidentClosed:
        return _refuse_closed(request, incident)
    messages.success(request, _("The task's owner and due time are saved."))
    return redirect(f"{incident.get_absolute_url()}#task-{task.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def task_new(request: AuthedRequest, pk: int) -> HttpResponse:
    incident = get_incident_for_user(request, pk)
    require_incident_manager(request, incident)
    if not incident.is_open:
        return _refuse_closed(request, incident)
    form = TaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            task = add_task(
                incident, **form.cleaned_data, acting_user=request.user, request=request
            )
        except IncidentClosed:
            return _refuse_closed(request, incident)
        return redirect(f"{incident.get_absolute_url()}#task-{task.pk}")
    return _form_page(request, form, title=_("Add a task"), submit=_("Add"), incident=incident)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: AuthedRequest, pk: int) -> HttpResponse:
    incident = get_incident_for_user(request, pk)
    require_incident_manager(request, incident)
    if not incident.is_open:
        return _refuse_closed(request, incident)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_meeting(incident, **form.cleaned_data, acting_user=request.user, request=request)
        except IncidentClosed:
            return _refuse_closed(request, incident)
        messages.success(request, _("The meeting is recorded."))
        return redirect(reverse("incidents:incident_detail", args=[incident.pk]) + "#meetings")
    return _form_page(
        request, form, title=_("Record a meeting"), submit=_("Record"), incident=incident
    )
