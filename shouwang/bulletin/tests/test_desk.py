import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from shouwang.bulletin.models import Article, ArticleAttachment, ArticleImage, Section
from shouwang.test import BaseTestCase

from .helpers import PDF, FreshCache, jpeg, make_article, make_sections, pdf


class DeskTestCase(FreshCache, BaseTestCase):
    sections: dict[str, Section]
    draft: Article

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.sections = make_sections()
        cls.draft = make_article(
            cls.sections["news"], "春蕾工程志愿服务队为隔离学生送餐", state="draft"
        )

    def edit_url(self, article=None) -> str:
        return reverse("bulletin:article_edit", args=[(article or self.draft).pk])


class WriteArticleTests(DeskTestCase):
    def test_a_counsellor_writes_a_draft(self):
        self.login(self.counsellor_a_user)
        response = self.client.post(
            reverse("bulletin:article_new"),
            {"section": "notices", "title": "关于线上教学安排的通知", "body": "4月6日起线上教学。"},
        )
        article = Article.objects.get(title="关于线上教学安排的通知")
        self.assertRedirects(response, self.edit_url(article))
        self.assertEqual(article.status, Article.Status.DRAFT)
        self.assertEqual(article.author, self.counsellor_a_user)
        self.assertEqual(article.section, self.sections["notices"])

    def test_a_student_finds_no_desk(self):
        self.login(self.student)
        self.assertEqual(self.client.get(reverse("bulletin:desk")).status_code, 404)
        self.assertEqual(self.client.get(self.edit_url()).status_code, 404)

    def test_the_desk_lists_drafts_with_their_state(self):
        self.login(self.leader)
        response = self.client.get(reverse("bulletin:desk"))
        self.assertContains(response, "春蕾工程志愿服务队为隔离学生送餐")
        self.assertContains(response, "草稿")

    def test_the_desk_costs_the_same_for_more_articles(self):
        self.login(self.leader)
        self.client.get(reverse("bulletin:desk"))
        with self.assertNumQueries(7) as first:
            self.client.get(reverse("bulletin:desk"))
        for i in range(5):
            make_article(self.sections["notices"], f"通知{i}")
        with self.assertNumQueries(len(first.captured_queries)):
            self.client.get(reverse("bulletin:desk"))


class PublishTests(DeskTestCase):
    def test_publishing_puts_it_on_the_public_site(self):
        self.login(self.leader)
        self.client.post(reverse("bulletin:article_publish", args=[self.draft.pk]))
        self.draft.refresh_from_db()
        self.assertTrue(self.draft.is_public)
        self.client.logout()
        response = self.client.get(reverse("bulletin:article", args=[self.draft.pk]))
        self.assertEqual(response.status_code, 200)

    def test_a_later_time_schedules_it(self):
        self.login(self.leader)
        self.client.post(
            reverse("bulletin:article_publish", args=[self.draft.pk]),
            {"published_at": "2099-01-01T08:00"},
        )
        self.draft.refresh_from_db()
        self.assertTrue(self.draft.is_scheduled)
        response = self.client.get(reverse("bulletin:article", args=[self.draft.pk]))
        self.assertEqual(response.status_code, 404)

    def test_unpublishing_makes_it_a_draft_again(self):
        article = make_article(self.sections["news"], "防疫物资捐赠")
        self.login(self.leader)
        self.client.post(reverse("bulletin:article_unpublish", args=[article.pk]))
        article.refresh_from_db()
        self.assertEqual(article.status, Article.Status.DRAFT)
        self.assertEqual(
            self.client.get(reverse("bulletin:article", args=[article.pk])).status_code, 404
        )


class ImageTests(DeskTestCase):
    def add(self, upload):
        self.login(self.leader)
        return self.client.post(
            reverse("bulletin:image_add", args=[self.draft.pk]), {"file": upload, "caption": "送餐"}
        )

    def test_a_photos_location_is_stripped(self):
        upload = jpeg(gps=True)
        self.assertIn(0x8825, Image.open(io.BytesIO(upload.read())).getexif())
        upload.seek(0)
        self.assertRedirects(self.add(upload), self.edit_url())
        image = ArticleImage.objects.get(article=self.draft)
        with image.file.open("rb") as stored:
            exif = Image.open(stored).getexif()
        self.assertNotIn(0x8825, exif)
        self.assertNotIn(0x0110, exif)

    def test_a_large_photo_is_scaled_down(self):
        self.add(jpeg(size=(4000, 3000)))
        image = ArticleImage.objects.get(article=self.draft)
        with image.file.open("rb") as stored:
            self.assertEqual(Image.open(stored).size, (1600, 1200))

    def test_a_file_that_is_not_an_image_is_refused(self):
        response = self.add(SimpleUploadedFile("photo.jpg", PDF))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(ArticleImage.objects.exists())

    def test_a_draft_image_is_served_to_writers_only(self):
        self.add(jpeg())
        url = ArticleImage.objects.get().get_absolute_url()
        self.assertEqual(self.client.get(url).status_code, 200)
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_placed_image_shows_where_its_mark_is(self):
        self.add(jpeg())
        article = make_article(self.sections["news"], "图文", body="第一段\n\n[图1]\n\n第二段")
        image = ArticleImage.objects.get()
        image.article = article
        image.save(update_fields=["article"])
        content = self.client.get(article.get_absolute_url()).content.decode()
        self.assertLess(content.index("第一段"), content.index(image.get_absolute_url()))
        self.assertLess(content.index(image.get_absolute_url()), content.index("第二段"))


class AttachmentTests(DeskTestCase):
    def add(self, upload):
        self.login(self.leader)
        return self.client.post(
            reverse("bulletin:attachment_add", args=[self.draft.pk]), {"file": upload}
        )

    def test_a_pdf_is_attached_and_downloaded_once_published(self):
        self.assertRedirects(self.add(pdf("就业推荐表.pdf")), self.edit_url())
        attachment = ArticleAttachment.objects.get()
        self.client.logout()
        self.assertEqual(self.client.get(attachment.get_absolute_url()).status_code, 404)
        self.login(self.leader)
        self.client.post(reverse("bulletin:article_publish", args=[self.draft.pk]))
        self.client.logout()
        response = self.client.get(attachment.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertEqual(response.getvalue(), PDF)

    def test_an_executable_is_refused(self):
        response = self.add(SimpleUploadedFile("通知.exe", b"MZ\x90\x00" + b"\x00" * 60))
        self.assertContains(response, "通知.exe")
        self.assertFalse(ArticleAttachment.objects.exists())

    def test_a_renamed_file_is_refused(self):
        response = self.add(SimpleUploadedFile("通知.pdf", b"MZ\x90\x00" + b"\x00" * 60))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(ArticleAttachment.objects.exists())

    def test_a_file_too_large_is_refused(self):
        big = PDF + b"0" * ArticleAttachment.max_bytes
        response = self.add(SimpleUploadedFile("大文件.pdf", big))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(ArticleAttachment.objects.exists())
