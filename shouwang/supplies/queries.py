"""Stock read from the ledger: on hand per store and item, low stock, and the
check that every kept balance equals the sum of its movements."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

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


def low_stock(stores: QuerySet[Store]) -> QuerySet[MinimumLevel]:
    """The minimum levels not met in these stores, each with `on_hand`."""
    held = (
        Stock.objects.filter(store=OuterRef("store"), item=OuterRef("item"))
        .order_by()
        .values("store")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    return (
        MinimumLevel.objects.filter(store__in=stores)
        .annotate(on_hand=Coalesce(Subquery(held), Decimal(0)))
        .filter(on_hand__lt=F("minimum"))
        .select_related("store", "item")
        .prefetch_related("item__packs")
    )


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
