"""The supplies desk: the stores a user runs with what is low, and the requests
a user may see. The requests' own pages are in views_requests.py."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shouwang.accounts.http import AuthedRequest

from .access import donations_for_user, requests_for_user, require_manager, stores_for_user
from .queries import low_stock


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    require_manager(request)
    stores = stores_for_user(request.user)
    context = {
        "stores": stores.select_related("unit"),
        "low": low_stock(stores),
        "donations": donations_for_user(request.user).select_related("donor__person")[:10],
        "open_requests": requests_for_user(request.user)
        .filter(status__in=["submitted", "approved", "issued"])
        .select_related("requester", "for_unit", "for_team", "for_person")[:20],
    }
    return render(request, "supplies/index.html", context)
