"""A plan's outline imported from an Excel sheet: upload and check, the
preview (row errors and warnings), the commit as a background job, and a
template to fill in. For the plan's leaders only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouwang.accounts.http import AuthedRequest
from shouwang.lib.spreadsheets import write_xlsx

from .access import get_led_plan, get_plan_import_for_user
from .forms import PlanImportForm
from .imports import EXAMPLE_ROW, PLAN_COLUMNS
from .models import PlanImport
from .tasks import check_plan_import, commit_plan_import

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_led_plan(request, pk)
    form = PlanImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        item = PlanImport.objects.create(
            plan=plan, file=upload, filename=upload.name, uploaded_by=request.user
        )
        item.start_check(check_plan_import, started_by=request.user)
        return redirect("workplan:plan_import_detail", pk=item.pk)
    context = {
        "plan": plan,
        "form": form,
        "imports": plan.imports.all()[:20],
        "columns": PLAN_COLUMNS.help(),
    }
    return render(request, "workplan/import.html", context)


@login_required
@require_GET
def plan_import_template(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_led_plan(request, pk)
    data = write_xlsx(PLAN_COLUMNS.export_headers, [EXAMPLE_ROW], title=plan.title)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="plan-outline.xlsx"'
    return response


@login_required
@require_GET
def plan_import_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_plan_import_for_user(request, pk)
    errors, more_errors = item.error_preview(PLAN_COLUMNS)
    template = "workplan/import_detail.html" + ("#status" if request.htmx else "")
    context = {
        "plan": item.plan,
        "item": item,
        "job": item.job,
        "errors": errors,
        "more_errors": more_errors,
        "columns": PLAN_COLUMNS.help(),
    }
    return render(request, template, context)


@login_required
@require_POST
def plan_import_commit(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_plan_import_for_user(request, pk)
    if not item.start_commit(commit_plan_import, started_by=request.user):
        messages.warning(request, _("This import is not waiting to be committed."))
    return redirect("workplan:plan_import_detail", pk=item.pk)
