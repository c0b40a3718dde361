"""Benchmark: the supplies ledger of 100,000 movements, and the last 10 units
asked for by 64 keepers at once.

    .venv/bin/python bench/supplies_ledger.py [--items 200] [--stores 20]
        [--movements 100000] [--repeat 15] [--concurrent 64] [--left 10] [--smoke]

Sets up a throwaway database (SQLite in a temporary folder, or DATABASE_URL,
which must name an empty PostgreSQL database) with a college, --stores stores
(a warehouse and duty rooms), --items items (a third counted in 箱 of 24, the
food in kg said in 斤 and perishable), 40 donations counted in at the
warehouse, one of them large (10 lines), two bought batches of every item, and
a ledger of --movements movements over 90 days, written with bulk_create from a
seeded simulation that never takes more than a balance holds: transfers from
the warehouse to the duty rooms (two rows each), issue slips of 1 to 10 items
to units, teams and people for eight purposes (most of the rows), counts
adjusting a balance (with their stocktakes), and write-offs; of 100,000
rows, 93,000 are issues on 17,000 slips, 2,500 transfers, 600 receipts, 640
adjustments and 640 write-offs. One pick in four prefers a batch of the large
donation, so its batches carry a sixth of the ledger (16,521 movements). The
balances (`Stock`) are summed from the same simulation; the run fails unless
`queries.ledger_mismatches()` finds nothing and the warehouse's stock on hand
equals its movements summed item by item here.

It then times, cold (the first call in this process) and warm (the median and
p95 of --repeat):

(a) stock on hand of the warehouse (the store with the most balances, 236):
    `queries.on_hand(store)`, and the store's page (`supplies:store_detail`)
    as its keeper opens it;
(b) the public disclosure (捐赠公示) of the large donation:
    `disclosure.text(donation)`;
(c) the last --left units of an item (two batches) asked for by --concurrent
    approved requests of 1 unit each, issued at once through `actions.issue`,
    each request in a thread of its own with its own database connection:
    exactly --left must succeed, the others must be refused with OutOfStock,
    nothing else may happen, the item's stock must end at zero and the ledger
    must be sound. The run exits non-zero if not.

It measures the trivial view (/health/) the same way, for the ratio.
--smoke runs 20 items, 4 stores and 2,000 movements with the same concurrency
check: CI runs it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from _common import counting, loadavg, machine, quantile, setup_django, time_page, trivial_rate

ON_HAND_TARGET_MS = 50.0
DISCLOSURE_TARGET_MS = 200.0
DONATIONS = 40
LARGE_LINES = 10
OTHER_LINES = 5
BOUGHT_PER_ITEM = 2
DAYS = 90
PURPOSES = [
    "隔离学生生活保障",
    "宿舍楼消杀",
    "核酸检测点",
    "楼栋值守",
    "食堂就餐",
    "返校学生",
    "教职工值班",
    "志愿者服务",
]
UNITS = ["计算机系", "信息管理系", "电子商务系", "研究生办公室", "学生工作办公室", "实验中心"]
TEAMS = 12
PEOPLE = 60
# Base unit, the packs it comes in, the usual unit, perishable: 1 箱 = 24 桶, 1 斤 = 0.5 kg.
UNIT_KINDS = [
    ("套", {}, "", False),
    ("瓶", {"箱": "24"}, "", False),
    ("桶", {"箱": "24"}, "", True),
    ("个", {"包": "10"}, "", False),
    ("包", {}, "", False),
    ("kg", {"斤": "0.5"}, "斤", True),
]
CATEGORIES = ["protective", "disinfection", "food", "daily", "medicine", "other"]


# -- the ledger, simulated ------------------------------------------------------------


@dataclass
class Ledger:
    """The simulation's state: balances by (batch, store), which batches each
    store holds, and the rows to write, as plain tuples and dicts."""

    rng: random.Random
    stores: int
    batch_items: list[int]  # the item (pk) of each batch
    large: set[int]  # the batches of the large donation
    balance: dict[tuple[int, int], int] = field(default_factory=lambda: defaultdict(int))
    held: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    held_large: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    # (kind, batch, store, delta, event, extra): event indexes `events`.
    rows: list[tuple[str, int, int, int, int, dict[str, Any]]] = field(default_factory=list)
    # ("slip", store, destination, purpose, [(item, quantity)]) or ("count", store, batch,
    # computed, counted) or ("other", ...): one per event, with its time.
    events: list[tuple[Any, ...]] = field(default_factory=list)

    def move(self, kind: str, batch: int, store: int, delta: int, **extra: Any) -> None:
        key = (batch, store)
        before = self.balance[key]
        after = before + delta
        if after < 0:
            raise AssertionError(f"the simulation took more than batch {batch} holds")
        self.balance[key] = after
        if before == 0 and after > 0:
            self.held[store].append(batch)
            if batch in self.large:
                self.held_large[store].append(batch)
        self.rows.append((kind, batch, store, delta, len(self.events) - 1, extra))

    def pick(self, store: int, exclude_items: set[int] | None = None) -> int | None:
        """A batch with stock in `store`, not of an item in `exclude_items`; one
        pick in four tries the large donation's batches first."""
        pools = [self.held[store]]
        if self.rng.random() < 0.25:
            pools.insert(0, self.held_large[store])
        for pool in pools:
            for _ in range(8):
                if not pool:
                    break
                i = self.rng.randrange(len(pool))
                batch = pool[i]
                if self.balance[(batch, store)] <= 0:  # emptied since: forget it
                    pool[i] = pool[-1]
                    pool.pop()
                elif self.batch_items[batch] not in (exclude_items or ()):
                    return batch
        return None

    def some_store(self) -> int:
        """The warehouse for one event in three, else a duty room."""
        if self.stores == 1 or self.rng.random() < 0.34:
            return 0
        return self.rng.randrange(1, self.stores)

    def transfer(self) -> bool:
        source = 0 if self.rng.random() < 0.7 else self.some_store()
        batch = self.pick(source)
        if batch is None or self.stores == 1:
            return False
        target = self.rng.choice([s for s in range(self.stores) if s != source])
        quantity = min(self.balance[(batch, source)], self.rng.randint(10, 200))
        self.events.append(("other",))
        self.move("transfer_out", batch, source, -quantity, other_store=target)
        self.move("transfer_in", batch, target, quantity, other_store=source)
        return True

    def issue(self, lines: int) -> bool:
        store = self.some_store()
        taken: list[tuple[int, int]] = []
        items: set[int] = set()
        for _ in range(lines):
            batch = self.pick(store, items)
            if batch is None:
                break
            items.add(self.batch_items[batch])
            taken.append((batch, min(self.balance[(batch, store)], self.rng.randint(1, 20))))
        if not taken:
            return False
        destination = self.rng.random()
        self.events.append(("slip", store, destination, self.rng.choice(PURPOSES), taken))
        for batch, quantity in taken:
            self.move("issued", batch, store, -quantity)
        return True

    def count(self) -> bool:
        store = self.some_store()
        batch = self.pick(store)
        if batch is None:
            return False
        computed = self.balance[(batch, store)]
        counted = max(0, computed + self.rng.choice([-3, -2, -1, 1, 2]))
        self.events.append(("count", store, batch, computed, counted))
        self.move("adjusted", batch, store, counted - computed, reason="盘点差异")
        return True

    def write_off(self) -> bool:
        store = self.some_store()
        batch = self.pick(store)
        if batch is None:
            return False
        quantity = min(self.balance[(batch, store)], self.rng.randint(1, 5))
        self.events.append(("other",))
        cause, reason = self.rng.choice([("expired", "过期"), ("damaged", "包装破损")])
        self.move("written_off", batch, store, -quantity, cause=cause, reason=reason)
        return True

    def run(self, movements: int) -> None:
        """Events until the ledger has exactly `movements` rows."""
        while len(self.rows) < movements:
            room = movements - len(self.rows)
            r = self.rng.random()
            if r < 0.12 and room >= 2:
                self.transfer()
            elif r < 0.15:
                self.count()
            elif r < 0.18:
                self.write_off()
            else:
                self.issue(min(room, self.rng.randint(1, 10)))


