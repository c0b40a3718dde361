"""The year-end review (年终项目化评比): its round, panel, criteria, scoring and results."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shouwang.accounts.http import AuthedRequest

from .access import get_review_for_user


@login_required
@require_GET
def review_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    review = get_review_for_user(request, pk)
    return render(request, "workplan/review_detail.html", {"review": review})
