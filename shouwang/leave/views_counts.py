"""Leave counts for those who follow it: requests asked, approved and
rejected in a period, and who is away or overdue now, by kind and by class.
A leader counts their units', a counsellor their classes', an admin all."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shouwang.accounts.http import AuthedRequest
from shouwang.lib import clock

from . import queries
from .access import followed_requests, follows_leave
from .forms_counts import PeriodForm


@login_required
@require_GET
def counts(request: AuthedRequest) -> HttpResponse:
    if not follows_leave(request.user):
        raise PermissionDenied
    form = PeriodForm(request.GET or None)
    first, last = form.period()
    requests, now = followed_requests(request.user), clock.now()
    by_kind = queries.counts_by_kind(requests, first, last, now)
    by_class = queries.counts_by_class(requests, first, last, now)
    context = {
        "form": form,
        "first": first,
        "last": last,
        "now": now,
        "tables": [
            ("kind", by_kind, queries.total(by_kind)),
            ("class", by_class, queries.total(by_class)),
        ],
    }
    return render(request, "leave/counts.html", context)
