"""The ledger's pages: receiving, transferring, writing off and counting
stock, as a keeper sees the result on the store's page and its movements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.messages import constants
from django.urls import reverse

from shouwang.lib import clock
from shouwang.supplies.models import Batch, Movement, Stocktake
from shouwang.supplies.queries import ledger_mismatches
from shouwang.supplies.views_stock import MOVEMENTS_PAGE_SIZE

from .base import SuppliesTestCase
from .stock_pages import text, texts


def said_on_hand(case, store, item) -> str:
    """What the store's page says is on hand of `item` ('' if it is not listed)."""
    found = texts(case.client.get(store.get_absolute_url()), f"on-hand-{item.pk}")
    return found[0] if found else ""


def levels(response) -> list[int]:
    return [message.level for message in response.context["messages"]]


class ReceiveTest(SuppliesTestCase):
    def url(self, store=None) -> str:
        return reverse("supplies:stock_receive", args=[(store or self.store).pk])

    def test_a_keeper_receives_boxes_and_the_store_says_them(self):
        self.login(self.keeper)
        response = self.client.post(
            self.url(), {"item": self.noodles.pk, "quantity": "30", "unit": "箱", "source": "超市"}
        )
        self.assertRedirects(response, self.store.get_absolute_url())
        self.assertEqual(said_on_hand(self, self.store, self.noodles), "30箱")
        batch = Batch.objects.get(item=self.noodles)
        self.assertEqual(batch.source, "超市")
        self.assertEqual(ledger_mismatches(), [])

    def test_fruit_is_received_in_jin_with_its_expiry(self):
        self.login(self.keeper)
        response = self.client.post(
            self.url(),
            {
                "item": self.fruit.pk,
                "quantity": "1000",
                "unit": "斤",
                "source": "果园",
                "expires_on": "2099-04-22",
            },
        )
        self.assertRedirects(response, self.store.get_absolute_url())
        self.assertEqual(Batch.objects.get(item=self.fruit).expires_on, dt.date(2099, 4, 22))
        self.assertEqual(said_on_hand(self, self.store, self.fruit), "1000斤")

    def test_a_perishable_item_without_its_expiry_is_refused(self):
        self.login(self.keeper)
        response = self.client.post(
            self.url(), {"item": self.fruit.pk, "quantity": "10", "unit": "斤", "source": "果园"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("expires_on", response.context["form"].errors)
        self.assertFalse(Movement.objects.exists())

    def test_a_unit_the_item_is_not_counted_in_is_refused(self):
        self.login(self.keeper)
        response = self.client.post(
            self.url(), {"item": self.suits.pk, "quantity": "3", "unit": "箱", "source": "厂家"}
        )
        self.assertIn("quantity", response.context["form"].errors)
        self.assertFalse(Movement.objects.exists())

    def test_a_keeper_may_not_receive_into_a_store_they_do_not_run(self):
        self.login(self.keeper)
        response = self.client.post(
            self.url(self.duty_room),
            {"item": self.suits.pk, "quantity": "3", "unit": "", "source": "厂家"},
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Movement.objects.exists())


class TransferTest(SuppliesTestCase):
    def url(self) -> str:
        return reverse("supplies:stock_transfer", args=[self.store.pk])

    def test_a_leader_moves_boxes_to_another_store_they_run(self):
        self.put_in(self.noodles, 720)
        self.login(self.leader)
        response = self.client.post(
            self.url(),
            {
                "item": self.noodles.pk,
                "quantity": "2",
                "unit": "箱",
                "to_store": self.duty_room.pk,
                "reason": "值班备用",
            },
        )
        self.assertRedirects(response, self.store.get_absolute_url())
        self.assertEqual(said_on_hand(self, self.store, self.noodles), "28箱")
        self.assertEqual(said_on_hand(self, self.duty_room, self.noodles), "2箱")
        self.assertEqual(ledger_mismatches(), [])

    def test_a_transfer_to_a_store_the_keeper_does_not_run_is_refused(self):
        self.put_in(self.noodles, 720)
        self.login(self.keeper)
        response = self.client.post(
            self.url(),
            {"item": self.noodles.pk, "quantity": "2", "unit": "箱", "to_store": self.duty_room.pk},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("to_store", response.context["form"].errors)
        self.assertEqual(len(texts(response, "no-other-store")), 1)
        self.assertFalse(Movement.objects.filter(kind=Movement.Kind.TRANSFER_OUT).exists())
        self.assertEqual(said_on_hand(self, self.store, self.noodles), "30箱")

    def test_more_than_the_store_holds_is_refused_and_nothing_moves(self):
        self.put_in(self.suits, 5)
        self.login(self.leader)
        response = self.client.post(
            self.url(),
            {"item": self.suits.pk, "quantity": "6", "unit": "", "to_store": self.duty_room.pk},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(texts(response, "form-error")), 1)
        self.assertEqual(said_on_hand(self, self.store, self.suits), "5套")
        self.assertEqual(said_on_hand(self, self.duty_room, self.suits), "")

    def test_an_expired_batch_stays_and_is_marked_as_not_to_be_issued(self):
        self.put_in(self.fruit, 50, expires_on=clock.today() - dt.timedelta(days=1))
        self.login(self.leader)
        response = self.client.post(
            self.url(),
            {"item": self.fruit.pk, "quantity": "10", "unit": "斤", "to_store": self.duty_room.pk},
        )
        self.assertEqual(len(texts(response, "form-error")), 1)
        self.assertFalse(Movement.objects.filter(kind=Movement.Kind.TRANSFER_OUT).exists())
        page = self.client.get(self.store.get_absolute_url())
        self.assertEqual(len(texts(page, "expired")), 1)


class WriteOffTest(SuppliesTestCase):
    def url(self) -> str:
        return reverse("supplies:stock_write_off", args=[self.store.pk])

    def test_expired_fruit_is_written_off_in_jin(self):
        batch = self.put_in(self.fruit, 50, expires_on=clock.today() - dt.timedelta(days=1))
        self.put_in(self.fruit, 10, expires_on=clock.today() + dt.timedelta(days=30))
        self.login(self.keeper)
        form = self.client.get(self.url(), {"batch": batch.pk}).context["form"]
        self.assertEqual(form["batch"].value(), str(batch.pk))
        response = self.client.post(
            self.url(), {"batch": batch.pk, "quantity": "100", "unit": "斤", "cause": "expired"}
        )
        self.assertRedirects(response, self.store.get_absolute_url())
        self.assertEqual(said_on_hand(self, self.store, self.fruit), "20斤")
        movement = Movement.objects.get(kind=Movement.Kind.WRITTEN_OFF)
        self.assertEqual((movement.delta, movement.cause), (Decimal(-50), "expired"))

    def test_damaged_stock_needs_to_say_what_happened(self):
        batch = self.put_in(self.sanitizer, 24)
        self.login(self.keeper)
        data = {"batch": batch.pk, "quantity": "2", "unit": "", "cause": "damaged"}
        response = self.client.post(self.url(), data)
        self.assertIn("reason", response.context["form"].errors)
        self.assertFalse(Movement.objects.filter(kind=Movement.Kind.WRITTEN_OFF).exists())
        self.client.post(self.url(), {**data, "reason": "搬运时破损"})
        self.assertEqual(said_on_hand(self, self.store, self.sanitizer), "22瓶")

    def test_more_than_the_batch_holds_is_refused(self):
        batch = self.put_in(self.sanitizer, 24)
        self.login(self.keeper)
        response = self.client.post(
            self.url(),
            {"batch": batch.pk, "quantity": "2", "unit": "箱", "cause": "damaged", "reason": "摔"},
        )
        self.assertEqual(len(texts(response, "form-error")), 1)
        self.assertEqual(said_on_hand(self, self.store, self.sanitizer), "1箱")

    def test_a_batch_of_another_store_is_not_offered(self):
        batch = self.put_in(self.sanitizer, 24, store=self.duty_room)
        self.login(self.leader)
        response = self.client.post(
            self.url(), {"batch": batch.pk, "quantity": "1", "unit": "", "cause": "expired"}
        )
        self.assertIn("batch", response.context["form"].errors)
        self.assertFalse(Movement.objects.filter(kind=Movement.Kind.WRITTEN_OFF).exists())


class StocktakeTest(SuppliesTestCase):
    def url(self) -> str:
        return reverse("supplies:stocktake_new", args=[self.store.pk])

    def setUp(self):
        self.noodles_batch = self.put_in(self.noodles, 720)
        self.suits_batch = self.put_in(self.suits, 100)
        self.login(self.keeper)

    def test_the_form_lists_every_batch_with_its_computed_balance(self):
        response = self.client.get(self.url())
        self.assertEqual(texts(response, "computed"), ["30箱", "100套"])

    def test_a_difference_without_a_reason_is_refused_with_a_message(self):
        response = self.client.post(
            self.url(),
            {
                f"count_{self.noodles_batch.pk}": "29",
                f"unit_{self.noodles_batch.pk}": "箱",
                f"count_{self.suits_batch.pk}": "100",
                f"unit_{self.suits_batch.pk}": "套",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(constants.ERROR, levels(response))
        self.assertIn("reason", response.context["form"].errors)
        self.assertFalse(Stocktake.objects.exists())
        self.assertEqual(said_on_hand(self, self.store, self.noodles), "30箱")

    def test_a_count_with_its_reason_adjusts_the_stock_and_compares_on_its_page(self):
        response = self.client.post(
            self.url(),
            {
                f"count_{self.noodles_batch.pk}": "29",
                f"unit_{self.noodles_batch.pk}": "箱",
                f"count_{self.suits_batch.pk}": "100",
                f"unit_{self.suits_batch.pk}": "套",
                "reason": "一箱受潮已丢弃",
            },
        )
        stocktake = Stocktake.objects.get()
        self.assertRedirects(response, stocktake.get_absolute_url())
        self.assertEqual(said_on_hand(self, self.store, self.noodles), "29箱")
        page = self.client.get(stocktake.get_absolute_url())
        line = f"line-{self.noodles_batch.pk}"
        self.assertIn("30箱", text(page, line))
        self.assertEqual(texts(page, "computed"), ["30箱", "100套"])
        self.assertEqual(texts(page, "counted"), ["29箱", "100套"])
        self.assertEqual(texts(page, "difference"), ["-1箱", "—"])
        self.assertEqual(text(page, "reason"), "一箱受潮已丢弃")
        self.assertEqual(ledger_mismatches(), [])

    def test_counts_that_agree_need_no_reason_and_uncounted_batches_are_left(self):
        response = self.client.post(
            self.url(),
            {f"count_{self.suits_batch.pk}": "100", f"unit_{self.suits_batch.pk}": "套"},
        )
        stocktake = Stocktake.objects.get()
        self.assertRedirects(response, stocktake.get_absolute_url())
        self.assertEqual([line.batch for line in stocktake.lines.all()], [self.suits_batch])
        self.assertFalse(Movement.objects.filter(kind=Movement.Kind.ADJUSTED).exists())

    def test_counting_nothing_is_refused(self):
        response = self.client.post(self.url(), {"reason": "x"})
        self.assertEqual(len(texts(response, "form-error")), 1)
        self.assertFalse(Stocktake.objects.exists())

    def test_a_keeper_may_not_open_a_count_of_a_store_they_do_not_run(self):
        stocktake = Stocktake.objects.create(store=self.duty_room, by=self.leader)
        self.assertEqual(self.client.get(stocktake.get_absolute_url()).status_code, 404)
        self.assertEqual(
            self.client.get(
                reverse("supplies:stocktake_new", args=[self.duty_room.pk])
            ).status_code,
            404,
        )


class MovementListTest(SuppliesTestCase):
    def url(self) -> str:
        return reverse("supplies:movement_list", args=[self.store.pk])

    def test_every_movement_is_a_row_said_in_units_with_who_and_why(self):
        batch = self.put_in(self.noodles, 720)
        self.login(self.leader)
        self.client.post(
            reverse("supplies:stock_transfer", args=[self.store.pk]),
            {
                "item": self.noodles.pk,
                "quantity": "2",
                "unit": "箱",
                "to_store": self.duty_room.pk,
                "reason": "值班备用",
            },
        )
        self.client.post(
            reverse("supplies:stock_write_off", args=[self.store.pk]),
            {"batch": batch.pk, "quantity": "5", "unit": "", "cause": "damaged", "reason": "压坏"},
        )
        response = self.client.get(self.url())
        self.assertEqual(texts(response, "change"), ["-5桶", "-2箱", "+30箱"])
        rows = texts(response, "movement")
        self.assertIn("压坏", rows[0])
        self.assertIn("学院值班室", rows[1])
        self.assertIn("孙书记", rows[1])
        self.assertIn("采购", rows[2])
        self.assertIn("庞库管", rows[2])

    def test_it_filters_by_item_and_kind(self):
        self.put_in(self.noodles, 24)
        self.put_in(self.suits, 10)
        self.login(self.keeper)
        response = self.client.get(self.url(), {"item": self.suits.pk})
        self.assertEqual(texts(response, "change"), ["+10套"])
        response = self.client.get(self.url(), {"kind": "written_off"})
        self.assertEqual(len(texts(response, "empty")), 1)

    def test_it_is_paginated(self):
        for _n in range(MOVEMENTS_PAGE_SIZE + 1):
            self.put_in(self.suits, 1)
        self.login(self.keeper)
        self.assertEqual(len(texts(self.client.get(self.url()), "change")), MOVEMENTS_PAGE_SIZE)
        self.assertEqual(len(texts(self.client.get(self.url(), {"page": 2}), "change")), 1)

    def test_the_page_costs_the_same_however_many_rows(self):
        self.put_in(self.suits, 1)
        self.login(self.keeper)
        self.client.get(self.url())
        with self.assertNumQueries(9):
            self.client.get(self.url())
        for item in (self.noodles, self.fruit, self.sanitizer, self.sausages):
            self.put_in(item, 3)
        with self.assertNumQueries(9):
            self.client.get(self.url())
