"""Asking for leave and following a request: the requester's list and form, a
request's page with where it stands, its history and what the viewer may do,
the approver's queue and the followers' list."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouwang.accounts.http import AuthedRequest
from shouwang.core import audit
from shouwang.core.forms import first_error
from shouwang.lib import clock
from shouwang.people.access import classes_for_user
from shouwang.people.models import Person

from . import actions
from .access import (
    followed_requests,
    follows_leave,
    get_attachment_for_user,
    get_request_for_user,
    may_decide,
    overseen_requests_q,
    runs_leave,
)
from .audit import LeaveEvent
from .forms import ChangeForm, DecisionForm, ListForm, RequestForm
from .models import LeaveRequest, LeaveStep

# The followers' list, a page at a time.
PAGE_SIZE = 50
# The queue's "decided recently": this far back, at most this many.
DECIDED_RECENTLY = dt.timedelta(days=14)
DECIDED_SHOWN = 50


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    person_id = request.user.person_id
    mine = (
        LeaveRequest.objects.filter(person_id=person_id).select_related("kind")
        if person_id
        else LeaveRequest.objects.none()
    )
    context = {
        "requests": mine,
        "follows": follows_leave(request.user),
        "runs": runs_leave(request.user),
        "to_decide": LeaveRequest.objects.filter(
            approver_id=person_id, status=LeaveRequest.Status.PENDING
        ).count()
        if person_id
        else 0,
    }
    return render(request, "leave/index.html", context)


def _person(request: AuthedRequest) -> Person:
    person = request.user.person
    if person is None:
        # Only people of the roster ask for leave.
        raise PermissionDenied
    return person


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: AuthedRequest) -> HttpResponse:
    person = _person(request)
    if request.method == "POST":
        form = RequestForm(request.POST, request.FILES, person=person)
        if form.is_valid():
            leave = form.fill(LeaveRequest())
            try:
                actions.submit(leave, form.cleaned_data["documents"], acting_user=request.user)
            except ValidationError as error:
                form.add_errors(error)
            else:
                messages.success(request, _("Your request is sent."))
                return redirect(leave)
    else:
        form = RequestForm(initial=RequestForm.initial_for(person, clock.now()), person=person)
    return render(request, "leave/request_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def request_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """A request returned for changes, changed and sent again."""
    leave = get_request_for_user(request, pk)
    if leave.person_id != request.user.person_id or leave.status != LeaveRequest.Status.RETURNED:
        raise PermissionDenied
    if request.method == "POST":
        form = RequestForm(request.POST, request.FILES, person=leave.person)
        if form.is_valid():
            form.fill(leave)
            try:
                actions.resubmit(leave, form.cleaned_data["documents"], acting_user=request.user)
            except ValidationError as error:
                form.add_errors(error)
            else:
                messages.success(request, _("Your request is sent again."))
                return redirect(leave)
    else:
        form = RequestForm(initial=RequestForm.initial_from(leave), person=leave.person)
    return render(request, "leave/request_form.html", {"form": form, "leave": leave})


@login_required
@require_GET
def request_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    leave = get_request_for_user(request, pk)
    own = leave.person_id == request.user.person_id
    context = {
        "leave": leave,
        "own": own,
        "history": leave.history.select_related("by", "step__post", "step__person"),
        "attachments": leave.attachments.all(),
        "may_decide": may_decide(request.user, leave),
        "decision_form": DecisionForm(),
        "may_change": own and leave.in_effect and leave.back_at is None,
        "waiting_change": leave.changes.filter(status=LeaveRequest.Status.PENDING).first(),
        "overdue_wait": _past_limit(leave, clock.now()),
    }
    return render(request, "leave/request_detail.html", context)


def _past_limit(leave: LeaveRequest, now: dt.datetime) -> bool:
    """Waiting on its approver for longer than its kind allows."""
    since = leave.waiting_since
    return leave.status == LeaveRequest.Status.PENDING and bool(
        since and since + leave.kind.decide_within < now
    )


@login_required
@require_POST
def decide(request: AuthedRequest, pk: int) -> HttpResponse:
    leave = get_request_for_user(request, pk)
    if not may_decide(request.user, leave):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.decide(leave, data["outcome"], data["note"], acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your decision is recorded."))
            return redirect("leave:queue")
    else:
        messages.error(request, first_error(form))
    return redirect(leave)


@login_required
@require_POST
def withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    leave = get_request_for_user(request, pk)
    if leave.person_id != request.user.person_id:
        raise PermissionDenied
    try:
        actions.withdraw(leave, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your request is withdrawn."))
    return redirect(leave)


@login_required
@require_http_methods(["GET", "POST"])
def request_change(request: AuthedRequest, pk: int) -> HttpResponse:
    """Ask to extend or cancel an approved leave: through the chain again."""
    leave = get_request_for_user(request, pk)
    if leave.person_id != request.user.person_id:
        raise PermissionDenied
    form = ChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = actions.ask_change(
                leave, data["change"], data["reason"], data["ends_at"], acting_user=request.user
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.message_dict.items():
                    form.add_error("ends_on" if name == "ends_at" else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Your change is sent for approval."))
            return redirect(change)
    return render(request, "leave/request_change.html", {"leave": leave, "form": form})


@login_required
@require_GET
def attachment(request: AuthedRequest, pk: int) -> FileResponse:
    file = get_attachment_for_user(request, pk)
    leave = file.request
    if leave.person_id != request.user.person_id:
        # Someone else's doctor's note: health information, so the read is kept.
        audit.record(LeaveEvent.ATTACHMENT_READ, leave, acting_user=request.user, file=file.name)
    return file.download()


@login_required
@require_GET
def queue(request: AuthedRequest) -> HttpResponse:
    """What waits on me (oldest first), what was escalated to me as a leader
    or waits on nobody in my reach, and what I decided lately."""
    person_id = request.user.person_id
    now = clock.now()
    related = ("person__admin_class", "kind", "step__post", "step__person", "approver")
    waiting = list(
        LeaveRequest.objects.filter(approver_id=person_id, status=LeaveRequest.Status.PENDING)
        .select_related(*related)
        .order_by("waiting_since", "pk")
        if person_id
        else []
    )
    escalated: list[LeaveRequest] = []
    if runs_leave(request.user):
        scope = overseen_requests_q(request.user)
        left = LeaveRequest.objects.filter(
            Q(escalated_at__isnull=False) | Q(approver__isnull=True),
            status=LeaveRequest.Status.PENDING,
        )
        if scope is not None:
            left = left.filter(scope)
        if person_id:
            left = left.exclude(approver_id=person_id).exclude(person_id=person_id)
        escalated = list(left.select_related(*related).order_by("waiting_since", "pk"))
    decided = (
        LeaveStep.objects.filter(
            by_id=person_id, event__in=LeaveStep.DECISIONS, at__gte=now - DECIDED_RECENTLY
        )
        .select_related("request__person", "request__kind")
        .order_by("-at", "-pk")[:DECIDED_SHOWN]
        if person_id
        else LeaveStep.objects.none()
    )
    for leave in (*waiting, *escalated):
        leave.past_limit = _past_limit(leave, now)  # type: ignore[attr-defined]
        leave.waited = now - leave.waiting_since if leave.waiting_since else None  # type: ignore[attr-defined]
    context = {"waiting": waiting, "escalated": escalated, "decided": list(decided)}
    return render(request, "leave/queue.html", context)


@login_required
@require_GET
def request_list(request: AuthedRequest) -> HttpResponse:
    """Counsellors their classes' requests, leaders their units', admins all."""
    if not follows_leave(request.user):
        raise PermissionDenied
    form = ListForm(request.GET, classes=classes_for_user(request.user))
    requests = form.filter(followed_requests(request.user)).select_related(
        "person__admin_class", "kind", "approver"
    )
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "leave/request_list.html", {"form": form, "page": page})
