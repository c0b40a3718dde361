from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from shouwang.bulletin.models import Article, ArticleAttachment, Letter, Mailbox
from shouwang.core.uploads import DOCUMENTS, AllowedUpload
from shouwang.demo import build
from shouwang.demo.chronicle import SEED_TITLE
from shouwang.demo.context import Demo


def fingerprint() -> dict[str, list]:
    return {
        "articles": list(
            Article.objects.order_by("published_at").values_list(
                "section__slug", "title", "published_at", "views"
            )
        ),
        "letters": list(
            Letter.objects.order_by("sent_at").values_list("mailbox__slug", "subject", "code")
        ),
    }


class DemoBulletinTestCase(TestCase):
    demo: Demo

    @classmethod
    def setUpTestData(cls):
        cls.demo = build.build()

    def setUp(self):
        cache.clear()

    def test_the_public_site_shows_the_colleges_news(self):
        response = self.client.get(reverse("bulletin:home"))
        for text in ("学院新闻", "通知公告", "党建动态", "下载专区", "学院召开疫情防控专题会议"):
            self.assertContains(response, text)
        self.assertContains(response, "书记信箱")

    def test_the_seed_article_is_in_the_party_section_after_the_lockdown(self):
        article = Article.objects.get(title=SEED_TITLE)
        self.assertEqual(article.section.name, "党建动态")
        self.assertTrue(article.is_public)
        self.assertEqual(timezone.localdate(article.published_at).isoformat(), "2022-04-16")
        response = self.client.get(article.get_absolute_url())
        self.assertContains(response, "信息学院党委高举党旗")
        self.assertContains(response, "信息学院 付琳供稿")

    def test_the_downloads_are_real_documents(self):
        check = AllowedUpload(DOCUMENTS, 1024 * 1024)
        self.assertEqual(ArticleAttachment.objects.count(), 2)
        for attachment in ArticleAttachment.objects.all():
            response = self.client.get(attachment.get_absolute_url())
            self.assertEqual(response.status_code, 200)
            check(SimpleUploadedFile(attachment.name, response.getvalue()))

    def test_the_mailboxes_go_to_the_secretary_and_the_dean(self):
        self.assertEqual(
            {box.slug: box.person for box in Mailbox.objects.all()},
            {"secretary": self.demo.posts["党委书记"], "dean": self.demo.posts["院长"]},
        )

    def test_an_answered_letter_shows_its_answer_with_its_code(self):
        letter = Letter.objects.exclude(answer="")[0]
        response = self.client.get(reverse("bulletin:letter_status", args=[letter.code]))
        self.assertContains(response, letter.answer)

    def test_it_is_the_same_every_time(self):
        before = fingerprint()
        build.clear()
        build.build()
        self.assertEqual(fingerprint(), before)
