"""A meeting's decision made into work by a leader of the plan: a milestone of
one of its measures, or a new measure. Both point back to the decision, and
the meeting's page lists them under it (contributions.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shouwang.accounts.http import AuthedRequest
from shouwang.incidents.access import get_decision_for_user
from shouwang.incidents.models import Decision

from . import actions
from .access import get_led_plan
from .forms_decision import DecisionMeasureForm, DecisionMilestoneForm


def _back_to(decision: Decision) -> HttpResponse:
    return redirect(f"{decision.meeting.get_absolute_url()}#decision-{decision.number}")


@login_required
@require_http_methods(["GET", "POST"])
def decision_milestone(request: AuthedRequest, plan_pk: int, pk: int) -> HttpResponse:
    plan = get_led_plan(request, plan_pk)
    decision = get_decision_for_user(request, pk)
    form = DecisionMilestoneForm(request.POST or None, plan=plan, decision=decision)
    if request.method == "POST" and form.is_valid():
        actions.milestone_from_decision(
            decision,
            form.cleaned_data["measure"],
            title=form.cleaned_data["title"],
            due_on=form.cleaned_data["due_on"],
            acting_user=request.user,
        )
        messages.success(request, _("The decision is now a milestone of the measure."))
        return _back_to(decision)
    return render(
        request,
        "workplan/decision_form.html",
        {
            "plan": plan,
            "decision": decision,
            "form": form,
            "title": _("Make a milestone of the decision"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_measure(request: AuthedRequest, plan_pk: int, pk: int) -> HttpResponse:
    plan = get_led_plan(request, plan_pk)
    decision = get_decision_for_user(request, pk)
    form = DecisionMeasureForm(request.POST or None, plan=plan, decision=decision)
    if request.method == "POST" and form.is_valid():
        actions.measure_from_decision(decision, form.instance, acting_user=request.user)
        messages.success(request, _("The decision is now a measure of the plan."))
        return _back_to(decision)
    return render(
        request,
        "workplan/decision_form.html",
        {
            "plan": plan,
            "decision": decision,
            "form": form,
            "title": _("Make a new measure of the decision"),
        },
    )