# -- building ---------------------------------------------------------------------


@dataclass
class Built:
    keeper: Any
    college: Any
    stores: list[Any]
    items: list[Any]
    large: Any
    movements: int
    seconds: float = 0.0


def make_catalogue(count: int) -> list[Any]:
    from shouwang.supplies.models import Item, ItemUnit

    kinds = [UNIT_KINDS[n % len(UNIT_KINDS)] for n in range(count)]
    items = Item.objects.bulk_create(
        [
            Item(
                name=f"物资{n:03d}",
                category=CATEGORIES[n % len(CATEGORIES)],
                base_unit=base,
                usual_unit=usual,
                perishable=perishable,
            )
            for n, (base, _packs, usual, perishable) in enumerate(kinds)
        ]
    )
    ItemUnit.objects.bulk_create(
        [
            ItemUnit(item=item, name=name, factor=Decimal(factor))
            for item, (_base, packs, _usual, _perishable) in zip(items, kinds, strict=True)
            for name, factor in packs.items()
        ]
    )
    return items


def make_people(college: Any) -> tuple[list[Any], list[Any], list[Any], Any]:
    """The units, teams and people supplies go to, and the keeper of every store."""
    from shouwang.accounts.models import Role, User
    from shouwang.people.models import Person, Unit
    from shouwang.volunteers.models import Team

    units = Unit.objects.bulk_create(
        [Unit(name=name, kind=Unit.Kind.DEPARTMENT, parent=college) for name in UNITS]
    )
    teams = Team.objects.bulk_create(
        [
            Team(name=f"{n + 1}号楼志愿服务队", kind=Team.Kind.BRIGADE, unit=college)
            for n in range(TEAMS)
        ]
    )
    people = Person.objects.bulk_create(
        [
            Person(number=f"S{n:06d}", name=f"学生{n}", kind=Person.Kind.STUDENT, unit=college)
            for n in range(PEOPLE)
        ]
    )
    keeper = User.objects.create(
        username="keeper",
        must_change_password=False,
        person=Person.objects.create(
            number="T09001", name="庞库管", kind=Person.Kind.STAFF, unit=college
        ),
    )
    keeper.grant(Role.STORE_KEEPER)
    return units, teams, people, keeper


