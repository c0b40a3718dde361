"""A college store with a keeper (庞库管, a staff member holding the store-keeper
role), a small catalogue counted as the seed's donation was, and helpers to put
stock in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from shouwang.accounts.models import Role, User
from shouwang.people.models import Person
from shouwang.supplies import actions
from shouwang.supplies.models import Category, Item, ItemUnit, Store
from shouwang.test import BaseTestCase, make_person, make_user


def make_item(
    name: str,
    category: str,
    base_unit: str,
    packs: dict[str, str] | None = None,
    *,
    usual_unit: str = "",
    perishable: bool = False,
) -> Item:
    item = Item.objects.create(
        name=name,
        category=category,
        base_unit=base_unit,
        usual_unit=usual_unit,
        perishable=perishable,
    )
    for unit, factor in (packs or {}).items():
        ItemUnit.objects.create(item=item, name=unit, factor=Decimal(factor))
    return item


def make_catalogue(case: Any) -> None:
    """The seed's five items: 防护服 (套), 免洗手消毒液 (瓶), 桶装方便面 (桶, 1 箱 = 24 桶),
    火腿肠 (根, 1 箱 = 50 根), 水果 (kg, said in 斤, perishable)."""
    case.suits = make_item("防护服", Category.PROTECTIVE, "套")
    case.sanitizer = make_item("免洗手消毒液", Category.DISINFECTION, "瓶", {"箱": "24"})
    case.noodles = make_item("桶装方便面", Category.FOOD, "桶", {"箱": "24"})
    case.sausages = make_item("火腿肠", Category.FOOD, "根", {"箱": "50"})
    case.fruit = make_item(
        "水果", Category.FOOD, "kg", {"斤": "0.5"}, usual_unit="斤", perishable=True
    )


class SuppliesTestCase(BaseTestCase):
    """The shared personas' college with one store kept by `keeper`; the leader
    persona leads the college; nothing in stock yet."""

    keeper_person: Person
    keeper: User
    suits: Item
    sanitizer: Item
    noodles: Item
    sausages: Item
    fruit: Item
    store: Store
    duty_room: Store

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.keeper_person = make_person("T9001", "庞库管", Person.Kind.STAFF, unit=cls.college)
        cls.keeper = make_user(cls.keeper_person)
        cls.keeper.grant(Role.STORE_KEEPER)
        cls.store = Store.objects.create(
            name="学院物资仓库", kind=Store.Kind.WAREHOUSE, place="学院楼一层", unit=cls.college
        )
        cls.store.keepers.add(cls.keeper_person)
        cls.duty_room = Store.objects.create(
            name="学院值班室", kind=Store.Kind.DUTY_ROOM, place="学院楼二层", unit=cls.college
        )
        make_catalogue(cls)

    def put_in(
        self,
        item: Item,
        quantity: str | int,
        *,
        store: Store | None = None,
        expires_on: dt.date | None = None,
    ):
        """Receive a bought batch (no donor) into a store."""
        if item.perishable and expires_on is None:
            expires_on = dt.date(2099, 12, 31)
        return actions.receive(
            store or self.store,
            item,
            Decimal(quantity),
            source="采购",
            expires_on=expires_on,
            acting_user=self.keeper,
        )
