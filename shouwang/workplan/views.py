"""The plans a user may open, and a plan's outline entered in the page: the
plan, its areas, key points and measures (numbered as the college numbers
them, the next number each time)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, QuerySet, Value, When
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from shouwang.accounts.http import AuthedRequest
from shouwang.accounts.models import User
from shouwang.people.models import Unit

from . import actions
from .access import (
    get_editable_measure,
    get_led_area,
    get_led_key_point,
    get_led_plan,
    get_plan_for_user,
    leads,
    may_lead_plans,
    plans_for_user,
    require_plan_reader,
)
from .forms import AreaForm, KeyPointForm, MeasureForm, PlanForm
from .models import KeyPoint, Measure, Plan
from .outline import outline


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
    context = {
        "plan": plan,
        "outline": outline(plan, request.user),
        "leads": leads(request.user, plan),
    }
    return render(request, "workplan/plan_detail.html", context)


def reached_units(user: User) -> QuerySet[Unit]:
    """The units whose plans a user may make: those they lead (all for an admin)."""
    units = user.reach_unit_ids
    return Unit.objects.all() if units is None else Unit.objects.filter(pk__in=units)


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request: AuthedRequest) -> HttpResponse:
    if not may_lead_plans(request.user):
        raise PermissionDenied
    form = PlanForm(request.POST or None, units=reached_units(request.user))
    if request.method == "POST" and form.is_valid():
        plan = actions.save_plan(form.instance, acting_user=request.user)
        return redirect(plan)
    return render(request, "workplan/plan_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_led_plan(request, pk)
    form = PlanForm(request.POST or None, instance=plan, units=reached_units(request.user))
    if request.method == "POST" and form.is_valid():
        actions.save_plan(form.instance, acting_user=request.user)
        return redirect(plan)
    return render(request, "workplan/plan_form.html", {"form": form, "plan": plan})


@login_required
@require_http_methods(["GET", "POST"])
def area_new(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_led_plan(request, pk)
    form = AreaForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        actions.save_area(form.instance, acting_user=request.user)
        return redirect(plan)
    return render(request, "workplan/outline_form.html", {"form": form, "plan": plan})


@login_required
@require_http_methods(["GET", "POST"])
def area_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    area = get_led_area(request, pk)
    form = AreaForm(request.POST or None, instance=area, plan=area.plan)
    if request.method == "POST" and form.is_valid():
        actions.save_area(form.instance, acting_user=request.user)
        return redirect(area.plan)
    context = {"form": form, "plan": area.plan, "item": area}
    return render(request, "workplan/outline_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def key_point_new(request: AuthedRequest, pk: int) -> HttpResponse:
    area = get_led_area(request, pk)
    form = KeyPointForm(request.POST or None, area=area)
    if request.method == "POST" and form.is_valid():
        actions.save_key_point(form.instance, acting_user=request.user)
        return redirect(area.plan)
    context = {"form": form, "plan": area.plan, "area": area}
    return render(request, "workplan/outline_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def key_point_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    key_point = get_led_key_point(request, pk)
    area = key_point.area
    form = KeyPointForm(request.POST or None, instance=key_point, area=area)
    if request.method == "POST" and form.is_valid():
        actions.save_key_point(form.instance, acting_user=request.user)
        return redirect(area.plan)
    context = {"form": form, "plan": area.plan, "area": area, "item": key_point}
    return render(request, "workplan/outline_form.html", context)


def owner_units(plan: Plan) -> QuerySet[Unit]:
    """The units that may lead a plan's measure: any (a university office may
    lead a college's measure, as an imported outline may say); the plan's
    college and the units under it first."""
    own = Unit.subtree_ids([plan.unit_id])
    return Unit.objects.annotate(
        outside=Case(When(pk__in=own, then=Value(0)), default=Value(1))
    ).order_by("outside", "name")


def _measure_page(
    request: AuthedRequest, form: MeasureForm, key_point: KeyPoint, measure: Measure | None
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        saved = actions.save_measure(
            form.instance,
            co_owners=form.cleaned_data["co_owners"],
            acting_user=request.user,
        )
        return redirect(saved)
    context = {
        "form": form,
        "plan": key_point.area.plan,
        "area": key_point.area,
        "key_point": key_point,
        "measure": measure,
    }
    return render(request, "workplan/measure_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def measure_new(request: AuthedRequest, pk: int) -> HttpResponse:
    key_point = get_led_key_point(request, pk)
    plan = key_point.area.plan
    form = MeasureForm(
        request.POST or None,
        initial={"owner_unit": plan.unit_id},
        key_point=key_point,
        leads=True,
        units=owner_units(plan),
    )
    return _measure_page(request, form, key_point, None)


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    measure = get_editable_measure(request, pk)
    key_point = measure.key_point
    plan = key_point.area.plan
    form = MeasureForm(
        request.POST or None,
        instance=measure,
        key_point=key_point,
        leads=leads(request.user, plan),
        units=owner_units(plan),
    )
    return _measure_page(request, form, key_point, measure)
