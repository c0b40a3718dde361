"""A measure as a project, and its progress reports.

The measure's page shows its place in the outline, state, owners, dates and
milestones to every staff member of the college; its budget, expenditures,
reports and history to those who see its detail (owners, co-owners, the
plan's leaders, its reviewers). The breakthrough and its evidence are the
college's achievement: every reader of the measure sees them.

The page's forms post to small views that, on an error, show the page again
with the form's errors; on success they go back to the page.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shouwang.accounts.http import AuthedRequest
from shouwang.core import audit
from shouwang.core.models import LogEntry
from shouwang.incidents.models import Decision
from shouwang.lib import clock

from . import actions
from .access import (
    get_editable_measure,
    get_measure_for_user,
    get_report_for_user,
    leads,
    may_edit,
    measures_for_user,
    reports_for_user,
    reports_to_score,
    reports_to_write,
    require_plan_reader,
    sees_detail,
)
from .forms_measure import (
    BreakthroughForm,
    CompletionForm,
    DecideCompletionForm,
    ExpenditureForm,
    MilestoneDoneForm,
    MilestoneForm,
    ReportForm,
    ScoreForm,
    StatusForm,
)
from .history import history_lines
from .models import Evidence, Measure, Milestone, Report, ReportFile, Status


def _measure_page(
    request: AuthedRequest, measure: Measure, bound: dict[str, forms.BaseForm] | None = None
) -> HttpResponse:
    """The measure's page, with `bound` forms (sent and refused) in place of empty ones."""
    user = request.user
    plan = measure.key_point.area.plan
    detail = sees_detail(user, measure)
    editable = may_edit(user, measure)
    leader = leads(user, plan)
    milestones = list(measure.milestones.select_related("decision__meeting"))
    state = measure.current_state
    context: dict[str, Any] = {
        "measure": measure,
        "plan": plan,
        "state": state,
        "state_label": Status(state).label,
        "co_owners": list(measure.co_owners.order_by("name")),
        "milestones": milestones,
        "evidence": list(measure.evidence.all()),
        "sees_detail": detail,
        "may_edit": editable and measure.status != Status.DONE,
        "leads": leader,
    }
    if measure.decision_id:
        context["decision"] = Decision.objects.select_related("meeting").get(pk=measure.decision_id)
    if detail:
        expenditures = list(measure.expenditures.select_related("booked_by__person"))
        spent = sum((row.amount for row in expenditures), Decimal(0))
        # Actions only: who merely looked is the access log's business.
        reads = [code for code, kind in audit.kinds().items() if kind.read]
        entries = (
            LogEntry.objects.get_for_object(measure)
            .exclude(kind__in=reads)
            .select_related("actor__person")
            .order_by("-timestamp", "-pk")
        )
        context.update(
            expenditures=expenditures,
            spent=spent,
            left=measure.budget - spent,
            reports=list(measure.reports.all()),
            history=[(entry, history_lines(entry.additional_data)) for entry in entries],
        )
    forms_shown: dict[str, forms.BaseForm] = {}
    if editable and measure.status != Status.DONE:
        forms_shown.update(
            status_form=StatusForm(initial={"status": measure.status}),
            milestone_form=MilestoneForm(),
            expenditure_form=ExpenditureForm(),
            completion_form=CompletionForm(),
        )
    if leader:
        if measure.completion_reported_at and measure.status != Status.DONE:
            forms_shown["decide_form"] = DecideCompletionForm()
        forms_shown["breakthrough_form"] = BreakthroughForm(initial={"text": measure.breakthrough})
    forms_shown.update(bound or {})
    context.update(forms_shown)
    context["done_form"] = MilestoneDoneForm(auto_id=False)
    return render(request, "workplan/measure_detail.html", context)


@login_required
@require_GET
def measure_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _measure_page(request, get_measure_for_user(request, pk))


def _editable(request: AuthedRequest, pk: int) -> Measure:
    """A measure its owners or leaders may still change: a done one is not."""
    measure = get_editable_measure(request, pk)
    if measure.status == Status.DONE:
        raise PermissionDenied
    return measure


def _led(request: AuthedRequest, pk: int) -> Measure:
    measure = get_measure_for_user(request, pk)
    if not leads(request.user, measure.key_point.area.plan):
        raise PermissionDenied
    return measure


def _refused(
    request: AuthedRequest, measure: Measure, name: str, form: forms.BaseForm
) -> HttpResponse:
    return _measure_page(request, measure, {name: form})


