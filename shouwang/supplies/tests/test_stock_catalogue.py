"""The item catalogue: items by category with the units they are counted in,
items and their packs made and edited, an item's stock across the stores a
user runs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from shouwang.core.models import LogEntry
from shouwang.lib import clock
from shouwang.supplies import actions
from shouwang.supplies.audit import SuppliesEvent
from shouwang.supplies.models import Category, Item, ItemUnit

from .base import SuppliesTestCase
from .stock_pages import text, texts


def item_data(**fields) -> dict[str, str]:
    """The item form's fields for 瓶装水 (瓶, 1 箱 = 24 瓶), and its packs' lines."""
    data = {
        "name": "瓶装水",
        "category": Category.FOOD,
        "base_unit": "瓶",
        "usual_unit": "",
        "note": "",
        "packs-TOTAL_FORMS": "2",
        "packs-INITIAL_FORMS": "0",
        "packs-MIN_NUM_FORMS": "0",
        "packs-MAX_NUM_FORMS": "1000",
        "packs-0-name": "箱",
        "packs-0-factor": "24",
        "packs-1-name": "",
        "packs-1-factor": "",
    }
    data.update(fields)
    return data


class ItemListTest(SuppliesTestCase):
    def test_items_are_listed_by_category_with_their_units_and_what_is_held(self):
        self.put_in(self.noodles, 720)
        self.put_in(self.noodles, 24, store=self.duty_room)
        self.login(self.keeper)
        response = self.client.get(reverse("supplies:item_list"))
        self.assertEqual(len(texts(response, "category")), 3)
        row = f"item-{self.noodles.pk}"
        self.assertIn("1箱 = 24桶", text(response, row))
        # The keeper runs the college's store, not its duty room.
        self.assertIn("30箱", text(response, row))
        self.login(self.leader)
        response = self.client.get(reverse("supplies:item_list"))
        self.assertIn("31箱", text(response, row))

    def test_the_list_costs_the_same_however_many_items(self):
        self.login(self.keeper)
        url = reverse("supplies:item_list")
        self.client.get(url)
        with self.assertNumQueries(7):
            self.client.get(url)
        for n in range(5):
            item = Item.objects.create(name=f"物资{n}", category=Category.DAILY, base_unit="个")
            ItemUnit.objects.create(item=item, name="包", factor=10)
        with self.assertNumQueries(7):
            self.client.get(url)

    def test_someone_who_manages_no_supplies_may_not_see_it(self):
        self.login(self.student)
        self.assertEqual(self.client.get(reverse("supplies:item_list")).status_code, 403)


class ItemNewTest(SuppliesTestCase):
    def post(self, **fields):
        self.login(self.keeper)
        return self.client.post(reverse("supplies:item_new"), item_data(**fields))

    def test_a_keeper_adds_an_item_with_its_packs(self):
        response = self.post()
        item = Item.objects.get(name="瓶装水")
        self.assertRedirects(response, item.get_absolute_url())
        self.assertEqual(item.factors(), {"瓶": Decimal(1), "箱": Decimal(24)})
        self.assertEqual(item.say(Decimal(50)), "50瓶")
        self.assertTrue(
            LogEntry.objects.filter(kind=SuppliesEvent.ITEM_SAVED, object_id=item.pk).exists()
        )

    def test_a_pack_named_as_the_base_unit_is_refused(self):
        response = self.post(**{"packs-0-name": "瓶", "packs-0-factor": "24"})
        self.assertEqual(len(texts(response, "form-error")), 1)
        self.assertFalse(Item.objects.filter(name="瓶装水").exists())

    def test_a_pack_holding_nothing_is_refused(self):
        for factor in ("0", "-24"):
            with self.subTest(factor=factor):
                response = self.post(**{"packs-0-factor": factor})
                self.assertIn("factor", response.context["packs"].forms[0].errors)
                self.assertFalse(Item.objects.filter(name="瓶装水").exists())

    def test_a_unit_named_twice_is_refused(self):
        response = self.post(**{"packs-1-name": "箱", "packs-1-factor": "12"})
        self.assertEqual(len(texts(response, "form-error")), 1)
        self.assertFalse(Item.objects.filter(name="瓶装水").exists())

    def test_the_usual_unit_must_be_one_of_the_items_units(self):
        response = self.post(usual_unit="斤")
        self.assertEqual(len(texts(response, "form-error")), 1)
        self.assertFalse(Item.objects.filter(name="瓶装水").exists())

    def test_an_item_name_is_taken_once(self):
        response = self.post(name="防护服")
        self.assertIn("name", response.context["form"].errors)

    def test_someone_who_manages_no_supplies_may_not_add_one(self):
        self.login(self.teacher)
        response = self.client.post(reverse("supplies:item_new"), item_data())
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Item.objects.filter(name="瓶装水").exists())


class ItemEditTest(SuppliesTestCase):
    def edit(self, item: Item, **fields):
        self.login(self.leader)
        packs = list(item.packs.all())
        data = item_data(
            name=item.name,
            category=item.category,
            base_unit=item.base_unit,
            usual_unit=item.usual_unit,
            **{
                "packs-TOTAL_FORMS": str(len(packs) + 2),
                "packs-INITIAL_FORMS": str(len(packs)),
                "packs-0-name": "",
                "packs-0-factor": "",
            },
        )
        for n, pack in enumerate(packs):
            data[f"packs-{n}-name"] = pack.name
            data[f"packs-{n}-factor"] = str(pack.factor)
        for n in range(len(packs), len(packs) + 2):
            data[f"packs-{n}-name"] = ""
            data[f"packs-{n}-factor"] = ""
        data.update(fields)
        return self.client.post(reverse("supplies:item_edit", args=[item.pk]), data)

    def test_the_form_shows_the_items_packs(self):
        self.login(self.keeper)
        response = self.client.get(reverse("supplies:item_edit", args=[self.noodles.pk]))
        self.assertEqual(response.context["packs"].forms[0]["name"].value(), "箱")

    def test_a_pack_is_added_and_one_cleared_away(self):
        response = self.edit(
            self.sanitizer,
            **{
                "packs-0-name": "",
                "packs-0-factor": "",
                "packs-1-name": "件",
                "packs-1-factor": "48",
            },
        )
        self.assertRedirects(response, self.sanitizer.get_absolute_url())
        self.assertEqual(self.sanitizer.factors(), {"瓶": Decimal(1), "件": Decimal(48)})

    def test_the_base_unit_of_an_item_in_the_ledger_stays(self):
        self.put_in(self.suits, 10)
        response = self.edit(self.suits, base_unit="件")
        self.assertEqual(len(texts(response, "form-error")), 1)
        self.suits.refresh_from_db()
        self.assertEqual(self.suits.base_unit, "套")

    def test_a_unit_a_donation_was_pledged_in_keeps_its_size(self):
        actions.pledge(
            actions.donor_for(self.student_a),
            [actions.Pledge(self.noodles, Decimal(30), "箱")],
            unit=self.college,
            acting_user=self.leader,
        )
        response = self.edit(self.noodles, **{"packs-0-factor": "12"})
        self.assertEqual(len(texts(response, "form-error")), 1)
        self.assertEqual(self.noodles.factors()["箱"], Decimal(24))
        # Its name and the others may change.
        response = self.edit(self.noodles, name="方便面（桶装）")
        self.assertRedirects(response, self.noodles.get_absolute_url())


class ItemDetailTest(SuppliesTestCase):
    def test_it_shows_the_stock_in_the_stores_the_user_runs_batch_by_batch(self):
        expired = self.put_in(self.fruit, 50, expires_on=clock.today() - dt.timedelta(days=1))
        fresh = self.put_in(self.fruit, 100, expires_on=clock.today() + dt.timedelta(days=14))
        self.put_in(
            self.fruit, 5, store=self.duty_room, expires_on=clock.today() + dt.timedelta(days=14)
        )
        self.login(self.keeper)
        response = self.client.get(self.fruit.get_absolute_url())
        self.assertIn("1斤 = 0.5kg", text(response, "units"))
        self.assertEqual(texts(response, "on-hand"), ["300斤"])
        self.assertEqual(texts(response, "quantity"), ["100斤", "200斤"])
        self.assertIn("采购", text(response, f"batch-{fresh.pk}"))
        self.assertEqual(len(texts(response, "expired")), 1)
        self.assertIn(f"batch-{expired.pk}", response.content.decode())
        # The leader runs the duty room too.
        self.login(self.leader)
        response = self.client.get(self.fruit.get_absolute_url())
        self.assertEqual(sorted(texts(response, "on-hand")), ["10斤", "300斤"])
