"""A graduate reports a destination with its evidence; their counsellor
confirms it or sends it back; every report stays in the history."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from shouwang.careers import actions
from shouwang.careers.audit import CareersEvent
from shouwang.careers.models import Destination, DestinationReport, Evidence
from shouwang.core.models import LogEntry
from shouwang.notify.models import Message

from .outcomes import OutcomesTestCase, evidence, place, report

Status = DestinationReport.Status


class ReportDestinationTests(OutcomesTestCase):
    def url(self, graduate=None):
        return reverse("careers:destination_report", args=[(graduate or self.graduate_a).pk])

    def test_the_form_offers_the_ministrys_destinations_by_code(self):
        self.login(self.student)
        response = self.client.get(self.url())
        self.assertContains(response, "10 · ")
        self.assertContains(response, '<option value="85">', html=False)
        self.assertContains(response, '<optgroup label="')

    def test_a_graduate_reports_an_agreement_with_its_evidence(self):
        self.login(self.student)
        response = self.client.post(
            self.url(),
            {
                "destination": Destination.AGREEMENT,
                "organisation": "太原软件科技有限公司",
                "city": "太原",
                "evidence": evidence("三方协议.pdf"),
            },
        )
        self.assertRedirects(response, reverse("careers:index"))
        pending = self.graduate_a.reports.get()
        self.assertEqual(pending.status, Status.PENDING)
        self.assertEqual(list(pending.evidence.values_list("name", flat=True)), ["三方协议.pdf"])
        self.graduate_a.refresh_from_db()
        # Not counted until confirmed.
        self.assertEqual(self.graduate_a.destination, Destination.SEEKING)
        self.assertTrue(
            Message.objects.filter(recipient=self.counsellor_a, title__contains="张三").exists()
        )
        page = self.client.get(reverse("careers:index"))
        self.assertContains(page, 'data-testid="pending"')

    def test_an_agreement_without_evidence_is_refused_and_nothing_is_kept(self):
        self.login(self.student)
        response = self.client.post(
            self.url(), {"destination": Destination.AGREEMENT, "organisation": "某公司"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "needs its evidence")
        # What was typed is still there.
        self.assertContains(response, 'value="某公司"')
        self.assertFalse(self.graduate_a.reports.exists())

    def test_a_school_is_named_for_further_study(self):
        self.login(self.student)
        response = self.client.post(
            self.url(), {"destination": Destination.FURTHER_STUDY, "evidence": evidence()}
        )
        self.assertContains(response, "Name the employer or school.")
        self.assertFalse(self.graduate_a.reports.exists())

    def test_seeking_work_needs_no_evidence(self):
        self.login(self.student)
        self.client.post(self.url(), {"destination": Destination.PREPARING_STUDY})
        self.assertEqual(self.graduate_a.reports.get().destination, Destination.PREPARING_STUDY)

    def test_a_file_that_is_not_what_its_name_says_is_refused(self):
        self.login(self.student)
        fake = SimpleUploadedFile("协议.pdf", b"MZ\x90\x00 not a pdf at all")
        response = self.client.post(
            self.url(),
            {"destination": Destination.CONTRACT, "organisation": "某公司", "evidence": fake},
        )
        self.assertContains(response, "is not really a .pdf file")
        self.assertFalse(Evidence.objects.exists())

    def test_a_photo_of_the_agreement_is_kept_without_its_metadata(self):
        out = io.BytesIO()
        image = Image.new("RGB", (40, 30), (250, 250, 250))
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # the camera's maker: metadata to drop
        image.save(out, "JPEG", exif=exif)
        photo = SimpleUploadedFile("协议.jpg", out.getvalue(), content_type="image/jpeg")
        self.login(self.student)
        self.client.post(
            self.url(),
            {"destination": Destination.AGREEMENT, "organisation": "某公司", "evidence": photo},
        )
        stored = Evidence.objects.get()
        with stored.file.open("rb") as handle:
            self.assertNotIn(b"PhoneMaker", handle.read())

    def test_a_new_report_replaces_the_one_waiting_and_both_stay(self):
        report(self.graduate_a, Destination.SEEKING, self.student)
        self.login(self.student)
        self.client.post(self.url(), {"destination": Destination.FREELANCE})
        first, second = self.graduate_a.reports.order_by("pk")
        self.assertEqual(first.status, Status.RETURNED)
        self.assertEqual(second.status, Status.PENDING)

    def test_the_office_reports_for_a_graduate(self):
        self.login(self.office)
        response = self.client.post(
            self.url(self.graduate_b), {"destination": Destination.CONSCRIPT}
        )
        self.assertRedirects(response, self.graduate_b.get_absolute_url())
        self.assertEqual(self.graduate_b.reports.get().reported_by, self.office)

    def test_the_counsellor_does_not_report_for_the_graduate(self):
        self.login(self.counsellor_a_user)
        response = self.client.post(self.url(), {"destination": Destination.SEEKING})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.graduate_a.reports.exists())

    def test_a_graduate_cannot_report_for_another(self):
        self.login(self.student)
        response = self.client.get(self.url(self.graduate_b))
        self.assertEqual(response.status_code, 404)


class ConfirmAndReturnTests(OutcomesTestCase):
    def confirm(self, pending, user=None, **data):
        self.login(user or self.counsellor_a_user)
        return self.client.post(reverse("careers:report_confirm", args=[pending.pk]), data)

    def send_back(self, pending, note, user=None):
        self.login(user or self.counsellor_a_user)
        return self.client.post(reverse("careers:report_return", args=[pending.pk]), {"note": note})

    def test_confirming_makes_the_report_the_graduates_destination(self):
        pending = report(self.graduate_a, Destination.AGREEMENT, self.student, "太原银行")
        response = self.confirm(pending)
        self.assertRedirects(response, self.graduate_a.get_absolute_url())
        self.graduate_a.refresh_from_db()
        self.assertEqual(self.graduate_a.destination, Destination.AGREEMENT)
        self.assertEqual(self.graduate_a.organisation, "太原银行")
        self.assertIsNotNone(self.graduate_a.confirmed_at)
        pending.refresh_from_db()
        self.assertEqual(pending.decided_by, self.counsellor_a)
        self.assertTrue(Message.objects.filter(recipient=self.student_a).exists())

    def test_returning_keeps_the_destination_confirmed_before(self):
        place(self.graduate_a, Destination.FURTHER_STUDY, self.counsellor_a_user)
        pending = report(self.graduate_a, Destination.AGREEMENT, self.student)
        self.send_back(pending, "协议未盖章，请补充盖章页")
        self.graduate_a.refresh_from_db()
        self.assertEqual(self.graduate_a.destination, Destination.FURTHER_STUDY)
        pending.refresh_from_db()
        self.assertEqual(pending.status, Status.RETURNED)
        self.login(self.student)
        page = self.client.get(reverse("careers:index"))
        self.assertContains(page, "协议未盖章，请补充盖章页")

    def test_a_report_goes_back_only_with_a_reason(self):
        pending = report(self.graduate_a, Destination.SEEKING, self.student)
        response = self.send_back(pending, "  ")
        pending.refresh_from_db()
        self.assertEqual(pending.status, Status.PENDING)
        self.assertContains(self.client.get(response["Location"]), "Say why the report goes back.")

    def test_a_report_is_decided_once(self):
        pending = report(self.graduate_a, Destination.SEEKING, self.student)
        self.confirm(pending)
        response = self.confirm(pending)
        self.assertContains(
            self.client.get(response["Location"]), "This report has already been decided."
        )
        confirmed = LogEntry.objects.filter(kind=CareersEvent.DESTINATION_CONFIRMED.value)
        self.assertEqual(confirmed.count(), 1)

    def test_the_history_keeps_every_report(self):
        place(self.graduate_a, Destination.SEEKING, self.counsellor_a_user)
        place(self.graduate_a, Destination.CONTRACT, self.counsellor_a_user)
        returned = report(self.graduate_a, Destination.ABROAD, self.student)
        actions.return_report(returned, "材料不全", acting_user=self.counsellor_a_user)
        self.login(self.student)
        page = self.client.get(self.graduate_a.get_absolute_url())
        for pending in self.graduate_a.reports.all():
            self.assertContains(page, f'data-testid="report-{pending.pk}"')
        self.assertEqual(self.graduate_a.reports.count(), 3)

    def test_the_graduate_does_not_confirm_their_own(self):
        pending = report(self.graduate_a, Destination.SEEKING, self.student)
        self.assertEqual(self.confirm(pending, self.student).status_code, 403)

    def test_another_counsellor_does_not_see_the_report(self):
        pending = report(self.graduate_a, Destination.SEEKING, self.student)
        self.assertEqual(self.confirm(pending, self.counsellor_b_user).status_code, 404)
        self.assertEqual(self.send_back(pending, "x", self.counsellor_b_user).status_code, 404)

    def test_a_leader_sees_but_does_not_confirm(self):
        pending = report(self.graduate_a, Destination.SEEKING, self.student)
        self.assertEqual(self.confirm(pending, self.leader).status_code, 403)

    def test_the_counsellor_confirms_from_their_queue_and_comes_back_to_it(self):
        pending = report(self.graduate_a, Destination.SEEKING, self.student)
        self.login(self.counsellor_a_user)
        queue = self.client.get(reverse("careers:index"))
        self.assertContains(queue, f'data-testid="report-{pending.pk}"')
        response = self.confirm(pending, back="index")
        self.assertRedirects(response, reverse("careers:index"))
        self.assertNotContains(self.client.get(reverse("careers:index")), 'data-testid="confirm"')


class EvidenceTests(OutcomesTestCase):
    pending: DestinationReport
    file: Evidence

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.pending = report(cls.graduate_a, Destination.AGREEMENT, cls.student)
        cls.file = cls.pending.evidence.get()

    def reads(self):
        return LogEntry.objects.filter(kind=CareersEvent.EVIDENCE_READ.value)

    def get(self, user):
        self.login(user)
        return self.client.get(reverse("careers:evidence", args=[self.file.pk]))

    def test_the_counsellor_downloads_it_and_the_read_is_recorded(self):
        response = self.get(self.counsellor_a_user)
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertEqual(b"".join(response.streaming_content), self.file.file.open("rb").read())
        entry = self.reads().get()
        self.assertEqual(entry.actor, self.counsellor_a_user)
        self.assertEqual(entry.object_id, self.graduate_a.pk)

    def test_the_graduate_reads_their_own_unrecorded(self):
        self.assertEqual(self.get(self.student).status_code, 200)
        self.assertFalse(self.reads().exists())

    def test_nobody_else_sees_it(self):
        for user in (self.counsellor_b_user, self.graduate_b_user, self.teacher):
            with self.subTest(user=user.username):
                self.assertEqual(self.get(user).status_code, 404)
        self.assertFalse(self.reads().exists())

    def test_the_graduates_page_links_to_it(self):
        self.login(self.counsellor_a_user)
        page = self.client.get(self.graduate_a.get_absolute_url())
        self.assertContains(page, reverse("careers:evidence", args=[self.file.pk]))
