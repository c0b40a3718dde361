"""The stores: who sees which, stock on hand in units with low stock and
expiry marked, minimum levels, and opening a store with its keepers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from shouwang.core.models import LogEntry
from shouwang.lib import clock
from shouwang.people.models import Person
from shouwang.supplies.audit import SuppliesEvent
from shouwang.supplies.models import Category, MinimumLevel, Store
from shouwang.test import make_person

from .base import SuppliesTestCase, make_item
from .stock_pages import OtherCollegeStoreTestCase, text, texts


class StoreListTest(OtherCollegeStoreTestCase):
    def stores_seen_by(self, user) -> set[str]:
        self.login(user)
        response = self.client.get(reverse("supplies:store_list"))
        self.assertEqual(response.status_code, 200)
        return {store.name for store in response.context["stores"]}

    def test_a_keeper_sees_the_stores_they_keep_only(self):
        self.assertEqual(self.stores_seen_by(self.keeper), {"学院物资仓库"})

    def test_a_leader_sees_the_stores_of_their_college(self):
        self.assertEqual(self.stores_seen_by(self.leader), {"学院值班室", "学院物资仓库"})

    def test_an_admin_sees_every_store(self):
        self.assertEqual(len(self.stores_seen_by(self.admin)), 3)

    def test_only_leaders_and_admins_are_offered_a_new_store(self):
        self.login(self.keeper)
        self.assertEqual(texts(self.client.get(reverse("supplies:store_list")), "new-store"), [])
        self.login(self.leader)
        self.assertEqual(
            len(texts(self.client.get(reverse("supplies:store_list")), "new-store")), 1
        )

    def test_someone_who_manages_no_supplies_may_not_see_the_list(self):
        self.login(self.teacher)
        self.assertEqual(self.client.get(reverse("supplies:store_list")).status_code, 403)


class StoreDetailTest(OtherCollegeStoreTestCase):
    def page(self, store=None):
        return self.client.get(reverse("supplies:store_detail", args=[(store or self.store).pk]))

    def test_stock_on_hand_is_said_in_the_units_people_count_in(self):
        self.put_in(self.noodles, 720)
        self.put_in(self.noodles, 10)
        self.put_in(self.fruit, 500)
        self.put_in(self.suits, 100)
        self.login(self.keeper)
        response = self.page()
        self.assertEqual(text(response, f"on-hand-{self.noodles.pk}"), "730桶")
        self.assertEqual(text(response, f"on-hand-{self.fruit.pk}"), "1000斤")
        self.assertEqual(text(response, f"on-hand-{self.suits.pk}"), "100套")
        self.assertEqual(texts(response, "low"), [])

    def test_an_item_below_the_stores_minimum_is_marked_low(self):
        self.put_in(self.sanitizer, 30)
        self.put_in(self.suits, 100)
        MinimumLevel.objects.create(store=self.store, item=self.sanitizer, minimum=48)
        MinimumLevel.objects.create(store=self.store, item=self.suits, minimum=50)
        MinimumLevel.objects.create(store=self.store, item=self.noodles, minimum=24)
        self.login(self.keeper)
        response = self.page()
        rows = response.context["rows"]
        self.assertEqual(
            {row.item.name for row in rows if row.is_low}, {"免洗手消毒液", "桶装方便面"}
        )
        self.assertEqual(len(texts(response, "low")), 2)
        # An item with a minimum and none in stock is listed, at nothing.
        self.assertEqual(text(response, f"on-hand-{self.noodles.pk}"), "0桶")

    def test_batches_past_their_expiry_and_expiring_within_a_week_are_marked(self):
        expired = self.put_in(self.fruit, 10, expires_on=clock.today() - dt.timedelta(days=1))
        soon = self.put_in(self.fruit, 10, expires_on=clock.today() + dt.timedelta(days=7))
        later = self.put_in(self.fruit, 10, expires_on=clock.today() + dt.timedelta(days=8))
        self.login(self.keeper)
        response = self.page()
        self.assertEqual(len(texts(response, "expired")), 1)
        self.assertEqual(len(texts(response, "expiring")), 1)
        html = response.content.decode()
        expired_row = html[html.index(f'data-testid="batch-{expired.pk}"') :]
        self.assertIn('data-testid="expired"', expired_row[: expired_row.index("</tr>")])
        soon_row = html[html.index(f'data-testid="batch-{soon.pk}"') :]
        self.assertIn('data-testid="expiring"', soon_row[: soon_row.index("</tr>")])
        later_row = html[html.index(f'data-testid="batch-{later.pk}"') :]
        self.assertNotIn('data-testid="expir', later_row[: later_row.index("</tr>")])

    def test_a_keeper_of_another_store_gets_404(self):
        self.login(self.keeper_b)
        self.assertEqual(self.page().status_code, 404)
        self.login(self.keeper)
        self.assertEqual(self.page(self.store_b).status_code, 404)
        # Nor the store of their own college that they do not keep.
        self.assertEqual(self.page(self.duty_room).status_code, 404)

    def test_a_leader_of_another_college_gets_404(self):
        self.login(self.leader_b)
        self.assertEqual(self.page().status_code, 404)
        self.assertEqual(self.page(self.store_b).status_code, 200)

    def test_a_keeper_without_the_role_is_named_as_needing_it(self):
        clerk = make_person("T9003", "赵文员", Person.Kind.STAFF, unit=self.college)
        self.store.keepers.add(clerk)
        self.login(self.leader)
        response = self.page()
        self.assertEqual(len(texts(response, "without-role")), 1)
        self.assertIn("赵文员", text(response, "keepers"))

    def test_the_page_costs_the_same_however_many_items(self):
        for item in (self.noodles, self.fruit):
            self.put_in(item, 48)
            MinimumLevel.objects.create(store=self.store, item=item, minimum=100)
        self.login(self.keeper)
        self.page()  # the session, once
        with self.assertNumQueries(15):
            self.assertEqual(len(self.page().context["rows"]), 2)
        for n in range(8):
            item = make_item(f"物资{n}", Category.DAILY, "个", {"包": "10", "箱": "100"})
            self.put_in(item, 105)
            self.put_in(item, 3, store=self.duty_room)
            MinimumLevel.objects.create(store=self.store, item=item, minimum=200)
        with self.assertNumQueries(15):
            response = self.page()
        self.assertEqual(len(response.context["rows"]), 10)
        self.assertEqual(text(response, f"on-hand-{item.pk}"), "105个")


class StoreFormTest(SuppliesTestCase):
    clerk: Person

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.create_other_college()
        cls.clerk = make_person("T9004", "李保管", Person.Kind.STAFF, unit=cls.college)

    def test_a_leader_opens_a_store_with_keepers_by_number_or_name(self):
        self.login(self.leader)
        response = self.client.post(
            reverse("supplies:store_new"),
            {
                "name": "学生公寓B栋值班室",
                "kind": Store.Kind.DUTY_ROOM,
                "place": "B栋一层",
                "unit": self.college.pk,
                "keepers": "T9001、李保管",
            },
        )
        store = Store.objects.get(name="学生公寓B栋值班室")
        self.assertRedirects(response, store.get_absolute_url())
        self.assertEqual(set(store.keepers.all()), {self.keeper_person, self.clerk})
        self.assertTrue(
            LogEntry.objects.filter(kind=SuppliesEvent.STORE_SAVED, object_id=store.pk).exists()
        )
        # The keeper who holds the role runs it at once.
        self.login(self.keeper)
        self.assertEqual(self.client.get(store.get_absolute_url()).status_code, 200)

    def test_a_keeper_nobody_is_called_is_refused(self):
        self.login(self.leader)
        response = self.client.post(
            reverse("supplies:store_new"),
            {
                "name": "库房",
                "kind": Store.Kind.WAREHOUSE,
                "unit": self.college.pk,
                "keepers": "X1",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("keepers", response.context["form"].errors)
        self.assertFalse(Store.objects.filter(name="库房").exists())

    def test_a_leader_opens_stores_of_their_own_college_only(self):
        self.login(self.leader_b)
        response = self.client.post(
            reverse("supplies:store_new"),
            {"name": "库房", "kind": Store.Kind.WAREHOUSE, "unit": self.college.pk},
        )
        self.assertIn("unit", response.context["form"].errors)
        self.assertFalse(Store.objects.filter(name="库房").exists())

    def test_a_leader_edits_a_store_and_its_keepers(self):
        self.login(self.leader)
        response = self.client.post(
            reverse("supplies:store_edit", args=[self.store.pk]),
            {
                "name": "学院物资总库",
                "kind": Store.Kind.WAREHOUSE,
                "unit": self.college.pk,
                "keepers": "T9004",
            },
        )
        self.assertRedirects(response, self.store.get_absolute_url())
        self.store.refresh_from_db()
        self.assertEqual(self.store.name, "学院物资总库")
        self.assertEqual(list(self.store.keepers.all()), [self.clerk])

    def test_the_edit_form_shows_the_keepers_numbers(self):
        self.login(self.leader)
        response = self.client.get(reverse("supplies:store_edit", args=[self.store.pk]))
        self.assertContains(response, 'value="T9001"')

    def test_a_keeper_runs_the_store_but_may_not_open_or_edit_one(self):
        self.login(self.keeper)
        self.assertEqual(self.client.get(reverse("supplies:store_new")).status_code, 403)
        edit = reverse("supplies:store_edit", args=[self.store.pk])
        self.assertEqual(self.client.get(edit).status_code, 403)
        self.assertEqual(
            self.client.post(edit, {"name": "改名", "kind": "warehouse"}).status_code, 403
        )
        # A store they do not run is not revealed.
        other = reverse("supplies:store_edit", args=[self.duty_room.pk])
        self.assertEqual(self.client.get(other).status_code, 404)


class MinimumsTest(SuppliesTestCase):
    def test_a_keeper_sets_a_minimum_in_the_items_units(self):
        self.put_in(self.noodles, 30)
        self.login(self.keeper)
        url = reverse("supplies:store_minimums", args=[self.store.pk])
        response = self.client.post(url, {"item": self.noodles.pk, "quantity": "2", "unit": "箱"})
        self.assertRedirects(response, url)
        level = MinimumLevel.objects.get(store=self.store, item=self.noodles)
        self.assertEqual(level.minimum, Decimal(48))
        self.assertEqual(text(self.client.get(url), f"minimum-{self.noodles.pk}"), "2箱")
        # 30 桶 is below 2 箱: low on the store's page.
        response = self.client.get(self.store.get_absolute_url())
        self.assertEqual(len(texts(response, "low")), 1)
        self.assertTrue(
            LogEntry.objects.filter(
                kind=SuppliesEvent.MINIMUM_SET, object_id=self.store.pk
            ).exists()
        )

    def test_zero_clears_the_minimum(self):
        MinimumLevel.objects.create(store=self.store, item=self.suits, minimum=10)
        self.login(self.keeper)
        url = reverse("supplies:store_minimums", args=[self.store.pk])
        self.client.post(url, {"item": self.suits.pk, "quantity": "0", "unit": ""})
        self.assertFalse(MinimumLevel.objects.filter(store=self.store, item=self.suits).exists())

    def test_a_unit_the_item_is_not_counted_in_is_refused(self):
        self.login(self.keeper)
        url = reverse("supplies:store_minimums", args=[self.store.pk])
        response = self.client.post(url, {"item": self.suits.pk, "quantity": "2", "unit": "箱"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("quantity", response.context["form"].errors)
        self.assertFalse(MinimumLevel.objects.exists())

    def test_a_keeper_may_not_set_minimums_of_a_store_they_do_not_run(self):
        self.login(self.keeper)
        url = reverse("supplies:store_minimums", args=[self.duty_room.pk])
        response = self.client.post(url, {"item": self.suits.pk, "quantity": "2", "unit": ""})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(MinimumLevel.objects.exists())