def make_donations(
    college: Any, store: Any, items: list[Any], rng: random.Random, start: dt.datetime
) -> list:
    """40 donations counted in at the warehouse; the first has 10 lines. Their lines."""
    from shouwang.supplies.models import Donation, DonationLine, Donor

    kinds = [Donor.Kind.COMPANY, Donor.Kind.ALUMNI, Donor.Kind.PARENT]
    donors = Donor.objects.bulk_create(
        [
            Donor(kind=kinds[n % 3], name=f"捐赠方{n}", contact_phone=f"1380000{n:04d}")
            for n in range(DONATIONS)
        ]
    )
    donations = Donation.objects.bulk_create(
        [
            Donation(
                donor=donor,
                unit=college,
                publicity=Donation.Publicity.ANONYMOUS if n % 5 == 4 else Donation.Publicity.NAMED,
                status=Donation.Status.RECEIVED,
                pledged_at=start + dt.timedelta(hours=n),
                received_at=start + dt.timedelta(hours=n + 2),
                store=store,
            )
            for n, donor in enumerate(donors)
        ]
    )
    lines = []
    for n, donation in enumerate(donations):
        chosen = rng.sample(items, min(len(items), LARGE_LINES if n == 0 else OTHER_LINES))
        for position, item in enumerate(chosen):
            quantity = Decimal(rng.randint(20_000, 40_000) if n == 0 else rng.randint(500, 5_000))
            unit = "箱" if item.base_unit in ("瓶", "桶") else item.base_unit
            lines.append(
                DonationLine(
                    donation=donation,
                    item=item,
                    unit=unit,
                    pledged=quantity,
                    received=quantity,
                    position=position,
                )
            )
    return DonationLine.objects.bulk_create(lines)


