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
    context = {
        "stores": stores.select_related("unit"),
        "low": low_stock(stores).order_by("store__name", "item__name"),
        "expiring": expiring,
        "today": today,
        "soon": soon,
        "pledged": donations_for_user(request.user).filter(status=Donation.Status.PLEDGED).count(),
        "open_requests": requests_for_user(request.user)
        .filter(status__in=SupplyRequest.OPEN)
        .count(),
    }
    return render(request, "supplies/index.html", context)
