"""The supplies desk: the stores a user runs, with what is low and what
expires soon, and the ways to the requests and donations."""

from __future__ import annotations

import datetime as dt
from unittest.mock import patch

from django.urls import reverse

from shouwang.lib import clock
from shouwang.supplies.models import MinimumLevel

from .stock_pages import OtherCollegeStoreTestCase, text, texts


class DeskTest(OtherCollegeStoreTestCase):
    def desk(self, user):
        self.login(user)
        response = self.client.get(reverse("supplies:index"))
        self.assertEqual(response.status_code, 200)
        return response

    def test_a_keeper_sees_their_stores_low_stock_in_units(self):
        self.put_in(self.noodles, 30)
        self.put_in(self.noodles, 3, store=self.duty_room)
        MinimumLevel.objects.create(store=self.store, item=self.noodles, minimum=48)
        MinimumLevel.objects.create(store=self.duty_room, item=self.noodles, minimum=48)
        response = self.desk(self.keeper)
        self.assertEqual(len(texts(response, f"store-{self.store.pk}")), 1)
        self.assertEqual(texts(response, f"store-{self.duty_room.pk}"), [])
        row = text(response, f"low-{self.store.pk}-{self.noodles.pk}")
        self.assertIn("30桶", row)
        self.assertIn("2箱", row)
        self.assertEqual(texts(response, f"low-{self.duty_room.pk}-{self.noodles.pk}"), [])

    def test_expired_and_soon_expiring_batches_are_listed_first_to_go(self):
        expired = self.put_in(self.fruit, 5, expires_on=clock.today() - dt.timedelta(days=2))
        soon = self.put_in(self.fruit, 5, expires_on=clock.today() + dt.timedelta(days=3))
        later = self.put_in(self.fruit, 5, expires_on=clock.today() + dt.timedelta(days=30))
        elsewhere = self.put_in(self.fruit, 5, store=self.duty_room, expires_on=clock.today())
        response = self.desk(self.keeper)
        self.assertEqual(len(texts(response, f"expiring-{expired.pk}")), 1)
        self.assertEqual(len(texts(response, f"expiring-{soon.pk}")), 1)
        self.assertEqual(texts(response, f"expiring-{later.pk}"), [])
        self.assertEqual(texts(response, f"expiring-{elsewhere.pk}"), [])
        self.assertEqual(len(texts(response, "expired")), 1)

    def test_a_keeper_of_another_college_sees_none_of_this_colleges_stores(self):
        self.put_in(self.fruit, 5, expires_on=clock.today())
        MinimumLevel.objects.create(store=self.store, item=self.suits, minimum=10)
        response = self.desk(self.keeper_b)
        self.assertEqual(len(texts(response, f"store-{self.store_b.pk}")), 1)
        self.assertEqual(texts(response, f"store-{self.store.pk}"), [])
        self.assertEqual(list(response.context["low"]), [])
        self.assertEqual(list(response.context["expiring"]), [])

    def test_low_stock_comes_a_page_at_a_time_in_store_and_item_order(self):
        items = [self.noodles, self.suits, self.fruit]
        for item in items:
            MinimumLevel.objects.create(store=self.store, item=item, minimum=10)
            MinimumLevel.objects.create(store=self.duty_room, item=item, minimum=10)
        stores = sorted([self.store, self.duty_room], key=lambda store: store.name)
        expected = [
            f"low-{store.pk}-{item.pk}"
            for store in stores
            for item in sorted(items, key=lambda item: item.name)
        ]
        self.login(self.leader)
        shown = []
        with patch("shouwang.supplies.views.LOW_PER_PAGE", 4):
            first = self.client.get(reverse("supplies:index"))
            second = self.client.get(reverse("supplies:index"), {"low": 2})
        for page in (first, second):
            shown += [f"low-{level.store_id}-{level.item_id}" for level in page.context["low"]]
        self.assertEqual(shown, expected)
        self.assertContains(first, 'href="?low=2" data-testid="low-next"')
        self.assertNotContains(second, 'data-testid="low-next"')

    def test_it_leads_to_the_requests(self):
        response = self.desk(self.keeper)
        self.assertContains(response, f'href="{reverse("supplies:request_list")}"')
        self.assertContains(response, f'href="{reverse("supplies:item_list")}"')

    def test_someone_who_manages_no_supplies_may_not_see_it(self):
        self.login(self.student)
        self.assertEqual(self.client.get(reverse("supplies:index")).status_code, 403)
