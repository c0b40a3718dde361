"""The leaders' overview of a plan, its Excel export, and an owner's "my measures"."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shouwang.accounts.http import AuthedRequest
from shouwang.core import audit
from shouwang.lib import clock
from shouwang.lib.spreadsheets import write_workbook

from . import queries
from .access import get_led_plan, owned_measures, require_plan_reader
from .audit import WorkplanEvent
from .models import Measure, Status

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def plan_overview(request: AuthedRequest, pk: int) -> HttpResponse:
    """Per area and for the plan: measures by state, overdue milestones, money,
    breakthroughs, reports; with ?state= (and ?area=) the measures it counts."""
    plan = get_led_plan(request, pk)
    today = clock.today()
    built = queries.overview(plan, today)
    state = request.GET.get("state", "")
    state = state if state in Status.values else ""
    try:
        area = int(request.GET.get("area", ""))
    except ValueError:
        area = None
    listed = None
    if state or area:
        listed = queries.measures_in(plan, today, state=state, area=area)
    return render(
        request,
        "workplan/overview.html",
        {
            "plan": plan,
            "overview": built,
            "states": [(state.value, state.label) for state in queries.STATES],
            "state": state,
            "state_label": Status(state).label if state else "",
            "area": next(
                (row.area for row in built.rows if row.area and row.area.pk == area), None
            ),
            "listed": listed,
        },
    )


@login_required
@require_GET
def my_measures(request: AuthedRequest) -> HttpResponse:
    """The measures the user owns or co-owns, across plans."""
    require_plan_reader(request)
    today = clock.today()
    measures = queries.my_measures(owned_measures(request.user), today)
    return render(request, "workplan/my_measures.html", {"measures": measures, "today": today})


def _numbering(measure: Measure) -> str:
    key_point = measure.key_point
    return f"{key_point.area.label}{key_point.label}{measure.label}"


def _local_date(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value else None


@login_required
@require_GET
def plan_export(request: AuthedRequest, pk: int) -> HttpResponse:
    """The plan as an .xlsx file: a row per measure, and the overview per area.
    Leaders only; every export is audited."""
    plan = get_led_plan(request, pk)
    today = clock.today()
    measures = (
        queries.with_figures(Measure.objects.filter(key_point__area__plan=plan), today)
        .select_related("key_point__area", "owner", "owner_unit", "branch", "post")
        .prefetch_related("co_owners")
    )
    measure_headers = [
        _("area"),
        _("key point"),
        _("numbering"),
        _("measure"),
        _("owner unit"),
        _("owner"),
        _("co-owners"),
        _("carried by"),
        _("starts on"),
        _("due on"),
        _("state"),
        _("budget (yuan)"),
        _("spent (yuan)"),
        _("milestones overdue"),
        _("last report"),
        _("breakthrough"),
    ]
    measure_rows = [
        [
            f"{measure.key_point.area.label}{measure.key_point.area.title}",
            f"{measure.key_point.label}{measure.key_point.title}",
            _numbering(measure),
            measure.title,
            measure.owner_unit.name,
            measure.owner.name,
            "、".join(sorted(person.name for person in measure.co_owners.all())),
            str(measure.carrier or ""),
            measure.starts_on,
            measure.due_on,
            measure.state_label,
            measure.budget,
            measure.spent,  # type: ignore[attr-defined]
            measure.milestones_overdue,  # type: ignore[attr-defined]
            _local_date(measure.last_report_at),  # type: ignore[attr-defined]
            measure.breakthrough if measure.is_breakthrough else "",
        ]
        for measure in measures
    ]
    built = queries.overview(plan, today)
    overview_headers = [
        _("area"),
        _("key points"),
        _("measures"),
        *[str(state.label) for state in queries.STATES],
        _("milestones overdue"),
        _("budget (yuan)"),
        _("spent (yuan)"),
        _("breakthroughs"),
        _("last report"),
        _("reports overdue"),
    ]
    overview_rows = [
        [
            str(row.area) if row.area else _("whole plan"),
            row.key_points,
            row.measures,
            *[count for _state, count in row.by_state],
            row.milestones_overdue,
            row.budget,
            row.spent,
            row.breakthroughs,
            _local_date(row.last_report_at),
            row.reports_overdue,
        ]
        for row in [*built.rows, built.total]
    ]
    data = write_workbook(
        [
            (_("Measures"), measure_headers, measure_rows),
            (_("Overview"), overview_headers, overview_rows),
        ]
    )
    audit.record(
        WorkplanEvent.EXPORTED,
        plan,
        acting_user=request.user,
        request=request,
        rows=len(measure_rows),
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="workplan-{plan.pk}-{today:%Y%m%d}.xlsx"'
    )
    return response
