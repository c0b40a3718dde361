"""Offers: a graduate records their own, the runners anyone's; the graduate
accepts one with its evidence, which files a destination report for their
counsellor, or declines it; a fair's page lists what it led to."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shouwang.careers import actions
from shouwang.careers.models import Destination, DestinationReport, Offer
from shouwang.notify.models import Message

from .base_fairs import FairsTestCase

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def agreement() -> SimpleUploadedFile:
    return SimpleUploadedFile("三方协议.pdf", PDF, content_type="application/pdf")


class RecordOfferTests(FairsTestCase):
    def test_a_graduate_records_their_own_offer_from_a_fair(self):
        self.login(self.student)
        chooser = self.client.get(reverse("careers:offer_form"), {"fair": self.fair.pk})
        self.assertContains(chooser, self.employer_b.name)
        url = f"{reverse('careers:offer_form')}?employer={self.employer.pk}&fair={self.fair.pk}"
        form = self.client.get(url)
        self.assertContains(form, "Java开发工程师")
        self.assertNotContains(form, "数据分析师")
        response = self.client.post(
            url, {"position": self.position.pk, "fair": self.fair.pk, "offered_on": "2024-04-13"}
        )
        self.assertRedirects(response, reverse("careers:fair_list"))
        offer = Offer.objects.get()
        self.assertEqual(
            (offer.graduate, offer.fair, offer.status), (self.graduate_a, self.fair, "offered")
        )
        page = self.client.get(reverse("careers:fair_list"))
        self.assertContains(page, reverse("careers:offer_accept", args=[offer.pk]))

    def test_the_office_records_an_offer_for_a_graduate_named_by_number(self):
        self.login(self.office)
        response = self.client.post(
            f"{reverse('careers:offer_form')}?employer={self.employer_b.pk}",
            {
                "graduate": "2021009",
                "position": self.position_b.pk,
                "fair": self.fair.pk,
                "offered_on": "2024-04-13",
            },
        )
        self.assertRedirects(response, self.fair.get_absolute_url())
        self.assertEqual(Offer.objects.get().graduate, self.graduate_b)
        page = self.client.get(self.fair.get_absolute_url())
        self.assertContains(page, "王六 · 山西数据科技有限公司 · 数据分析师")

    def test_a_position_of_another_employer_is_not_offered(self):
        self.login(self.student)
        response = self.client.post(
            f"{reverse('careers:offer_form')}?employer={self.employer.pk}",
            {"position": self.position_b.pk, "offered_on": "2024-04-13"},
        )
        self.assertContains(response, "Select a valid choice.")
        self.assertFalse(Offer.objects.exists())

    def test_the_office_names_only_a_graduate(self):
        self.login(self.office)
        response = self.client.post(
            f"{reverse('careers:offer_form')}?employer={self.employer.pk}",
            {"graduate": "2021001", "offered_on": "2024-04-13"},
        )
        self.assertContains(response, "No one of the roster has the number or name 2021001.")
        self.assertFalse(Offer.objects.exists())

    def test_a_student_who_is_not_graduating_records_no_offer(self):
        self.login(self.student_b_user)
        self.assertEqual(self.client.get(reverse("careers:offer_form")).status_code, 403)


class AnswerOfferTests(FairsTestCase):
    def setUp(self):
        super().setUp()
        self.offer = actions.record_offer(
            self.graduate_a,
            self.employer,
            position=self.position,
            fair=self.fair,
            acting_user=self.office,
        )

    def test_accepting_files_a_destination_report_for_the_counsellor(self):
        self.login(self.student)
        response = self.client.post(
            reverse("careers:offer_accept", args=[self.offer.pk]),
            {"destination": Destination.AGREEMENT, "evidence": [agreement()]},
        )
        self.assertRedirects(response, reverse("careers:fair_list"))
        self.offer.refresh_from_db()
        self.assertEqual(self.offer.status, Offer.Status.ACCEPTED)
        report = DestinationReport.objects.get()
        self.assertEqual(
            (report.graduate, report.destination, report.organisation, report.status, report.offer),
            (self.graduate_a, "10", "太原软件科技有限公司", "pending", self.offer),
        )
        self.assertEqual(report.evidence.get().name, "三方协议.pdf")
        # Not a destination until the counsellor confirms it.
        self.graduate_a.refresh_from_db()
        self.assertEqual(self.graduate_a.destination, Destination.SEEKING)
        self.assertTrue(Message.objects.filter(recipient=self.counsellor_a).exists())

    def test_accepting_without_the_evidence_is_refused(self):
        self.login(self.student)
        response = self.client.post(
            reverse("careers:offer_accept", args=[self.offer.pk]),
            {"destination": Destination.CONTRACT},
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(DestinationReport.objects.exists())
        self.offer.refresh_from_db()
        self.assertEqual(self.offer.status, Offer.Status.OFFERED)

    def test_declining_leaves_the_destination_alone(self):
        self.login(self.student)
        self.client.post(reverse("careers:offer_decline", args=[self.offer.pk]))
        self.offer.refresh_from_db()
        self.assertEqual(self.offer.status, Offer.Status.DECLINED)
        self.assertFalse(DestinationReport.objects.exists())
        response = self.client.get(reverse("careers:offer_accept", args=[self.offer.pk]))
        self.assertRedirects(response, reverse("careers:fair_list"))

    def test_only_the_graduate_answers_their_offer(self):
        self.login(self.counsellor_a_user)
        response = self.client.post(
            reverse("careers:offer_accept", args=[self.offer.pk]),
            {"destination": Destination.AGREEMENT, "evidence": [agreement()]},
        )
        self.assertEqual(response.status_code, 403)
        self.login(self.graduate_b_user)
        response = self.client.post(reverse("careers:offer_decline", args=[self.offer.pk]))
        self.assertEqual(response.status_code, 404)
        self.offer.refresh_from_db()
        self.assertEqual(self.offer.status, Offer.Status.OFFERED)
