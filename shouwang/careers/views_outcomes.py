"""A stand-in for the graduate's page of the outcomes' views, so that a
graduate's address (`Graduate.get_absolute_url`, which the messages of a
destination report link to) resolves: their destination and reports."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shouwang.accounts.http import AuthedRequest

from .access import get_graduate_for_user


@login_required
@require_GET
def graduate_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    graduate = get_graduate_for_user(request, pk)
    reports = graduate.reports.select_related("offer__employer")
    return render(
        request, "careers/graduate_detail.html", {"graduate": graduate, "reports": reports}
    )
