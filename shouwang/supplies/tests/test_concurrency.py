"""Keepers issuing the last units at once, each on a real connection of its
own: exactly as many requests succeed as there are units, the others are
refused as out of stock, and no balance goes below zero or away from the sum
of its movements. On SQLite the writers take turns; on PostgreSQL (READ
COMMITTED) they race, and the conditional UPDATE of `actions._take` decides."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal

from django.db import connection
from django.test import TransactionTestCase

from shouwang.accounts.models import Role, User
from shouwang.people.models import Person
from shouwang.supplies import actions
from shouwang.supplies.models import (
    Batch,
    IssueSlip,
    Item,
    Movement,
    Stock,
    StocktakeLine,
    Store,
    SupplyRequest,
)
from shouwang.supplies.queries import ledger_mismatches
from shouwang.test import Personas, make_person, make_user

from .base import make_catalogue

REQUESTS = 32
LEFT = 10


def at_once(calls: list[Callable[[], object]]) -> list[str]:
    """Run each call in a thread of its own, all released together: "done",
    "refused" (OutOfStock) or the error, in the order they finished."""
    start = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call: Callable[[], object]) -> None:
        try:
            start.wait(timeout=30)
            call()
            outcomes.append("done")
        except actions.OutOfStock:
            outcomes.append("refused")
        except Exception as error:  # the test reports it
            outcomes.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


class ConcurrentIssueTestCase(Personas, TransactionTestCase):
    suits: Item
    sanitizer: Item
    noodles: Item
    sausages: Item
    fruit: Item
    store: Store
    keeper: User

    def setUp(self):
        self.create_personas()
        make_catalogue(self)
        keeper = make_person("T9001", "庞库管", Person.Kind.STAFF, unit=self.college)
        self.keeper = make_user(keeper)
        self.keeper.grant(Role.STORE_KEEPER)
        self.store = Store.objects.create(
            name="学院物资仓库", kind=Store.Kind.WAREHOUSE, unit=self.college
        )
        self.store.keepers.add(keeper)

    def put_in(self, item: Item, quantity: int, expires_on: dt.date | None = None) -> Batch:
        return actions.receive(
            self.store,
            item,
            Decimal(quantity),
            source="采购",
            expires_on=expires_on or (dt.date(2099, 12, 31) if item.perishable else None),
            acting_user=self.keeper,
        )

    def approved(self, wanted: dict[Item, int], purpose: str = "隔离学生") -> SupplyRequest:
        request = actions.submit_request(
            self.counsellor_a,
            [actions.Asked(item, Decimal(quantity)) for item, quantity in wanted.items()],
            purpose=purpose,
            for_unit=self.college,
            acting_user=self.counsellor_a_user,
        )
        return actions.decide_request(
            request,
            {line.pk: line.asked for line in request.lines.all()},
            acting_user=self.keeper,
        )

    def issuing(self, request: SupplyRequest) -> Callable[[], object]:
        return lambda: actions.issue(request, self.store, acting_user=self.keeper)

    def balance(self, batch: Batch) -> Decimal:
        return Stock.objects.get(batch=batch, store=self.store).quantity

    def test_many_issues_of_one_unit_at_once_take_exactly_the_units_left(self):
        # The last 10 kg of fruit in three batches, and an expired batch beside them.
        batches = [self.put_in(self.fruit, n) for n in (4, 3, 3)]
        expired = self.put_in(self.fruit, 5, expires_on=dt.date(2000, 1, 1))
        requests = [self.approved({self.fruit: 1}) for _ in range(REQUESTS)]

        outcomes = at_once([self.issuing(request) for request in requests])

        self.assertEqual(
            sorted(outcomes), ["done"] * LEFT + ["refused"] * (REQUESTS - LEFT), outcomes
        )
        self.assertEqual([self.balance(batch) for batch in batches], [0, 0, 0])
        self.assertEqual(self.balance(expired), 5)
        self.assertFalse(actions.issuable(self.store, self.fruit).exists())
        self.assertFalse(Stock.objects.filter(quantity__lt=0).exists())
        issued = Movement.objects.filter(kind=Movement.Kind.ISSUED)
        self.assertEqual(sorted(issued.values_list("delta", flat=True)), [-1] * LEFT)
        statuses = SupplyRequest.objects.filter(pk__in=[r.pk for r in requests])
        self.assertEqual(statuses.filter(status="issued").count(), LEFT)
        self.assertEqual(statuses.filter(status="approved").count(), REQUESTS - LEFT)
        self.assertEqual(IssueSlip.objects.count(), LEFT)
        self.assertEqual(ledger_mismatches(), [])

    def test_a_count_while_issuing_is_counted_against_the_issues_before_it(self):
        batch = self.put_in(self.suits, 10)
        requests = [self.approved({self.suits: 1}) for _ in range(8)]

        def count() -> None:
            actions.record_stocktake(
                self.store, {batch: Decimal(7)}, reason="三套破损", acting_user=self.keeper
            )

        outcomes = at_once([self.issuing(request) for request in requests] + [count])

        self.assertEqual([o for o in outcomes if o not in ("done", "refused")], [])
        line = StocktakeLine.objects.get()
        before = 10 - line.computed  # issued before the count locked the balance
        issued = outcomes.count("done") - 1  # the count's own outcome is "done"
        self.assertEqual(issued, before + min(7, len(requests) - before), outcomes)
        self.assertEqual(self.balance(batch), 7 - (issued - before))
        self.assertEqual(outcomes.count("refused"), len(requests) - issued)
        self.assertEqual(ledger_mismatches(), [])

    def test_requests_naming_the_same_items_in_other_orders_are_all_issued(self):
        # Each request takes its items' balances one after the other: in
        # different orders on two connections, PostgreSQL would find them
        # waiting on each other and abort one (a deadlock), though there is
        # stock for every request.
        for item in (self.suits, self.sanitizer, self.noodles):
            self.put_in(item, 100)
        orders = [
            (self.suits, self.sanitizer, self.noodles),
            (self.noodles, self.sanitizer, self.suits),
            (self.sanitizer, self.suits, self.noodles),
        ]
        requests = [self.approved(dict.fromkeys(orders[n % 3], 1)) for n in range(12)]

        outcomes = at_once([self.issuing(request) for request in requests])

        self.assertEqual(outcomes, ["done"] * len(requests))
        for item in (self.suits, self.sanitizer, self.noodles):
            self.assertEqual(
                Stock.objects.get(store=self.store, item=item).quantity, 100 - len(requests)
            )
        self.assertEqual(ledger_mismatches(), [])
