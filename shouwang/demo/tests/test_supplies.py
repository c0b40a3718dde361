"""The demo's supplies: the seed's gift from receipt to distribution, a ledger
that adds up, and notices written from the records."""

import datetime as dt
from decimal import Decimal

from django.test import TestCase

from shouwang.accounts.models import Role
from shouwang.demo import build
from shouwang.demo.college import DONOR_NAME
from shouwang.demo.lockdown import NOW
from shouwang.demo.models import DemoLogin
from shouwang.demo.supplies import WAREHOUSE
from shouwang.helpdesk.models import HelpRequest
from shouwang.lib.clock import beijing
from shouwang.notices.models import Notice
from shouwang.supplies import disclosure
from shouwang.supplies.models import Donation, IssueSlip, Movement, Store, SupplyRequest
from shouwang.supplies.queries import ledger_mismatches, on_hand

SEED_LIST = "防护服100套、免洗手消毒液700瓶、桶装方便面30箱、火腿肠6箱、水果1000斤"


class DemoSuppliesTestCase(TestCase):
    gift: Donation

    @classmethod
    def setUpTestData(cls):
        build.build()
        cls.gift = Donation.objects.get(donor__person__name=DONOR_NAME)

    def test_the_seed_gift_is_listed_as_the_seed_lists_it_and_counted_in_that_afternoon(self):
        self.assertEqual(self.gift.items_said(), SEED_LIST)
        self.assertEqual(self.gift.items_said(received=True), SEED_LIST)
        self.assertEqual(self.gift.status, Donation.Status.RECEIVED)
        store, received_at, donor = self.gift.store, self.gift.received_at, self.gift.donor.person
        assert store is not None and received_at is not None and donor is not None
        self.assertEqual(store.name, WAREHOUSE)
        self.assertEqual(received_at.date(), dt.date(2022, 4, 15))
        self.assertGreaterEqual(received_at, beijing(2022, 4, 15, 12))
        self.assertTrue(donor.is_party_member)
        self.assertEqual((donor.grade, donor.degree_level), (2021, "master"))

    def test_part_of_the_gift_went_to_isolation_care_and_the_dorm_teams_before_now(self):
        issued = Movement.objects.filter(kind=Movement.Kind.ISSUED, batch__line__donation=self.gift)
        teams = set(issued.values_list("slip__request__for_team__name", flat=True))
        self.assertIn("红烛志愿服务队", teams)
        self.assertIn("学生党员先锋岗", teams)
        self.assertTrue(all(movement.at <= NOW for movement in issued))
        received_at = self.gift.received_at
        assert received_at is not None
        self.assertTrue(all(movement.at >= received_at for movement in issued))
        given = sum(-movement.delta for movement in issued)
        received = sum(line.received or 0 for line in self.gift.lines.all())
        self.assertGreater(given, 0)
        self.assertLess(given, received)

    def test_the_ledger_adds_up_and_nothing_happens_after_now(self):
        self.assertEqual(ledger_mismatches(), [])
        self.assertFalse(Movement.objects.filter(at__gt=NOW).exists())
        self.assertFalse(SupplyRequest.objects.filter(created_at__gt=NOW).exists())
        warehouse = Store.objects.get(name=WAREHOUSE)
        held = {row.item.name: row.quantity for row in on_hand(warehouse)}
        self.assertGreater(held["防护服"], Decimal(0))

    def test_the_last_round_waits_for_its_receiver_to_scan_the_slip(self):
        waiting = IssueSlip.objects.filter(received_at__isnull=True, meal_delivery__isnull=True)
        self.assertEqual(waiting.count(), 1)

    def test_the_notice_to_receive_the_gift_is_written_from_the_pledge(self):
        notice = Notice.objects.get(title="关于今天下午接收捐赠防疫物资的通知")
        self.assertIn(SEED_LIST, notice.body)
        self.assertIn(DONOR_NAME, notice.body)
        assert notice.published_at is not None
        self.assertGreater(notice.published_at, self.gift.pledged_at)

    def test_the_distribution_notice_says_what_the_ledger_says_went_where(self):
        notice = Notice.objects.get(title="关于分发捐赠防疫物资的通知")
        self.assertIn("红烛志愿服务队领取防护服", notice.body)
        self.assertIn("学生党员先锋岗领取", notice.body)
        self.assertNotIn("春蕾工程志愿服务队领取", notice.body)  # its round came after
        self.assertEqual(notice.published_at, beijing(2022, 4, 16, 8, 10))

    def test_the_public_disclosure_is_written_from_the_ledger_as_it_stands(self):
        article = self.gift.disclosure
        assert article is not None
        self.assertTrue(article.is_public)
        assert article.published_at is not None
        self.assertLess(
            abs(article.published_at - beijing(2022, 4, 15, 20, 10)), dt.timedelta(minutes=1)
        )
        self.assertIn(DONOR_NAME, article.title + article.body)
        self.assertIn("红烛志愿服务队", article.body)
        self.assertIn("学生党员先锋岗", article.body)
        # Up to date with the ledger: only the stamp of when it was read differs.
        figures = disclosure.text(self.gift).rsplit("\n\n", 1)[0]
        self.assertEqual(article.body.rsplit("\n\n", 1)[0], figures)

    def test_the_anonymous_alumnus_is_not_named_in_public(self):
        gift = Donation.objects.get(publicity=Donation.Publicity.ANONYMOUS)
        article = gift.disclosure
        assert article is not None
        self.assertNotIn(gift.donor.name, article.title + article.body)
        self.assertIn("匿名", article.title + article.body)

    def test_help_requests_for_supplies_became_supply_requests_given_from_the_store(self):
        for help_request in HelpRequest.objects.filter(
            category=HelpRequest.Category.SUPPLIES, created_at__lt=beijing(2022, 4, 10)
        ):
            supply = help_request.supply_request
            self.assertEqual(supply.status, SupplyRequest.Status.DELIVERED)
            self.assertEqual(supply.for_person, help_request.requester)
            self.assertEqual(help_request.status, HelpRequest.Status.CLOSED)
            assert help_request.resolved_at is not None
            received_at = supply.slips.get().received_at
            assert received_at is not None
            self.assertLess(abs(help_request.resolved_at - received_at), dt.timedelta(seconds=1))

    def test_the_isolated_students_disinfectant_goes_with_her_lunch(self):
        student = DemoLogin.objects.get(role=Role.STUDENT).user.person
        supply = SupplyRequest.objects.get(for_person=student)
        self.assertTrue(supply.with_meals)
        slip = supply.slips.get()
        self.assertIsNone(slip.received_at)
        delivery = slip.meal_delivery
        assert delivery is not None
        self.assertEqual(delivery.isolation.person, student)
        self.assertGreater(delivery.slot.due_on(delivery.date), NOW)
        assert supply.help_request is not None
        self.assertEqual(supply.help_request.status, HelpRequest.Status.IN_PROGRESS)
