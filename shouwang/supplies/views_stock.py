"""The catalogue, the stores and their ledger: what a store keeper and a
leader use every day. Every quantity is shown in the units people count in."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shouwang.accounts.http import AuthedRequest
from shouwang.accounts.models import Role, people_with_role
from shouwang.lib import clock
from shouwang.people.access import units_for_user
from shouwang.people.models import Person

from . import actions
from .access import (
    get_stocktake_for_user,
    get_store_for_user,
    require_manager,
    require_store_setter,
    sets_up_stores,
    stores_for_user,
)
from .forms_stock import (
    ItemForm,
    MinimumForm,
    MovementFilterForm,
    ReceiveForm,
    StocktakeForm,
    StoreForm,
    TransferForm,
    WriteOffForm,
    pack_formset,
)
from .models import Category, Item, MinimumLevel, Stock, Store
from .queries import on_hand

MOVEMENTS_PAGE_SIZE = 50
# A batch expiring within this many days is marked on the store's page.
EXPIRY_WARNING_DAYS = 7

# How a batch is read on the stock pages: its item said in its units, and the donor it came from.
BATCH_RELATED = ("batch__line__donation__donor__person", "item")


def expiry_context() -> dict[str, dt.date]:
    today = clock.today()
    return {"today": today, "soon": today + dt.timedelta(days=EXPIRY_WARNING_DAYS)}


# The catalogue -----------------------------------------------------------


@login_required
@require_GET
def item_list(request: AuthedRequest) -> HttpResponse:
    """The catalogue by category, each item with its units and what the user's stores hold."""
    require_manager(request)
    items = Item.objects.prefetch_related("packs")
    held = dict(
        Stock.objects.filter(store__in=stores_for_user(request.user))
        .order_by()
        .values("item")
        .annotate(total=Sum("quantity"))
        .values_list("item", "total")
    )
    rows = [(item, held.get(item.pk) or Decimal(0)) for item in items]
    categories = dict(Category.choices)
    grouped: dict[str, list[tuple[Item, Decimal]]] = defaultdict(list)
    for item, total in rows:
        grouped[str(categories.get(item.category, item.category))].append((item, total))
    return render(request, "supplies/item_list.html", {"categories": list(grouped.items())})


def _item_form(request: AuthedRequest, item: Item | None) -> HttpResponse:
    form = ItemForm(request.POST or None, instance=item)
    packs = pack_formset(request.POST or None, item)
    if request.method == "POST" and form.is_valid() and packs.is_valid():
        try:
            saved = actions.save_item(form.instance, packs.packs(), acting_user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(item)s is saved.") % {"item": saved.name})
            return redirect(saved)
    return render(request, "supplies/item_form.html", {"form": form, "packs": packs, "item": item})


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request: AuthedRequest) -> HttpResponse:
    require_manager(request)
    return _item_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    require_manager(request)
    return _item_form(request, get_object_or_404(Item.objects.prefetch_related("packs"), pk=pk))


@login_required
@require_GET
def item_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """An item's units, and its stock in each store the user runs, batch by batch."""
    require_manager(request)
    item = get_object_or_404(Item.objects.prefetch_related("packs"), pk=pk)
    stores = stores_for_user(request.user)
    stocks = list(
        Stock.objects.filter(item=item, store__in=stores, quantity__gt=0)
        .select_related("store", *BATCH_RELATED)
        .order_by("store__name", "batch__expires_on", "batch__received_at", "batch_id")
    )
    for stock in stocks:
        stock.item = item  # its packs are prefetched once
    minimums = dict(
        MinimumLevel.objects.filter(item=item, store__in=stores).values_list("store", "minimum")
    )
    totals: dict[Store, Decimal] = {}
    for stock in stocks:
        totals[stock.store] = totals.get(stock.store, Decimal(0)) + stock.quantity
    for store in Store.objects.filter(pk__in=set(minimums) - {s.pk for s in totals}):
        totals[store] = Decimal(0)
    by_store = [
        (store, total, minimums.get(store.pk))
        for store, total in sorted(totals.items(), key=lambda pair: pair[0].name)
    ]
    context = {"item": item, "stocks": stocks, "by_store": by_store, **expiry_context()}
    return render(request, "supplies/item_detail.html", context)


