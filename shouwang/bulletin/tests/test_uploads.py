from django.urls import reverse

from shouwang.bulletin.models import Article, ArticleAttachment, ArticleImage
from shouwang.core.tests.photos import MetadataAssertions, damaged_jpeg, phone_photo

from .helpers import PDF, pdf
from .test_desk import DeskTestCase


class PhotoMetadataTests(MetadataAssertions, DeskTestCase):
    """No photo the desk stores keeps where, when or with what it was taken."""

    def setUp(self):
        super().setUp()
        self.login(self.leader)

    def test_an_articles_image_keeps_only_its_pixels(self):
        self.client.post(
            reverse("bulletin:image_add", args=[self.draft.pk]), {"file": phone_photo()}
        )
        image = ArticleImage.objects.get()
        self.assertNoMetadata(self.client.get(image.get_absolute_url()).getvalue())

    def test_a_cover_keeps_only_its_pixels(self):
        data = {"section": "news", "title": "送餐", "body": "正文", "source": ""}
        response = self.client.post(
            self.edit_url(), {**data, "cover_upload": phone_photo("封面.jpg")}
        )
        self.assertRedirects(response, self.edit_url())
        self.draft.refresh_from_db()
        with self.draft.cover.open("rb") as stored:
            self.assertNoMetadata(stored.read())

    def test_a_photo_attached_as_a_document_keeps_only_its_pixels(self):
        self.client.post(
            reverse("bulletin:attachment_add", args=[self.draft.pk]), {"file": phone_photo()}
        )
        attachment = ArticleAttachment.objects.get()
        self.assertEqual(attachment.name, "照片.jpg")
        response = self.client.get(attachment.get_absolute_url())
        data = response.getvalue()
        self.assertNoMetadata(data)
        self.assertEqual(attachment.size, len(data))

    def test_a_pdf_is_kept_as_sent_and_served_as_a_download(self):
        self.client.post(reverse("bulletin:attachment_add", args=[self.draft.pk]), {"file": pdf()})
        response = self.client.get(ArticleAttachment.objects.get().get_absolute_url())
        self.assertTrue(response["Content-Disposition"].startswith("attachment;"))
        self.assertEqual(response.getvalue(), PDF)


class DamagedImageTests(DeskTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.leader)

    def test_a_damaged_image_is_refused_with_a_message(self):
        response = self.client.post(
            reverse("bulletin:image_add", args=[self.draft.pk]), {"file": damaged_jpeg()}
        )
        self.assertContains(response, "无法读取")
        self.assertFalse(ArticleImage.objects.exists())

    def test_a_damaged_image_attached_as_a_document_is_refused_with_a_message(self):
        response = self.client.post(
            reverse("bulletin:attachment_add", args=[self.draft.pk]), {"file": damaged_jpeg()}
        )
        self.assertContains(response, "无法读取")
        self.assertFalse(ArticleAttachment.objects.exists())

    def test_a_damaged_cover_is_refused_with_a_message(self):
        data = {"section": "news", "title": "送餐", "body": "正文", "source": ""}
        response = self.client.post(self.edit_url(), {**data, "cover_upload": damaged_jpeg()})
        self.assertContains(response, "无法读取")
        self.assertFalse(Article.objects.get(pk=self.draft.pk).cover)
