from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from shouwang.bulletin.tests.helpers import PDF, pdf
from shouwang.core.tests.photos import MetadataAssertions, damaged_jpeg, phone_photo
from shouwang.helpdesk.models import HelpRequest, HelpRequestAttachment
from shouwang.test import BaseTestCase

NEW = reverse("helpdesk:request_new")


class AttachmentTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.student)

    def post(self, *files):
        return self.client.post(
            NEW,
            {
                "category": "living",
                "urgency": "high",
                "description": "饭卡丢了，食堂吃不上饭",
                "attachments": list(files),
                "still_submit": "on",
            },
        )

    def download(self, attachment: HelpRequestAttachment):
        url = reverse("helpdesk:attachment", args=[attachment.request_id, attachment.pk])
        return self.client.get(url)


class AttachmentMetadataTests(MetadataAssertions, AttachmentTestCase):
    def test_a_photo_keeps_no_location_for_whoever_opens_it(self):
        self.post(phone_photo())
        attachment = HelpRequestAttachment.objects.get()
        self.login(self.counsellor_a_user)
        response = self.download(attachment)
        self.assertEqual(response.status_code, 200)
        data = response.getvalue()
        self.assertNoMetadata(data)
        self.assertEqual(attachment.size, len(data))

    def test_a_pdf_is_kept_as_sent_and_served_as_a_download(self):
        self.post(pdf("诊断证明.pdf"))
        response = self.download(HelpRequestAttachment.objects.get())
        self.assertTrue(response["Content-Disposition"].startswith("attachment;"))
        self.assertEqual(response.getvalue(), PDF)

    def test_the_stored_file_is_not_named_as_sent(self):
        self.post(pdf("诊断证明.pdf"))
        attachment = HelpRequestAttachment.objects.get()
        self.assertEqual(attachment.name, "诊断证明.pdf")
        self.assertTrue(attachment.file.name.startswith("helpdesk/"))
        self.assertNotIn("诊断证明", attachment.file.name)

    def test_a_file_gone_from_the_disk_is_not_found(self):
        self.post(pdf("诊断证明.pdf"))
        attachment = HelpRequestAttachment.objects.get()
        attachment.file.storage.delete(attachment.file.name)
        self.assertEqual(self.download(attachment).status_code, 404)


class DamagedAttachmentTests(AttachmentTestCase):
    def test_a_damaged_photo_is_refused_with_a_message_and_nothing_is_kept(self):
        response = self.post(pdf(), damaged_jpeg("饭卡.jpg"))
        self.assertContains(response, "“饭卡.jpg”无法读取")
        self.assertFalse(HelpRequest.objects.exists())
        self.assertFalse(HelpRequestAttachment.objects.exists())


@override_settings(UPLOAD_QUOTA_MB=1)
class QuotaTests(AttachmentTestCase):
    """One student once stored 90 MB of attachments in a third of a second."""

    def big_pdf(self, name: str, kilobytes: int) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, PDF + b"0" * (kilobytes * 1024))

    def test_files_past_the_quota_are_refused_with_what_is_used_and_nothing_is_stored(self):
        self.post(self.big_pdf("一.pdf", 600))
        self.assertEqual(HelpRequestAttachment.objects.count(), 1)
        response = self.post(self.big_pdf("二.pdf", 300), self.big_pdf("三.pdf", 300))
        self.assertContains(response, "每人最多可保存 1.0\xa0MB")
        self.assertContains(response, "已保存 600.0\xa0KB")
        self.assertEqual(HelpRequest.objects.count(), 1)
        self.assertEqual(HelpRequestAttachment.objects.count(), 1)

    def test_a_flood_of_requests_stops_at_the_quota(self):
        for number in range(10):
            self.post(self.big_pdf(f"{number}.pdf", 300))
        self.assertEqual(HelpRequestAttachment.objects.count(), 3)
        self.assertLessEqual(sum(a.size for a in HelpRequestAttachment.objects.all()), 1024 * 1024)

    def test_each_person_has_their_own_quota(self):
        self.post(self.big_pdf("一.pdf", 900))
        self.login(self.student_b_user)
        self.post(self.big_pdf("二.pdf", 900))
        self.assertEqual(HelpRequestAttachment.objects.count(), 2)

    @override_settings(UPLOAD_QUOTA_MB=0)
    def test_a_quota_of_zero_is_no_limit(self):
        self.post(self.big_pdf("一.pdf", 2000))
        self.assertEqual(HelpRequestAttachment.objects.count(), 1)