# The stores --------------------------------------------------------------


@login_required
@require_GET
def store_list(request: AuthedRequest) -> HttpResponse:
    require_manager(request)
    stores = stores_for_user(request.user).select_related("unit").prefetch_related("keepers")
    stores = stores.annotate(batches=Count("stocks", filter=Q(stocks__quantity__gt=0)))
    context = {"stores": stores, "sets_up": sets_up_stores(request.user)}
    return render(request, "supplies/store_list.html", context)


def _store_form(request: AuthedRequest, store: Store | None) -> HttpResponse:
    units = units_for_user(request.user).order_by("name")
    form = StoreForm(request.POST or None, instance=store, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_store(
                form.instance, form.cleaned_data["keepers"], acting_user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(store)s is saved.") % {"store": saved.name})
            return redirect(saved)
    return render(request, "supplies/store_form.html", {"form": form, "store": store})


@login_required
@require_http_methods(["GET", "POST"])
def store_new(request: AuthedRequest) -> HttpResponse:
    require_store_setter(request)
    return _store_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def store_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    store = get_store_for_user(request.user, pk)
    require_store_setter(request)
    return _store_form(request, store)


def _held(store: Store) -> list[Stock]:
    """The store's batches with stock, each with its item's units and its donor."""
    return list(
        Stock.objects.filter(store=store, quantity__gt=0)
        .select_related(*BATCH_RELATED)
        .prefetch_related("item__packs")
        .order_by("item__category", "item__name", "batch__expires_on", "batch_id")
    )


def _without_role(keepers: list[Person]) -> set[Person]:
    """The keepers named who do not hold the store-keeper role (yet): they cannot run the store."""
    if not keepers:
        return set()
    holders = people_with_role(Role.STORE_KEEPER).filter(pk__in=[keeper.pk for keeper in keepers])
    return set(keepers) - set(holders)


@login_required
@require_GET
def store_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """Stock on hand from the ledger, item by item in their units, low stock
    marked; the batches with their expiry, expired and expiring ones marked."""
    store = get_store_for_user(request.user, pk)
    rows = on_hand(store)
    keepers = list(store.keepers.all())
    context = {
        "store": store,
        "keepers": keepers,
        # A keeper runs the store only once given the role: say who still needs it.
        "without_role": _without_role(keepers),
        "rows": rows,
        "low": sum(1 for row in rows if row.is_low),
        "stocks": _held(store),
        "stocktakes": store.stocktakes.select_related("by__person")[:5],
        "sets_up": sets_up_stores(request.user),
        **expiry_context(),
    }
    return render(request, "supplies/store_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def store_minimums(request: AuthedRequest, pk: int) -> HttpResponse:
    """The levels below which the store is low, set item by item."""
    store = get_store_for_user(request.user, pk)
    form = MinimumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = form.cleaned_data["item"]
        minimum = form.cleaned_data["base_quantity"]
        actions.set_minimum(store, item, minimum, acting_user=request.user)
        if minimum:
            messages.success(
                request,
                _("%(store)s is low on %(item)s below %(minimum)s.")
                % {"store": store.name, "item": item.name, "minimum": item.say(minimum)},
            )
        else:
            messages.success(
                request,
                _("%(store)s has no minimum for %(item)s now.")
                % {"store": store.name, "item": item.name},
            )
        return redirect("supplies:store_minimums", store.pk)
    levels = store.minimums.select_related("item").prefetch_related("item__packs")
    levels = levels.order_by("item__category", "item__name")
    context = {"store": store, "form": form, "levels": levels}
    return render(request, "supplies/store_minimums.html", context)


# The ledger --------------------------------------------------------------


@login_required
@require_GET
def movement_list(request: AuthedRequest, pk: int) -> HttpResponse:
    """Every movement of the store, newest first, by item and kind."""
    store = get_store_for_user(request.user, pk)
    form = MovementFilterForm(request.GET or None)
    movements = store.movements.select_related(
        *BATCH_RELATED, "by__person", "other_store", "stocktake"
    ).prefetch_related("item__packs")
    if form.is_valid():
        if form.cleaned_data["item"]:
            movements = movements.filter(item=form.cleaned_data["item"])
        if form.cleaned_data["kind"]:
            movements = movements.filter(kind=form.cleaned_data["kind"])
    page = Paginator(movements, MOVEMENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "supplies/movement_list.html", {"store": store, "form": form, "page": page}
    )


def _stock_form(
    request: AuthedRequest, store: Store, form: ReceiveForm | TransferForm | WriteOffForm, what: str
) -> HttpResponse:
    return render(request, "supplies/stock_form.html", {"store": store, "form": form, "what": what})


@login_required
@require_http_methods(["GET", "POST"])
def stock_receive(request: AuthedRequest, pk: int) -> HttpResponse:
    """Stock bought or sent from elsewhere, counted into the store as a new batch."""
    store = get_store_for_user(request.user, pk)
    form = ReceiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.receive(
                store,
                data["item"],
                data["base_quantity"],
                source=data["source"],
                expires_on=data["expires_on"],
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(quantity)s of %(item)s received.")
                % {"quantity": data["item"].say(data["base_quantity"]), "item": data["item"]},
            )
            return redirect(store)
    return _stock_form(request, store, form, "receive")


@login_required
@require_http_methods(["GET", "POST"])
def stock_transfer(request: AuthedRequest, pk: int) -> HttpResponse:
    """Stock moved to another store the user runs, oldest batches first."""
    store = get_store_for_user(request.user, pk)
    others = stores_for_user(request.user).exclude(pk=store.pk)
    form = TransferForm(request.POST or None, stores=others)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.transfer(
                store,
                data["to_store"],
                data["item"],
                data["base_quantity"],
                reason=data["reason"],
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(quantity)s of %(item)s moved to %(store)s.")
                % {
                    "quantity": data["item"].say(data["base_quantity"]),
                    "item": data["item"],
                    "store": data["to_store"],
                },
            )
            return redirect(store)
    return _stock_form(request, store, form, "transfer")


@login_required
@require_http_methods(["GET", "POST"])
def stock_write_off(request: AuthedRequest, pk: int) -> HttpResponse:
    """An expired or damaged quantity of a batch taken out of stock."""
    store = get_store_for_user(request.user, pk)
    initial = {"batch": request.GET.get("batch")} if request.GET.get("batch") else None
    form = WriteOffForm(request.POST or None, store=store, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        stock = data["batch"]
        try:
            actions.write_off(
                store,
                stock.batch,
                data["base_quantity"],
                cause=data["cause"],
                reason=data["reason"],
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(quantity)s of %(item)s written off.")
                % {"quantity": stock.item.say(data["base_quantity"]), "item": stock.item},
            )
            return redirect(store)
    return _stock_form(request, store, form, "write_off")


@login_required
@require_http_methods(["GET", "POST"])
def stocktake_new(request: AuthedRequest, pk: int) -> HttpResponse:
    """Count the store: every batch in stock with its computed balance; the
    differences are adjusted in the ledger with the reason given."""
    store = get_store_for_user(request.user, pk)
    form = StocktakeForm(request.POST or None, stocks=_held(store))
    if request.method == "POST" and form.is_valid():
        try:
            stocktake = actions.record_stocktake(
                store,
                form.cleaned_data["counts"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ValidationError as error:
            field = "reason" if error.code == "reason" else None
            form.add_error(field, error)
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The stocktake is recorded."))
            return redirect(stocktake)
    return render(request, "supplies/stocktake_form.html", {"store": store, "form": form})


@login_required
@require_GET
def stocktake_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A count: what was counted against what the ledger computed, batch by batch."""
    stocktake = get_stocktake_for_user(request.user, pk)
    lines = stocktake.lines.select_related("batch__item").prefetch_related("batch__item__packs")
    lines = lines.order_by("batch__item__category", "batch__item__name", "batch_id")
    context = {"stocktake": stocktake, "store": stocktake.store, "lines": lines}
    return render(request, "supplies/stocktake_detail.html", context)
