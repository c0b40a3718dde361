"""Recording a pledge: the donor, the college, the wish about publicity and
the lines in the units the donor named; the lists of donations."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from shouwang.supplies import actions
from shouwang.supplies.models import Donation, Donor

from .donations import DonationsTestCase


def lines(*rows, total=5):
    """The formset's fields for `rows` of (item, quantity, unit), the rest blank."""
    data = {
        "lines-TOTAL_FORMS": str(total),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "30",
    }
    for index, (item, quantity, unit) in enumerate(rows):
        data |= {
            f"lines-{index}-item": str(item.pk),
            f"lines-{index}-quantity": quantity,
            f"lines-{index}-unit": unit,
        }
    return data


class PledgeViewTest(DonationsTestCase):
    url = reverse("supplies:donation_new")

    def setUp(self):
        self.donor = actions.donor_for(self.donor_person)

    def post(self, *rows, user=None, **fields):
        self.client.force_login(user or self.keeper)
        data = {"donor": self.donor.pk, "unit": self.college.pk, "publicity": "named"}
        return self.client.post(self.url, data | fields | lines(*rows))

    def test_it_records_the_lines_in_the_units_the_donor_named(self):
        response = self.post(
            (self.noodles, "30", "箱"), (self.fruit, "1000", "斤"), (self.suits, "100", "")
        )
        donation = Donation.objects.get()
        self.assertRedirects(response, donation.get_absolute_url())
        self.assertEqual(donation.status, Donation.Status.PLEDGED)
        self.assertEqual(donation.unit, self.college)
        self.assertEqual(donation.created_by, self.keeper)
        self.assertEqual(
            [(line.item, line.pledged, line.unit) for line in donation.lines.all()],
            [
                (self.noodles, Decimal(720), "箱"),
                (self.fruit, Decimal(500), "斤"),
                (self.suits, Decimal(100), "套"),
            ],
        )
        self.assertEqual(donation.items_said(), "桶装方便面30箱、水果1000斤、防护服100套")

    def test_a_unit_the_item_is_not_counted_in_is_refused(self):
        response = self.post((self.suits, "3", "箱"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "防护服")  # the message names the item
        self.assertFalse(Donation.objects.exists())

    def test_an_item_twice_is_refused(self):
        response = self.post((self.suits, "3", ""), (self.suits, "4", ""))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Donation.objects.exists())

    def test_no_line_at_all_is_refused(self):
        response = self.post()
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Donation.objects.exists())

    def test_the_wish_to_stay_anonymous_is_kept(self):
        self.post((self.suits, "10", ""), publicity="anonymous")
        self.assertEqual(Donation.objects.get().publicity, Donation.Publicity.ANONYMOUS)

    def test_only_the_colleges_the_user_runs_may_be_chosen(self):
        self.create_other_college()
        response = self.post((self.suits, "10", ""), unit=self.college_b.pk)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Donation.objects.exists())

    def test_the_form_opens_with_the_donor_chosen_on_their_page(self):
        self.client.force_login(self.leader)
        response = self.client.get(self.url, {"donor": self.donor.pk})
        self.assertContains(response, f'<option value="{self.donor.pk}" selected>')

    def test_it_is_for_those_who_run_supplies(self):
        self.client.force_login(self.donor_user)
        self.assertEqual(self.client.get(self.url).status_code, 403)


class DonationListTest(DonationsTestCase):
    url = reverse("supplies:donation_list")

    def test_those_who_run_supplies_see_the_donor_even_when_anonymous(self):
        self.receive_all(self.pledge_seed(Donation.Publicity.ANONYMOUS))
        self.client.force_login(self.keeper)
        response = self.client.get(self.url)
        self.assertContains(response, "梁世婕")
        self.assertContains(response, "桶装方便面30箱")

    def test_a_donor_sees_their_own_donations_only(self):
        mine = self.pledge_seed()
        company = actions.save_donor(
            Donor(kind=Donor.Kind.COMPANY, name="某公司", contact_phone="13800000000"),
            acting_user=self.leader,
        )
        actions.pledge(
            company,
            [actions.Pledge(self.suits, Decimal(5))],
            unit=self.college,
            acting_user=self.leader,
        )
        self.client.force_login(self.donor_user)
        response = self.client.get(self.url)
        self.assertEqual(list(response.context["page"]), [mine])
        self.assertNotContains(response, "某公司")
        self.assertNotContains(response, "13800000000")

    def test_the_status_narrows_the_list(self):
        pledged = self.pledge_seed()
        self.receive_all(self.pledge_seed())
        self.client.force_login(self.leader)
        response = self.client.get(self.url, {"status": "pledged"})
        self.assertEqual(list(response.context["page"]), [pledged])

    def test_it_reads_a_page_in_a_fixed_number_of_queries(self):
        self.receive_all(self.pledge_seed())
        self.client.force_login(self.keeper)
        self.client.get(self.url)
        # A keeper's reach is read once: the stores they keep and the unit tree.
        with self.assertNumQueries(10):
            self.client.get(self.url)
        for _ in range(4):
            self.receive_all(self.pledge_seed())
        with self.assertNumQueries(10):
            self.client.get(self.url)
