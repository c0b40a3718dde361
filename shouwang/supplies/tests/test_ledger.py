"""The stock ledger: every movement a row, balances never typed nor below zero,
first in first out, expired batches kept back, counts adjusted with a reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from shouwang.people.models import Person, Unit
from shouwang.supplies import actions
from shouwang.supplies.models import Movement, Stock
from shouwang.supplies.queries import ledger_mismatches, on_hand
from shouwang.test import make_person

from .base import SuppliesTestCase


def held(store, item) -> Decimal:
    return next((row.quantity for row in on_hand(store) if row.item == item), Decimal(0))


class SayTest(SuppliesTestCase):
    def test_quantities_read_in_the_units_people_count_in(self):
        self.assertEqual(self.noodles.say(Decimal(720)), "30箱")
        self.assertEqual(self.noodles.say(Decimal(710)), "710桶")
        self.assertEqual(self.noodles.say(Decimal(5)), "5桶")
        self.assertEqual(self.fruit.say(Decimal(500)), "1000斤")
        self.assertEqual(self.fruit.say(Decimal("0.25")), "0.5斤")
        self.assertEqual(self.suits.say(Decimal(100)), "100套")

    def test_a_unit_the_item_lacks_is_refused_by_name(self):
        with self.assertRaises(ValidationError) as caught:
            self.suits.to_base(Decimal(3), "箱")
        self.assertIn("防护服", caught.exception.messages[0])
        self.assertEqual(self.noodles.to_base(Decimal(30), "箱"), Decimal(720))


class LedgerTest(SuppliesTestCase):
    def test_issue_takes_the_oldest_batch_first_and_leaves_a_sound_ledger(self):
        first = self.put_in(self.sanitizer, 10)
        second = self.put_in(self.sanitizer, 10)
        request = actions.submit_request(
            self.counsellor_a,
            [actions.Asked(self.sanitizer, Decimal(14))],
            purpose="宿舍消杀",
            for_unit=self.college,
            acting_user=self.counsellor_a_user,
        )
        line = request.lines.get()
        actions.decide_request(request, {line.pk: Decimal(14)}, acting_user=self.keeper)
        slip = actions.issue(request, self.store, acting_user=self.keeper)
        taken = {m.batch_id: m.delta for m in slip.movements.all()}
        self.assertEqual(taken, {first.pk: Decimal(-10), second.pk: Decimal(-4)})
        self.assertEqual(held(self.store, self.sanitizer), Decimal(6))
        self.assertEqual(ledger_mismatches(), [])

    def test_not_enough_stock_issues_nothing(self):
        self.put_in(self.suits, 3)
        request = actions.submit_request(
            self.counsellor_a,
            [actions.Asked(self.suits, Decimal(5))],
            purpose="值班",
            for_unit=self.college,
            acting_user=self.counsellor_a_user,
        )
        actions.decide_request(
            request, {request.lines.get().pk: Decimal(5)}, acting_user=self.keeper
        )
        with self.assertRaises(actions.OutOfStock):
            actions.issue(request, self.store, acting_user=self.keeper)
        request.refresh_from_db()
        self.assertEqual(request.status, "approved")
        self.assertEqual(held(self.store, self.suits), Decimal(3))
        self.assertFalse(Movement.objects.filter(kind=Movement.Kind.ISSUED).exists())

    def test_an_expired_batch_is_not_issued(self):
        self.put_in(self.fruit, 10, expires_on=dt.date(2000, 1, 1))
        request = actions.submit_request(
            self.counsellor_a,
            [actions.Asked(self.fruit, Decimal(1))],
            purpose="隔离学生",
            for_unit=self.college,
            acting_user=self.counsellor_a_user,
        )
        actions.decide_request(
            request, {request.lines.get().pk: Decimal(1)}, acting_user=self.keeper
        )
        with self.assertRaises(actions.OutOfStock):
            actions.issue(request, self.store, acting_user=self.keeper)

    def test_transfer_write_off_and_count_move_the_balances(self):
        batch = self.put_in(self.noodles, 48)
        actions.transfer(
            self.store, self.duty_room, self.noodles, Decimal(24), acting_user=self.keeper
        )
        actions.write_off(
            self.duty_room,
            batch,
            Decimal(2),
            cause="damaged",
            reason="压坏",
            acting_user=self.keeper,
        )
        with self.assertRaises(ValidationError):
            actions.record_stocktake(self.store, {batch: Decimal(20)}, acting_user=self.keeper)
        take = actions.record_stocktake(
            self.store, {batch: Decimal(20)}, reason="少了四桶", acting_user=self.keeper
        )
        self.assertEqual(take.lines.get().difference, Decimal(-4))
        self.assertEqual(held(self.store, self.noodles), Decimal(20))
        self.assertEqual(held(self.duty_room, self.noodles), Decimal(22))
        self.assertEqual(ledger_mismatches(), [])

    def test_the_database_refuses_a_balance_below_zero(self):
        self.put_in(self.suits, 1)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Stock.objects.filter(store=self.store).update(quantity=Decimal(-1))

    def test_a_balance_changed_behind_the_ledger_is_found(self):
        batch = self.put_in(self.suits, 5)
        Stock.objects.filter(batch=batch).update(quantity=Decimal(4))
        self.assertEqual(ledger_mismatches(), [(batch.pk, self.store.pk, Decimal(4), Decimal(5))])


class DonationTest(SuppliesTestCase):
    def test_a_donation_reads_in_the_units_the_donor_named_and_keeps_the_difference(self):
        donation = actions.pledge(
            actions.donor_for(self.student_a),
            [
                actions.Pledge(self.noodles, Decimal(30), "箱"),
                actions.Pledge(self.fruit, Decimal(1000), "斤"),
            ],
            unit=self.college,
            acting_user=self.keeper,
        )
        self.assertEqual(donation.items_said(), "桶装方便面30箱、水果1000斤")
        noodles, fruit = donation.lines.all()
        with self.assertRaises(ValidationError):
            actions.receive_donation(
                donation,
                self.store,
                {
                    noodles.pk: actions.Count(Decimal(700)),
                    fruit.pk: actions.Count(Decimal(500), dt.date(2022, 4, 25)),
                },
                acting_user=self.keeper,
            )
        actions.receive_donation(
            donation,
            self.store,
            {
                noodles.pk: actions.Count(Decimal(700), note="一箱破损未收"),
                fruit.pk: actions.Count(Decimal(500), dt.date(2022, 4, 25)),
            },
            acting_user=self.keeper,
        )
        donation.refresh_from_db()
        self.assertEqual(donation.status, "received")
        self.assertEqual(donation.items_said(received=True), "桶装方便面700桶、水果1000斤")
        self.assertEqual(held(self.store, self.noodles), Decimal(700))


class KeeperReachTest(SuppliesTestCase):
    def test_a_keeper_decides_the_requests_of_the_units_below_the_store(self):
        from shouwang.supplies.access import decides, requests_for_user

        department = Unit.objects.create(
            name="计算机系", kind=Unit.Kind.DEPARTMENT, parent=self.college
        )
        teacher = make_person("T7001", "柯老师", Person.Kind.TEACHER, unit=department)
        request = actions.submit_request(
            teacher,
            [actions.Asked(self.suits, Decimal(1))],
            purpose="值守",
            for_person=teacher,
            acting_user=self.teacher,
        )
        self.assertTrue(decides(self.keeper, request))
        self.assertIn(request, requests_for_user(self.keeper))
        self.assertFalse(decides(self.teacher, request))
