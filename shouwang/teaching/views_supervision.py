"""Supervision (督导听课) and the daily online-teaching report (线上教学运行日报)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shouwang.accounts.http import AuthedRequest
from shouwang.accounts.models import Role
from shouwang.core import audit
from shouwang.lib.spreadsheets import write_xlsx

from . import actions, report
from .access import get_observation_for_user, observations_for_user, oversees_teaching
from .audit import TeachingEvent
from .forms_supervision import AssignObservationForm, ObservationForm, ReportForm
from .models import Criterion

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def require_overseer(request: AuthedRequest) -> None:
    if not oversees_teaching(request.user):
        raise PermissionDenied


@login_required
@require_GET
def observation_list(request: AuthedRequest) -> HttpResponse:
    """A supervisor's observations, pending first; an overseer's in reach; a
    teacher's feedback on their own lessons."""
    user = request.user
    if not (oversees_teaching(user) or user.has_role(Role.SUPERVISOR, Role.TEACHER)):
        raise PermissionDenied
    pending_first = Case(
        When(observed_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    observations = (
        observations_for_user(user)
        .select_related("lesson__teaching_class", "supervisor")
        .order_by(pending_first, "-lesson__date", "-lesson__first_period", "pk")[:200]
    )
    context = {"observations": observations, "can_assign": oversees_teaching(user)}
    return render(request, "teaching/observation_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def observation_assign(request: AuthedRequest) -> HttpResponse:
    """The teaching office, a leader or an admin sends a supervisor to lessons."""
    require_overseer(request)
    if request.method == "POST":
        form = AssignObservationForm(request.POST, user=request.user)
        if form.is_valid():
            supervisor = form.cleaned_data["supervisor"]
            for lesson in form.cleaned_data["lessons"]:
                actions.assign_observation(lesson, supervisor, acting_user=request.user)
            messages.success(
                request,
                _("%(name)s is to observe %(count)d lesson(s).")
                % {"name": supervisor.name, "count": len(form.cleaned_data["lessons"])},
            )
            return redirect("teaching:observation_list")
    else:
        # ?teaching_class=&date= (from a lesson's page) fills the form in.
        form = AssignObservationForm(initial=request.GET.dict(), user=request.user)
    chosen = request.POST if request.method == "POST" else request.GET
    context = {"form": form, "lessons": form.choosable_lessons(chosen)}
    return render(request, "teaching/observation_assign.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def observation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The observation: its supervisor rates the lesson; the teacher and the
    overseers read the ratings."""
    observation = get_observation_for_user(request, pk)
    is_supervisor = observation.supervisor_id == request.user.person_id
    form = None
    if is_supervisor:
        form = ObservationForm(
            request.POST if request.method == "POST" else None, observation=observation
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.write_observation(
                    observation,
                    ratings=form.ratings(),
                    comments=form.cleaned_data["comments"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Observation saved."))
                return redirect(observation)
    criteria = {str(criterion.pk): criterion.name for criterion in Criterion.objects.all()}
    ratings = [(criteria.get(pk, pk), value) for pk, value in observation.ratings.items()]
    context = {"observation": observation, "form": form, "ratings": ratings}
    return render(request, "teaching/observation_detail.html", context)


def _report(request: AuthedRequest) -> tuple[ReportForm, report.Report | None]:
    require_overseer(request)
    form = ReportForm(request.GET, user=request.user)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, report.build(data["first"], data["last"], form.units())


@login_required
@require_GET
def report_page(request: AuthedRequest) -> HttpResponse:
    """The daily online-teaching report, per unit and for the college."""
    form, built = _report(request)
    return render(request, "teaching/report.html", {"form": form, "report": built})


@login_required
@require_GET
def report_export(request: AuthedRequest) -> HttpResponse:
    """The report as an .xlsx file; every export is audited."""
    form, built = _report(request)
    if built is None:
        return render(request, "teaching/report.html", {"form": form, "report": None}, status=400)
    rows = report.sheet_rows(built)
    title = f"{built.first:%Y%m%d}-{built.last:%Y%m%d}"
    data = write_xlsx(report.headers(), rows, title=title)
    unit = form.cleaned_data.get("unit")
    audit.record(
        TeachingEvent.REPORT_EXPORTED,
        unit or request.user,
        acting_user=request.user,
        request=request,
        first=built.first.isoformat(),
        last=built.last.isoformat(),
        unit=unit.pk if unit else None,
        rows=len(rows),
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="online-teaching-{title}.xlsx"'
    return response
