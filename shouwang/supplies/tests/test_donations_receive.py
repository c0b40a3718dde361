"""Counting a pledge in at a store, cancelling one, and the donation's page:
lines pledged and received with their differences, where it went, and what
its donor may and may not do."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from shouwang.supplies.models import Batch, Donation
from shouwang.supplies.queries import ledger_mismatches

from .donations import DonationsTestCase


class CountInTest(DonationsTestCase):
    def setUp(self):
        self.donation = self.pledge_seed()
        self.url = reverse("supplies:donation_receive", args=[self.donation.pk])
        self.lines = {line.item: line for line in self.donation.lines.select_related("item")}

    def counts(self, **changes):
        """Every line counted as pledged, in the unit pledged; `changes` by item attribute."""
        data: dict[str, object] = {"store": self.store.pk}
        for name in ("suits", "sanitizer", "noodles", "sausages", "fruit"):
            line = self.lines[getattr(self, name)]
            quantity = line.pledged / line.item.factors()[line.unit]
            data |= {
                f"{line.pk}-received": str(quantity.normalize()),
                f"{line.pk}-unit": line.unit,
                f"{line.pk}-note": "",
            }
            if line.item.perishable:
                data[f"{line.pk}-expires"] = "2022-04-22"
            for key, value in changes.get(name, {}).items():
                data[f"{line.pk}-{key}"] = value
        return data

    def test_the_form_offers_the_pledged_quantities_in_their_units(self):
        self.client.force_login(self.keeper)
        response = self.client.get(self.url)
        noodles = self.lines[self.noodles]
        self.assertContains(response, f'name="{noodles.pk}-received" value="30"')
        self.assertContains(response, '<option value="箱" selected>箱</option>')

    def test_counting_in_as_pledged_puts_each_line_in_the_store(self):
        self.client.force_login(self.keeper)
        response = self.client.post(self.url, self.counts())
        self.assertRedirects(response, self.donation.get_absolute_url())
        self.donation.refresh_from_db()
        self.assertEqual(self.donation.status, Donation.Status.RECEIVED)
        self.assertEqual(self.donation.store, self.store)
        self.assertEqual(Batch.objects.filter(line__donation=self.donation).count(), 5)
        fruit = Batch.objects.get(line=self.lines[self.fruit])
        self.assertEqual(fruit.expires_on, dt.date(2022, 4, 22))
        self.assertEqual(ledger_mismatches(), [])

    def test_a_count_in_another_unit_is_converted(self):
        self.client.force_login(self.keeper)
        self.client.post(self.url, self.counts(noodles={"received": "720", "unit": "桶"}))
        line = self.lines[self.noodles]
        line.refresh_from_db()
        self.assertEqual(line.received, Decimal(720))

    def test_a_difference_needs_its_reason(self):
        self.client.force_login(self.keeper)
        response = self.client.post(self.url, self.counts(sausages={"received": "5"}))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "6箱")  # what was pledged
        self.donation.refresh_from_db()
        self.assertEqual(self.donation.status, Donation.Status.PLEDGED)
        self.client.post(self.url, self.counts(sausages={"received": "5", "note": "一箱破损"}))
        line = self.lines[self.sausages]
        line.refresh_from_db()
        self.assertEqual((line.received, line.difference_note), (Decimal(250), "一箱破损"))

    def test_a_perishable_line_needs_its_expiry_date(self):
        self.client.force_login(self.keeper)
        response = self.client.post(self.url, self.counts(fruit={"expires": ""}))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Batch.objects.exists())

    def test_only_a_store_the_user_runs(self):
        self.create_other_college()
        from shouwang.supplies.models import Store

        other = Store.objects.create(name="会计学院仓库", kind="warehouse", unit=self.college_b)
        self.client.force_login(self.keeper)
        response = self.client.post(self.url, self.counts() | {"store": other.pk})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Batch.objects.exists())

    def test_the_donor_may_not_count_their_own_gift_in(self):
        self.client.force_login(self.donor_user)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.client.post(self.url, self.counts()).status_code, 403)

    def test_a_donation_counted_in_already_goes_back_to_its_page(self):
        self.receive_all(self.donation)
        self.client.force_login(self.keeper)
        self.assertRedirects(self.client.get(self.url), self.donation.get_absolute_url())


class CancelTest(DonationsTestCase):
    def test_a_pledge_that_never_came_is_cancelled_with_the_reason(self):
        donation = self.pledge_seed()
        self.client.force_login(self.leader)
        url = reverse("supplies:donation_cancel", args=[donation.pk])
        self.assertRedirects(
            self.client.post(url, {"reason": "捐赠方无法送达"}), donation.get_absolute_url()
        )
        donation.refresh_from_db()
        self.assertEqual(donation.status, Donation.Status.CANCELLED)

    def test_a_donation_counted_in_cannot_be_cancelled(self):
        donation = self.receive_all(self.pledge_seed())
        self.client.force_login(self.leader)
        url = reverse("supplies:donation_cancel", args=[donation.pk])
        self.client.post(url, {"reason": "弄错了"})
        donation.refresh_from_db()
        self.assertEqual(donation.status, Donation.Status.RECEIVED)


class DetailTest(DonationsTestCase):
    def test_it_shows_pledged_received_the_difference_and_where_it_went(self):
        donation = self.pledge_seed()
        self.client.force_login(self.keeper)
        url = reverse("supplies:donation_receive", args=[donation.pk])
        lines = {line.item: line for line in donation.lines.select_related("item")}
        data: dict[str, object] = {"store": self.store.pk}
        for item, line in lines.items():
            quantity = line.pledged / item.factors()[line.unit]
            data |= {f"{line.pk}-received": str(quantity), f"{line.pk}-unit": line.unit}
            if item.perishable:
                data[f"{line.pk}-expires"] = "2099-01-01"
        data |= {
            f"{lines[self.fruit].pk}-received": "960",
            f"{lines[self.fruit].pk}-note": "部分腐烂",
        }
        self.client.post(url, data)
        self.hand_out(self.noodles, "48", purpose="隔离学生生活保障", for_team=self.care_team)
        response = self.client.get(donation.get_absolute_url())
        self.assertContains(response, "1000斤")
        self.assertContains(response, "960斤")
        self.assertContains(response, "-40斤")
        self.assertContains(response, "部分腐烂")
        self.assertContains(response, "隔离关爱组")
        self.assertContains(response, "28箱")
        self.assertContains(response, 'data-testid="certificate"')

    def test_the_donor_sees_their_gift_without_anything_to_run(self):
        donation = self.receive_all(self.pledge_seed())
        self.client.force_login(self.donor_user)
        response = self.client.get(donation.get_absolute_url())
        self.assertContains(response, "梁世婕")
        self.assertContains(response, 'data-testid="certificate"')
        for action in ("publish", "count-in", "cancel", "photo-form"):
            self.assertNotContains(response, f'data-testid="{action}"')

    def test_an_anonymous_gift_shows_the_donor_to_those_who_run_it(self):
        donation = self.receive_all(self.pledge_seed(Donation.Publicity.ANONYMOUS))
        self.client.force_login(self.leader)
        response = self.client.get(donation.get_absolute_url())
        self.assertContains(response, "梁世婕")

    def test_others_do_not_find_it(self):
        donation = self.pledge_seed()
        self.client.force_login(self.student)
        self.assertEqual(self.client.get(donation.get_absolute_url()).status_code, 404)
