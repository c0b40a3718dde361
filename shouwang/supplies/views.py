"""The supplies desk: the stores a user runs with what is low and what expires
soon, and the ways to the donations and the requests."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shouwang.accounts.http import AuthedRequest
from shouwang.lib import clock

from .access import donations_for_user, requests_for_user, require_manager, stores_for_user
from .models import Donation, Stock, SupplyRequest
from .queries import low_stock

# Batches expiring within this many days (or past it) are listed on the desk.
EXPIRY_WARNING_DAYS = 7
EXPIRING_SHOWN = 50
# Low stock is listed a page at a time, without counting it all: a
# university's stores hold tens of thousands of minimum levels, and each is
# compared with its balances (docs/performance.md, "Cockpit").
LOW_PER_PAGE = 50


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    require_manager(request)
    stores = stores_for_user(request.user)
    today = clock.today()
    soon = today + dt.timedelta(days=EXPIRY_WARNING_DAYS)
    expiring = (
        Stock.objects.filter(store__in=stores, quantity__gt=0, batch__expires_on__lte=soon)
        .select_related("store", "batch", "item")
        .prefetch_related("item__packs")
        .order_by("batch__expires_on", "store__name", "item__name")[:EXPIRING_SHOWN]
    )
    try:
        low_page = max(1, int(request.GET.get("low", "1")))
    except ValueError:
        low_page = 1
    start = (low_page - 1) * LOW_PER_PAGE
    # One more than a page: whether there is a next one.
    low = list(
        low_stock(stores).order_by("store__name", "item__name")[start : start + LOW_PER_PAGE + 1]
    )
    context = {
        "stores": stores.select_related("unit"),
        "low": low[:LOW_PER_PAGE],
        "low_page": low_page,
        "low_more": len(low) > LOW_PER_PAGE,
        "expiring": expiring,
        "today": today,
        "soon": soon,
        "pledged": donations_for_user(request.user).filter(status=Donation.Status.PLEDGED).count(),
        "open_requests": requests_for_user(request.user)
        .filter(status__in=SupplyRequest.OPEN)
        .count(),
    }
    return render(request, "supplies/index.html", context)
