from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from shouwang.bulletin.tests.helpers import PDF
from shouwang.core.tests.photos import MetadataAssertions, damaged_jpeg, phone_photo
from shouwang.notices.models import Notice, NoticeAttachment
from shouwang.test import BaseTestCase


class AttachmentTestCase(BaseTestCase):
    url = reverse("notices:notice_new")

    def setUp(self):
        super().setUp()
        self.login(self.counsellor_a_user)

    def write(self, *files):
        data = {"title": "通知", "body": "正文", "kind": "all", "classes": [self.class_a.pk]}
        return self.client.post(self.url, {**data, "attachments": list(files)})

    def published(self) -> Notice:
        notice = Notice.objects.get()
        self.client.post(reverse("notices:notice_publish", args=[notice.pk]))
        self.login(self.student)
        return notice


class AttachmentMetadataTests(MetadataAssertions, AttachmentTestCase):
    def test_a_photo_reaches_the_class_without_its_location(self):
        self.write(phone_photo("寝室检查.jpg"))
        notice = self.published()
        attachment = notice.attachments.get()
        response = self.client.get(attachment.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        data = response.getvalue()
        self.assertNoMetadata(data)
        self.assertEqual(attachment.size, len(data))

    def test_a_pdf_is_kept_as_sent_and_served_as_a_download(self):
        self.write(SimpleUploadedFile("安排.pdf", PDF))
        notice = self.published()
        response = self.client.get(notice.attachments.get().get_absolute_url())
        self.assertTrue(response["Content-Disposition"].startswith("attachment;"))
        self.assertEqual(response.getvalue(), PDF)


class DamagedAttachmentTests(AttachmentTestCase):
    def test_a_damaged_photo_is_refused_with_a_message_and_nothing_is_kept(self):
        response = self.write(damaged_jpeg("寝室检查.jpg"))
        self.assertContains(response, "“寝室检查.jpg”无法读取")
        self.assertFalse(Notice.objects.exists())


@override_settings(UPLOAD_QUOTA_MB=1)
class QuotaTests(AttachmentTestCase):
    def test_attachments_past_the_writers_quota_are_refused_and_no_draft_is_kept(self):
        self.write(SimpleUploadedFile("一.pdf", PDF + b"0" * 700 * 1024))
        response = self.write(SimpleUploadedFile("二.pdf", PDF + b"0" * 400 * 1024))
        self.assertContains(response, "每人最多可保存 1.0\xa0MB")
        self.assertEqual(Notice.objects.count(), 1)
        self.assertEqual(NoticeAttachment.objects.count(), 1)
