"""Where a donation went: issued by unit, team and purpose (people counted
together, never named), moved between stores, written off, and what remains
where; read in a constant number of queries."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from shouwang.supplies import actions, tracing
from shouwang.supplies.models import Movement

from .donations import DonationsTestCase


class TraceTest(DonationsTestCase):
    def setUp(self):
        self.donation = self.receive_all(self.pledge_seed())

    def line_of(self, traced, item):
        return next(line for line in traced.lines if line.line.item == item)

    def test_a_donation_just_counted_in_is_all_in_its_store(self):
        traced = tracing.trace(self.donation)
        self.assertFalse(traced.moved)
        noodles = self.line_of(traced, self.noodles)
        self.assertEqual(noodles.received_said, "30箱")
        self.assertEqual(
            [(held.store, held.said) for held in noodles.remains], [("学院物资仓库", "30箱")]
        )

    def test_issues_are_grouped_by_recipient_and_purpose_and_people_are_not_named(self):
        self.hand_out(self.noodles, "48", purpose="隔离学生生活保障", for_team=self.care_team)
        self.hand_out(self.noodles, "24", purpose="隔离学生生活保障", for_team=self.care_team)
        self.hand_out(self.noodles, "24", purpose="楼栋值守", for_unit=self.college)
        self.hand_out(self.noodles, "2", purpose="生活困难", for_person=self.student_a)
        self.hand_out(self.noodles, "1", purpose="生活困难", for_person=self.student_b)
        noodles = self.line_of(tracing.trace(self.donation), self.noodles)
        self.assertEqual(
            [(flow.to, flow.purpose, flow.said) for flow in noodles.issued],
            [
                ("隔离关爱组", "隔离学生生活保障", "3箱"),
                ("信息学院", "楼栋值守", "1箱"),
                (_("individual students and staff"), "生活困难", "3桶"),
            ],
        )
        self.assertEqual(noodles.issued_said, "99桶")
        self.assertEqual(noodles.remaining_said, "621桶")
        shown = str(noodles.issued)
        for name in (self.student_a.name, self.student_b.name):
            self.assertNotIn(name, shown)

    def test_transfers_write_offs_and_counts_show_where_the_rest_is(self):
        batch = self.donation.lines.get(item=self.sanitizer).batches.get()
        actions.transfer(
            self.store, self.duty_room, self.sanitizer, Decimal(100), acting_user=self.keeper
        )
        actions.write_off(
            self.store,
            batch,
            Decimal(10),
            cause=Movement.Cause.DAMAGED,
            reason="运输破损",
            acting_user=self.keeper,
        )
        actions.record_stocktake(
            self.duty_room, {batch: Decimal(98)}, reason="少了两瓶", acting_user=self.keeper
        )
        sanitizer = self.line_of(tracing.trace(self.donation), self.sanitizer)
        self.assertEqual(
            [(flow.source, flow.to, flow.said) for flow in sanitizer.transferred],
            [("学院物资仓库", "学院值班室", "100瓶")],
        )
        self.assertEqual(
            [(f.to, f.said) for f in sanitizer.written_off],
            [(Movement.Cause.DAMAGED.label, "10瓶")],
        )
        self.assertEqual(sanitizer.adjusted_said, "-2瓶")
        self.assertEqual(
            [(held.store, held.said) for held in sanitizer.remains],
            [("学院物资仓库", "590瓶"), ("学院值班室", "98瓶")],
        )
        self.assertEqual(sanitizer.remaining, Decimal(688))

    def test_stock_bought_elsewhere_is_not_counted_as_the_donation(self):
        self.put_in(self.suits, 500)
        self.hand_out(self.suits, "120", purpose="楼栋值守", for_unit=self.college)
        suits = self.line_of(tracing.trace(self.donation), self.suits)
        # First in, first out: the donation's 100 went first, then 20 bought.
        self.assertEqual([flow.said for flow in suits.issued], ["100套"])
        self.assertEqual(suits.remains, [])

    def test_it_reads_in_three_queries_however_many_movements(self):
        self.hand_out(self.noodles, "24", purpose="楼栋值守", for_unit=self.college)
        with self.assertNumQueries(3):
            tracing.trace(self.donation)
        for count in range(20):
            self.hand_out(self.sanitizer, "3", purpose=f"消杀{count}", for_team=self.care_team)
            actions.transfer(
                self.store, self.duty_room, self.suits, Decimal(1), acting_user=self.keeper
            )
        with self.assertNumQueries(3):
            traced = tracing.trace(self.donation)
        self.assertEqual(len(self.line_of(traced, self.sanitizer).issued), 20)

    def test_several_donations_are_read_together(self):
        other = self.receive_all(self.pledge_seed(), store=self.duty_room)
        with self.assertNumQueries(3):
            traced = tracing.traces([self.donation, other])
        self.assertEqual(set(traced), {self.donation.pk, other.pk})
        self.assertEqual([held.store for held in traced[other.pk].lines[0].remains], ["学院值班室"])