@login_required
@require_POST
def measure_status(request: AuthedRequest, pk: int) -> HttpResponse:
    measure = _editable(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            actions.set_status(measure, form.cleaned_data["status"], acting_user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Status set."))
            return redirect(measure)
    return _refused(request, measure, "status_form", form)


@login_required
@require_POST
def milestone_new(request: AuthedRequest, pk: int) -> HttpResponse:
    measure = _editable(request, pk)
    form = MilestoneForm(request.POST, instance=Milestone(measure=measure))
    if form.is_valid():
        actions.save_milestone(form.instance, acting_user=request.user)
        messages.success(request, _("Milestone added."))
        return redirect(measure)
    return _refused(request, measure, "milestone_form", form)


@login_required
@require_POST
def milestone_done(request: AuthedRequest, pk: int, milestone_pk: int) -> HttpResponse:
    """Mark a milestone reached (on the day given, or today)."""
    measure = _editable(request, pk)
    milestone = get_object_or_404(measure.milestones, pk=milestone_pk)
    form = MilestoneDoneForm(request.POST)
    if form.is_valid():
        milestone.done_on = form.cleaned_data["done_on"]
        actions.save_milestone(milestone, acting_user=request.user)
        messages.success(request, _("Milestone marked done."))
    else:
        messages.error(request, _("Give the day the milestone was reached."))
    return redirect(measure)


@login_required
@require_POST
def expenditure_new(request: AuthedRequest, pk: int) -> HttpResponse:
    measure = _editable(request, pk)
    form = ExpenditureForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.book_expenditure(
                measure,
                amount=data["amount"],
                spent_on=data["spent_on"],
                purpose=data["purpose"],
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error("amount", error)
        else:
            messages.success(request, _("Expenditure booked."))
            return redirect(measure)
    return _refused(request, measure, "expenditure_form", form)


@login_required
@require_POST
def completion_report(request: AuthedRequest, pk: int) -> HttpResponse:
    """The owner reports the measure complete; the plan's leaders decide."""
    measure = _editable(request, pk)
    form = CompletionForm(request.POST)
    if form.is_valid():
        try:
            actions.report_completion(
                measure, note=form.cleaned_data["note"], acting_user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Reported complete: the plan's leaders are asked."))
            return redirect(measure)
    return _refused(request, measure, "completion_form", form)


@login_required
@require_POST
def completion_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    """A leader of the plan accepts the reported completion or returns it."""
    measure = _led(request, pk)
    form = DecideCompletionForm(request.POST)
    if form.is_valid():
        try:
            actions.decide_completion(
                measure,
                accept=form.accepts,
                comment=form.cleaned_data["comment"],
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect(measure)
    return _refused(request, measure, "decide_form", form)


@login_required
@require_POST
def breakthrough(request: AuthedRequest, pk: int) -> HttpResponse:
    """A leader of the plan marks (or unmarks) the breakthrough, with evidence."""
    measure = _led(request, pk)
    form = BreakthroughForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.mark_breakthrough(
                measure,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error("files", error)
        else:
            messages.success(request, _("Breakthrough saved."))
            return redirect(measure)
    return _refused(request, measure, "breakthrough_form", form)


@login_required
@require_GET
def evidence_download(request: AuthedRequest, pk: int) -> FileResponse:
    """A breakthrough's evidence, for whoever may open its measure."""
    evidence = get_object_or_404(
        Evidence.objects.filter(measure__in=measures_for_user(request.user).values("pk")), pk=pk
    )
    return evidence.download()


def _report_page(
    request: AuthedRequest,
    report: Report,
    *,
    report_form: ReportForm | None = None,
    score_form: ScoreForm | None = None,
) -> HttpResponse:
    user = request.user
    measure = report.measure
    writes = report.score is None and measure.is_owned_by(user.person)
    scores = report.submitted_at is not None and leads(user, measure.key_point.area.plan)
    # A form sent and refused is shown again with its errors.
    if writes and report_form is None:
        report_form = ReportForm(initial={"text": report.text})
    if scores and score_form is None:
        score_form = ScoreForm(initial={"score": report.score, "comment": report.comment})
    context = {
        "report": report,
        "measure": measure,
        "files": list(report.files.all()),
        "report_form": report_form,
        "score_form": score_form,
    }
    return render(request, "workplan/report_detail.html", context)


@login_required
@require_GET
def report_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _report_page(request, get_report_for_user(request, pk))


@login_required
@require_POST
def report_write(request: AuthedRequest, pk: int) -> HttpResponse:
    """The owner or a co-owner writes the report (again, until it is scored)."""
    report = get_report_for_user(request, pk)
    if not report.measure.is_owned_by(request.user.person):
        raise PermissionDenied
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.submit_report(
                report,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Report submitted."))
            return redirect(report)
    return _report_page(request, report, report_form=form)


@login_required
@require_POST
def report_score(request: AuthedRequest, pk: int) -> HttpResponse:
    """A leader of the plan scores a submitted report 1–5 with a comment."""
    report = get_report_for_user(request, pk)
    if not leads(request.user, report.measure.key_point.area.plan):
        raise PermissionDenied
    form = ScoreForm(request.POST)
    if form.is_valid():
        try:
            actions.score_report(
                report,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Report scored."))
            return redirect(report)
    return _report_page(request, report, score_form=form)


@login_required
@require_GET
def report_file_download(request: AuthedRequest, pk: int) -> FileResponse:
    """A report's file, for whoever may read the report."""
    file = get_object_or_404(
        ReportFile.objects.filter(report__in=reports_for_user(request.user).values("pk")), pk=pk
    )
    return file.download()


# The reports a user must write: those unwritten due up to this far ahead (and overdue).
WRITE_AHEAD = dt.timedelta(days=31)
# How many of each list the page shows.
LISTED = 200


@login_required
@require_GET
def report_list(request: AuthedRequest) -> HttpResponse:
    """The reports the user must write (of measures they own or co-own) and
    those they must score (submitted, of plans they lead)."""
    require_plan_reader(request)
    user = request.user
    related = ("measure__key_point__area__plan", "measure__owner")
    to_write = reports_to_write(user, clock.today() + WRITE_AHEAD).select_related(*related)
    to_score = reports_to_score(user).select_related(*related)
    context = {"to_write": list(to_write[:LISTED]), "to_score": list(to_score[:LISTED])}
    return render(request, "workplan/report_list.html", context)