def make_batches(
    lines: list, items: list, stores: int, rng: random.Random, start: dt.datetime
) -> tuple:
    """A batch for every donation line (at the warehouse) and bought ones of
    every item (at any store); each with the store and quantity it came in with."""
    from shouwang.supplies.models import Batch

    expiry = start.date() + dt.timedelta(days=365)
    batches, arrivals = [], []
    for n, line in enumerate(lines):
        batches.append(
            Batch(
                item=line.item,
                line=line,
                expires_on=expiry if line.item.perishable else None,
                received_at=start + dt.timedelta(hours=2 + n // 5),
            )
        )
        arrivals.append((0, int(line.received)))
    for item in items:
        for k in range(BOUGHT_PER_ITEM):
            batches.append(
                Batch(
                    item=item,
                    source="采购",
                    expires_on=expiry if item.perishable else None,
                    received_at=start + dt.timedelta(days=1 + k),
                )
            )
            arrivals.append((rng.randrange(stores), rng.randint(2_000, 10_000)))
    return Batch.objects.bulk_create(batches, batch_size=2000), arrivals


def write_ledger(
    built: Built, ledger: Ledger, batches: list, recipients: tuple, start: dt.datetime
) -> None:
    """The simulated events as requests, slips, stocktakes and movements; then the balances."""
    from shouwang.supplies.models import (
        IssueSlip,
        Movement,
        RequestLine,
        Stock,
        Stocktake,
        StocktakeLine,
        SupplyRequest,
    )

    units, teams, people = recipients
    step = dt.timedelta(days=DAYS) / max(1, len(ledger.events))
    at = [start + dt.timedelta(days=3) + step * n for n in range(len(ledger.events))]
    requests, slips, lines, stocktakes, counted = {}, {}, [], {}, []
    for n, event in enumerate(ledger.events):
        if event[0] == "slip":
            _, store, destination, purpose, taken = event
            target = (
                {"for_unit": units[int(destination * 10) % len(units)]}
                if destination < 0.4
                else {"for_team": teams[int(destination * 100) % len(teams)]}
                if destination < 0.8
                else {"for_person": people[int(destination * 1000) % len(people)]}
            )
            requests[n] = SupplyRequest(
                requester=built.keeper.person,
                purpose=purpose,
                unit=built.college,
                status=SupplyRequest.Status.DELIVERED,
                created_at=at[n] - dt.timedelta(hours=2),
                decided_at=at[n] - dt.timedelta(hours=1),
                decided_by=built.keeper,
                **target,
            )
            slips[n] = IssueSlip(
                request=requests[n],
                store=built.stores[store],
                issued_at=at[n],
                issued_by=built.keeper,
                received_at=at[n] + dt.timedelta(minutes=30),
                via=IssueSlip.Via.BUTTON,
            )
            for batch, quantity in taken:
                lines.append(
                    RequestLine(
                        request=requests[n],
                        item_id=batches[batch].item_id,
                        asked=Decimal(quantity),
                        approved=Decimal(quantity),
                    )
                )
        elif event[0] == "count":
            _, store, batch, computed, count = event
            stocktakes[n] = Stocktake(
                store=built.stores[store], at=at[n], by=built.keeper, reason="盘点差异"
            )
            counted.append(
                StocktakeLine(
                    stocktake=stocktakes[n],
                    batch=batches[batch],
                    computed=Decimal(computed),
                    counted=Decimal(count),
                )
            )
    SupplyRequest.objects.bulk_create(requests.values(), batch_size=2000)
    RequestLine.objects.bulk_create(lines, batch_size=2000)
    IssueSlip.objects.bulk_create(slips.values(), batch_size=2000)
    Stocktake.objects.bulk_create(stocktakes.values(), batch_size=2000)
    StocktakeLine.objects.bulk_create(counted, batch_size=2000)
    Movement.objects.bulk_create(
        (
            Movement(
                kind=kind,
                batch=batches[batch],
                store=built.stores[store],
                item_id=batches[batch].item_id,
                delta=Decimal(delta),
                at=at[event] if event >= 0 else batches[batch].received_at,
                by=built.keeper,
                slip=slips.get(event),
                stocktake=stocktakes.get(event),
                other_store=built.stores[extra["other_store"]] if "other_store" in extra else None,
                cause=extra.get("cause", ""),
                reason=extra.get("reason", ""),
            )
            for kind, batch, store, delta, event, extra in ledger.rows
        ),
        batch_size=2000,
    )
    Stock.objects.bulk_create(
        (
            Stock(
                batch=batches[batch],
                store=built.stores[store],
                item_id=batches[batch].item_id,
                quantity=Decimal(quantity),
            )
            for (batch, store), quantity in ledger.balance.items()
        ),
        batch_size=2000,
    )


def build(items: int, stores: int, movements: int, seed: int = 20) -> Built:
    from django.core.management import call_command
    from django.db import connection, transaction

    from shouwang.lib import clock
    from shouwang.people.models import Unit
    from shouwang.supplies.models import MinimumLevel, Store

    call_command("migrate", verbosity=0)
    rng = random.Random(seed)
    started = time.perf_counter()
    start = clock.now() - dt.timedelta(days=DAYS + 5)
    with transaction.atomic():
        university = Unit.objects.create(name="山西财经大学", kind=Unit.Kind.UNIVERSITY)
        college = Unit.objects.create(name="信息学院", kind=Unit.Kind.COLLEGE, parent=university)
        units, teams, people, keeper = make_people(college)
        store_rows = Store.objects.bulk_create(
            [
                Store(
                    name="学院物资仓库" if n == 0 else f"{n}号楼值班室",
                    kind=Store.Kind.WAREHOUSE if n == 0 else Store.Kind.DUTY_ROOM,
                    unit=college,
                )
                for n in range(stores)
            ]
        )
        keeper.person.kept_stores.add(*store_rows)
        catalogue = make_catalogue(items)
        MinimumLevel.objects.bulk_create(
            [
                MinimumLevel(store=store, item=item, minimum=Decimal(100))
                for store in store_rows
                for item in rng.sample(catalogue, min(len(catalogue), 30))
            ]
        )
        lines = make_donations(college, store_rows[0], catalogue, rng, start)
        batches, arrivals = make_batches(lines, catalogue, stores, rng, start)
        large = lines[0].donation
        ledger = Ledger(
            rng,
            stores,
            [batch.item_id for batch in batches],
            {n for n, batch in enumerate(batches) if batch.line and batch.line.donation == large},
        )
        for n, (store, quantity) in enumerate(arrivals):
            ledger.move("received", n, store, quantity)  # event -1: at the batch's arrival
        ledger.run(movements)
        built = Built(keeper, college, store_rows, catalogue, large, len(ledger.rows))
        write_ledger(built, ledger, batches, (units, teams, people), start)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    built.seconds = time.perf_counter() - started
    return built


# -- checking -----------------------------------------------------------------------


def check_ledger(built: Built) -> None:
    """The ledger is sound, and the warehouse's stock on hand is its movements summed here."""
    from django.db.models import Sum

    from shouwang.supplies import queries
    from shouwang.supplies.models import Movement, Stock

    mismatches = queries.ledger_mismatches()
    if mismatches:
        raise SystemExit(f"the ledger is not sound: {mismatches[:5]} … ({len(mismatches)})")
    if Stock.objects.filter(quantity__lt=0).exists():
        raise SystemExit("a balance is below zero")
    store = built.stores[0]
    summed = dict(
        Movement.objects.filter(store=store)
        .order_by()
        .values_list("item")
        .annotate(total=Sum("delta"))
        .values_list("item", "total")
    )
    shown = {row.item.pk: row.quantity for row in queries.on_hand(store)}
    wrong = {
        pk: (shown.get(pk, 0), total)
        for pk, total in summed.items()
        if shown.get(pk, Decimal(0)) != total
    }
    if wrong:
        raise SystemExit(f"on_hand differs from the movements (shown, summed): {wrong}")
    print(
        f"  ledger_mismatches() == []: the {Stock.objects.count():,} balances equal their "
        f"movements; the warehouse's on hand ({len(shown)} items) equals its movements summed"
    )


# -- timing ------------------------------------------------------------------------


@dataclass
class CallTiming:
    cold_ms: float
    median_ms: float
    p95_ms: float
    statements: int
    result: Any


def time_call(name: str, call: Callable[[], Any], repeat: int, width: int = 44) -> CallTiming:
    """A function's first call (cold) and `repeat` more, printed as `time_page` prints a page."""

    def once() -> tuple[float, int, Any]:
        statements: list[int] = []
        with counting(statements):
            started = time.perf_counter()
            result = call()
            elapsed = time.perf_counter() - started
        return elapsed * 1000, len(statements), result

    cold, _, result = once()
    samples = [once() for _ in range(repeat)]
    timing = CallTiming(
        cold,
        statistics.median(s[0] for s in samples),
        quantile([s[0] for s in samples], 0.95),
        samples[-1][1],
        result,
    )
    print(
        f"  {name:<{width}} cold {timing.cold_ms:7.1f} ms  median {timing.median_ms:7.1f} ms  "
        f"p95 {timing.p95_ms:7.1f} ms  {timing.statements} statements"
    )
    return timing


def verdict(what: str, median_ms: float, cold_ms: float, target_ms: float, vendor: str) -> None:
    met = "PASS" if median_ms < target_ms else "FAIL"
    print(
        f"  {met}: {what} under {target_ms:.0f} ms ({vendor}): median {median_ms:.1f} ms "
        f"(cold {cold_ms:.1f} ms)"
    )


def store_page(built: Built, client: Any, repeat: int) -> None:
    from django.urls import reverse

    url = reverse("supplies:store_detail", args=[built.stores[0].pk])
    client.force_login(built.keeper)
    time_page(client, "the warehouse's page, as its keeper", url, repeat, width=44)


# -- the last units, asked for at once ---------------------------------------------------


@dataclass
class Wave:
    outcomes: list[str]
    latencies: list[float]
    seconds: float


def last_units(built: Built, left: int) -> tuple[Any, Any]:
    """An item with `left` units in the warehouse, in two batches, and nothing elsewhere."""
    from shouwang.supplies import actions
    from shouwang.supplies.models import Item

    item = Item.objects.create(name="N95口罩", category="protective", base_unit="个")
    store = built.stores[0]
    for part in (left - left // 2, left // 2):
        if part:
            actions.receive(store, item, Decimal(part), source="采购", acting_user=built.keeper)
    return item, store


def approved_requests(built: Built, item: Any, count: int) -> list[Any]:
    from shouwang.supplies import actions

    requests = []
    for n in range(count):
        request = actions.submit_request(
            built.keeper.person,
            [actions.Asked(item, Decimal(1))],
            purpose="隔离学生防护",
            for_unit=built.college,
            acting_user=built.keeper,
        )
        requests.append(
            actions.decide_request(
                request,
                {line.pk: Decimal(1) for line in request.lines.all()},
                note=f"第{n + 1}份",
                acting_user=built.keeper,
            )
        )
    return requests


def issue_at_once(built: Built, store: Any, requests: list[Any]) -> Wave:
    """Each request issued from a thread of its own, on a connection of its
    own, all released together."""
    from django.db import connection

    from shouwang.supplies import actions

    start = threading.Barrier(len(requests) + 1)
    outcomes: list[str] = []
    latencies: list[float] = []

    def run(request: Any) -> None:
        try:
            connection.ensure_connection()  # connected before the start, not on its time
            start.wait(timeout=60)
            began = time.perf_counter()
            try:
                actions.issue(request, store, acting_user=built.keeper)
                outcomes.append("issued")
            except actions.OutOfStock:
                outcomes.append("refused")
            latencies.append(time.perf_counter() - began)
        except Exception as error:  # reported as the outcome
            outcomes.append(f"{type(error).__name__}: {error}".splitlines()[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(request,)) for request in requests]
    for thread in threads:
        thread.start()
    start.wait(timeout=60)
    began = time.perf_counter()
    for thread in threads:
        thread.join(timeout=300)
    return Wave(outcomes, latencies, time.perf_counter() - began)


def concurrency(built: Built, concurrent: int, left: int) -> bool:
    """The last `left` units asked for by `concurrent` requests at once; True
    if the outcome is right."""
    from shouwang.supplies import actions, queries
    from shouwang.supplies.models import Movement, Stock, SupplyRequest

    item, store = last_units(built, left)
    requests = approved_requests(built, item, concurrent)
    wave = issue_at_once(built, store, requests)
    issued = wave.outcomes.count("issued")
    refused = wave.outcomes.count("refused")
    others = sorted(set(o for o in wave.outcomes if o not in ("issued", "refused")))
    held = sum(Stock.objects.filter(item=item).values_list("quantity", flat=True), Decimal(0))
    moved = sum(
        Movement.objects.filter(item=item, kind=Movement.Kind.ISSUED).values_list(
            "delta", flat=True
        ),
        Decimal(0),
    )
    statuses = SupplyRequest.objects.filter(pk__in=[r.pk for r in requests])
    mismatches = queries.ledger_mismatches()
    print(
        f"  {concurrent} requests for 1 of the last {left} units, issued at once "
        f"({concurrent} threads, a connection each): {issued} issued, {refused} refused "
        f"(OutOfStock), {len(wave.outcomes) - issued - refused} other"
    )
    print(
        f"  the wave took {wave.seconds * 1000:.0f} ms; each issue median "
        f"{statistics.median(wave.latencies or [0]) * 1000:.1f} ms, max "
        f"{max(wave.latencies or [0]) * 1000:.1f} ms; stock left {item.say(held)}, "
        f"issued {item.say(-moved)}, "
        f"requests issued {statuses.filter(status='issued').count()}, still approved "
        f"{statuses.filter(status='approved').count()}; ledger_mismatches() "
        f"{'== []' if not mismatches else mismatches[:3]}"
    )
    for other in others:
        print(f"    other outcome: {other}")
    right = (
        issued == left
        and refused == concurrent - left
        and not others
        and held == 0
        and -moved == left
        and not actions.issuable(store, item).exists()
        and statuses.filter(status="issued").count() == left
        and not mismatches
    )
    print(
        f"  {'PASS' if right else 'FAIL'}: exactly {left} succeed, {concurrent - left} are "
        "refused, stock ends at zero, the ledger is sound"
    )
    return right


# -- main ------------------------------------------------------------------------------


def measure(built: Built, args: argparse.Namespace) -> None:
    from django.db import connection
    from django.test import Client

    from shouwang.supplies import disclosure, queries
    from shouwang.supplies.models import Movement

    vendor = connection.vendor
    store = built.stores[0]
    large_rows = Movement.objects.filter(batch__line__donation=built.large).count()
    print("server time per call (in this process):")
    on_hand = time_call("on_hand(the warehouse)", lambda: queries.on_hand(store), args.repeat)
    print(f"  (the warehouse holds {len(on_hand.result)} items)")
    client = Client()
    store_page(built, client, args.repeat)
    name = f"disclosure, {large_rows:,} movements"
    disclosed = time_call(name, lambda: disclosure.text(built.large), args.repeat)
    print(f"  (disclosure.text: {len(disclosed.result.splitlines())} lines of text)")
    rate = trivial_rate(client, max(200, args.repeat * 20))
    print(
        f"  trivial view (/health/): {rate:,.0f} requests/s, {1000 / rate:.2f} ms each; "
        f"on_hand / trivial {on_hand.median_ms * rate / 1000:.1f}×, "
        f"disclosure / trivial {disclosed.median_ms * rate / 1000:.1f}×"
    )
    if (args.items, args.stores, args.movements) != (200, 20, 100_000):
        print("targets: set for 200 items, 20 stores and 100,000 movements; not judged here")
        return
    print("targets:")
    verdict(
        "stock on hand of a store", on_hand.median_ms, on_hand.cold_ms, ON_HAND_TARGET_MS, vendor
    )
    verdict(
        "the public disclosure",
        disclosed.median_ms,
        disclosed.cold_ms,
        DISCLOSURE_TARGET_MS,
        vendor,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--stores", type=int, default=20)
    parser.add_argument("--movements", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--concurrent", type=int, default=64)
    parser.add_argument("--left", type=int, default=10)
    parser.add_argument("--smoke", action="store_true", help="20 items, 4 stores, 2,000 movements")
    args = parser.parse_args()
    if args.smoke:
        args.items, args.stores, args.movements, args.repeat = 20, 4, 2_000, 3

    with tempfile.TemporaryDirectory(prefix="shouwang-supplies-") as tmp:
        setup_django(Path(tmp))
        print(
            f"{args.items} items, {args.stores} stores, {DONATIONS} donations (one of "
            f"{LARGE_LINES} lines), {args.movements:,} movements over {DAYS} days:"
        )
        built = build(args.items, args.stores, args.movements)
        print(f"  built and analysed in {built.seconds:.1f} s ({built.movements:,} movements)")
        print(f"{machine()}; load average {loadavg()}")
        check_ledger(built)
        measure(built, args)
        print("concurrency:")
        right = concurrency(built, args.concurrent, args.left)
    if not right:
        sys.exit(1)
    if args.smoke:
        print(
            "smoke: the ledger is sound, the warehouse's stock on hand is its movements, "
            f"and the last {args.left} units went to exactly {args.left} requests"
        )


if __name__ == "__main__":
    main()
