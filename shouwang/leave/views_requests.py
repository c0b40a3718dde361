"""Asking for leave and following a request: the requester's list, a
request's page with where it stands and its whole history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shouwang.accounts.http import AuthedRequest

from .access import get_request_for_user, may_decide
from .models import LeaveRequest


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    person_id = request.user.person_id
    mine = (
        LeaveRequest.objects.filter(person_id=person_id).select_related("kind")
        if person_id
        else LeaveRequest.objects.none()
    )
    return render(request, "leave/index.html", {"requests": mine})


@login_required
@require_GET
def request_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    leave = get_request_for_user(request, pk)
    context = {
        "leave": leave,
        "history": leave.history.select_related("by", "step__post", "step__person"),
        "attachments": leave.attachments.all(),
        "may_decide": may_decide(request.user, leave),
    }
    return render(request, "leave/request_detail.html", context)
