"""A measure as a project, and its progress reports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shouwang.accounts.http import AuthedRequest

from .access import get_measure_for_user, get_report_for_user


@login_required
@require_GET
def measure_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    measure = get_measure_for_user(request, pk)
    return render(request, "workplan/measure_detail.html", {"measure": measure})


@login_required
@require_GET
def report_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    return render(request, "workplan/report_detail.html", {"report": report})
