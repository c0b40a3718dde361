"""Stock read from the ledger: on hand per store and item, low stock, and the
check that every kept balance equals the sum of its movements."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate

from shouwang.lib import clock

from .models import Item, MinimumLevel, Movement, Stock, Store


@dataclass(frozen=True)
class OnHand:
    item: Item
    quantity: Decimal
    minimum: Decimal | None

    @property
    def is_low(self) -> bool:
        return self.minimum is not None and self.quantity < self.minimum

    @property
    def said(self) -> str:
        return self.item.say(self.quantity)


def on_hand(store: Store) -> list[OnHand]:
    """Each item the store holds or has a minimum for, with its quantity: one
    grouped read of the balances and one of the minimums."""
    totals = dict(
        Stock.objects.filter(store=store)
        .order_by()
        .values("item")
        .annotate(total=Sum("quantity"))
        .values_list("item", "total")
    )
    minimums = dict(MinimumLevel.objects.filter(store=store).values_list("item", "minimum"))
    wanted = {pk for pk, total in totals.items() if total} | set(minimums)
    items = Item.objects.filter(pk__in=wanted).prefetch_related("packs")
    return [
        OnHand(item, totals.get(item.pk) or Decimal(0), minimums.get(item.pk)) for item in items
    ]


def _levels(stores: QuerySet[Store]) -> QuerySet[Any]:
    """The minimum levels of these stores, each with `on_hand`."""
    held = (
        Stock.objects.filter(store=OuterRef("store"), item=OuterRef("item"))
        .order_by()
        .values("store")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    return MinimumLevel.objects.filter(store__in=stores).annotate(
        on_hand=Coalesce(Subquery(held), Decimal(0))
    )


def low_stock(stores: QuerySet[Store]) -> QuerySet[MinimumLevel]:
    """The minimum levels not met in these stores, each with `on_hand`."""
    return (
        _levels(stores)
        .filter(on_hand__lt=F("minimum"))
        .select_related("store", "item")
        .prefetch_related("item__packs")
    )


def low_stock_by_day(stores: QuerySet[Store], days: list[dt.date]) -> dict[dt.date, int]:
    """How many minimum levels of these stores were not met at the end of each
    of `days` (today: now, as `low_stock` counts them). A day's quantity is
    today's less what moved since that day ended, read from the ledger in one
    grouped statement; the minimums are today's (they keep no history)."""
    levels = {
        (store_id, item_id): (minimum, on_hand)
        for store_id, item_id, minimum, on_hand in _levels(stores)
        .order_by()
        .values_list("store_id", "item_id", "minimum", "on_hand")
    }
    if not levels or not days:
        return dict.fromkeys(days, 0)
    moved: dict[tuple[int, int], dict[dt.date, Decimal]] = {}
    since = clock.at(min(days) + dt.timedelta(days=1), dt.time())
    rows = (
        Movement.objects.filter(store__in=stores, at__gte=since)
        .filter(item_id__in={item_id for _store_id, item_id in levels})
        .annotate(day=TruncDate("at"))
        .order_by()
        .values_list("store_id", "item_id", "day")
        .annotate(total=Sum("delta"))
    )
    for store_id, item_id, day, total in rows:
        moved.setdefault((store_id, item_id), {})[day] = total
    found = dict.fromkeys(days, 0)
    latest_first = sorted(days, reverse=True)
    for key, (minimum, on_hand) in levels.items():
        # Back from now, day by day: what moved after a day ended is taken
        # back out of the quantity.
        moves = sorted(moved.get(key, {}).items(), reverse=True)
        quantity, taken = on_hand, 0
        for day in latest_first:
            while taken < len(moves) and moves[taken][0] > day:
                quantity -= moves[taken][1]
                taken += 1
            found[day] += quantity < minimum
    return found


def ledger_mismatches() -> list[tuple[int, int, Decimal, Decimal]]:
    """(batch, store, kept balance, sum of movements) wherever the two differ:
    empty when the ledger is sound."""
    sums = (
        Movement.objects.filter(batch=OuterRef("batch"), store=OuterRef("store"))
        .order_by()
        .values("batch")
        .annotate(total=Sum("delta"))
        .values("total")
    )
    kept = Stock.objects.annotate(moved=Coalesce(Subquery(sums), Decimal(0))).filter(
        ~Q(quantity=F("moved"))
    )
    found = [(s.batch_id, s.store_id, s.quantity, s.moved) for s in kept]
    # Movements into a store with no balance row at all.
    orphans = (
        Movement.objects.order_by()
        .values("batch", "store")
        .annotate(total=Sum("delta"))
        .exclude(total=0)
        .filter(~Q(batch__stocks__store=F("store")))
    )
    found += [(row["batch"], row["store"], Decimal(0), row["total"]) for row in orphans]
    return found
