"""The thank-you letter (捐赠证书): the donor's own name, the college with its
university, the lines as counted in; for those who run the donation and for
the donor."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from shouwang.lib.tests.pdf_text import pdf_text
from shouwang.supplies import actions
from shouwang.supplies.models import Donation

from .donations import DonationsTestCase


class CertificateTest(DonationsTestCase):
    def url(self, donation):
        return reverse("supplies:donation_certificate", args=[donation.pk])

    def test_it_names_the_donor_the_college_and_the_lines_as_received(self):
        donation = self.receive_all(self.pledge_seed())
        self.client.force_login(self.keeper)
        response = self.client.get(self.url(donation))
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = pdf_text(response.content)
        self.assertIn("梁世婕", text)
        self.assertIn("山西财经大学信息学院", text)
        for item, said in [
            ("防护服", "100套"),
            ("免洗手消毒液", "700瓶"),
            ("桶装方便面", "30箱"),
            ("火腿肠", "6箱"),
            ("水果", "1000斤"),
        ]:
            self.assertIn(item, text)
            self.assertIn(said, text)
        self.assertIn("2022", text)

    def test_an_anonymous_donor_is_still_named_in_their_own_letter(self):
        donation = self.receive_all(self.pledge_seed(Donation.Publicity.ANONYMOUS))
        self.client.force_login(self.donor_user)
        response = self.client.get(self.url(donation))
        self.assertEqual(response.status_code, 200)
        self.assertIn("梁世婕", pdf_text(response.content))

    def test_a_line_not_delivered_is_left_out(self):
        donation = self.pledge_seed()
        counts = {}
        for line in donation.lines.select_related("item"):
            if line.item == self.sausages:
                counts[line.pk] = actions.Count(Decimal(0), note="未送达")
            else:
                counts[line.pk] = actions.Count(line.pledged, dt.date(2099, 1, 1))
        actions.receive_donation(donation, self.store, counts, acting_user=self.keeper)
        self.client.force_login(self.leader)
        text = pdf_text(self.client.get(self.url(donation)).content)
        self.assertIn("防护服", text)
        self.assertNotIn("火腿肠", text)

    def test_a_pledge_has_no_letter_yet(self):
        donation = self.pledge_seed()
        self.client.force_login(self.keeper)
        self.assertEqual(self.client.get(self.url(donation)).status_code, 404)

    def test_others_do_not_find_it(self):
        donation = self.receive_all(self.pledge_seed())
        self.client.force_login(self.student)
        self.assertEqual(self.client.get(self.url(donation)).status_code, 404)
