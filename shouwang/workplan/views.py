"""The plans a user may open."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shouwang.accounts.http import AuthedRequest

from .access import get_plan_for_user, may_lead_plans, plans_for_user, require_plan_reader


@login_required
@require_GET
def plan_list(request: AuthedRequest) -> HttpResponse:
    require_plan_reader(request)
    plans = plans_for_user(request.user).select_related("unit")
    return render(
        request,
        "workplan/plan_list.html",
        {"plans": plans, "may_create": may_lead_plans(request.user)},
    )


@login_required
@require_GET
def plan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk)
    return render(request, "workplan/plan_detail.html", {"plan": plan})
