from django.urls import reverse

from shouwang.bulletin import actions
from shouwang.bulletin.models import Article, Section
from shouwang.test import BaseTestCase

from .helpers import FreshCache, make_article, make_sections


class CacheInvalidationTests(FreshCache, BaseTestCase):
    news: Section
    article: Article

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.news = make_sections()["news"]
        cls.article = make_article(cls.news, "网络双选会顺利举行", author=cls.leader)

    def pages(self) -> list[str]:
        return [
            reverse("bulletin:home"),
            reverse("bulletin:section", args=["news"]),
            reverse("bulletin:article", args=[self.article.pk]),
        ]

    def warm(self) -> None:
        for url in self.pages():
            self.assertEqual(self.client.get(url).status_code, 200)

    def test_a_published_change_shows_at_once(self):
        self.warm()
        actions.save_article(
            self.article, title="第二场网络双选会顺利举行", acting_user=self.leader
        )
        for url in self.pages():
            self.assertContains(self.client.get(url), "第二场网络双选会顺利举行")

    def test_an_unpublished_article_is_gone_at_once(self):
        self.warm()
        actions.unpublish_article(self.article, acting_user=self.leader)
        self.assertNotContains(self.client.get(self.pages()[0]), "网络双选会顺利举行")
        self.assertNotContains(self.client.get(self.pages()[1]), "网络双选会顺利举行")
        self.assertEqual(self.client.get(self.pages()[2]).status_code, 404)

    def test_a_newly_published_article_shows_at_once(self):
        self.warm()
        draft = make_article(self.news, "防疫物资捐赠", state="draft")
        self.assertNotContains(self.client.get(self.pages()[0]), "防疫物资捐赠")
        actions.publish_article(draft, acting_user=self.leader)
        self.assertContains(self.client.get(self.pages()[0]), "防疫物资捐赠")
        self.assertContains(self.client.get(self.pages()[1]), "防疫物资捐赠")

    def test_a_draft_never_leaks_through_the_cache(self):
        self.warm()
        # Changed behind the actions' back: the edition is not bumped, the page
        # stays cached, but the article's own check still refuses it.
        type(self.article).objects.filter(pk=self.article.pk).update(status="draft")
        self.assertEqual(self.client.get(self.pages()[2]).status_code, 404)

    def test_a_writers_preview_is_not_cached_for_the_public(self):
        draft = make_article(self.news, "内部稿件", state="draft")
        self.login(self.leader)
        self.client.get(reverse("bulletin:article_edit", args=[draft.pk]))
        self.client.logout()
        self.assertNotContains(self.client.get(self.pages()[0]), "内部稿件")
        self.assertEqual(
            self.client.get(reverse("bulletin:article", args=[draft.pk])).status_code, 404
        )
