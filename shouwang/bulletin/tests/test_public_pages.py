import datetime as dt

from django.urls import reverse
from django.utils import timezone

from shouwang.bulletin.models import Article, Section
from shouwang.lib import clock
from shouwang.test import BaseTestCase

from .helpers import FreshCache, make_article, make_sections


class PublicTestCase(FreshCache, BaseTestCase):
    sections: dict[str, Section]
    news: Section
    article: Article
    draft: Article
    scheduled: Article

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.sections = make_sections()
        cls.news = cls.sections["news"]
        cls.article = make_article(
            cls.news, "学院召开疫情防控专题会议", body="第一段。\n\n第二段。"
        )
        cls.draft = make_article(cls.news, "草稿标题", state="draft")
        cls.scheduled = make_article(cls.news, "定时发布标题", state="scheduled")


class HomeTests(PublicTestCase):
    def test_it_shows_each_section_with_its_published_articles(self):
        response = self.client.get(reverse("bulletin:home"))
        self.assertContains(response, "学院新闻")
        self.assertContains(response, "下载专区")
        self.assertContains(response, "学院召开疫情防控专题会议")

    def test_it_hides_drafts_and_scheduled_articles(self):
        response = self.client.get(reverse("bulletin:home"))
        self.assertNotContains(response, "草稿标题")
        self.assertNotContains(response, "定时发布标题")

    def test_it_is_in_chinese_and_shows_nothing_of_the_user(self):
        self.login(self.leader)
        response = self.client.get(reverse("bulletin:home"))
        self.assertContains(response, "首页")
        self.assertNotContains(response, "孙书记")
        self.assertNotContains(response, "csrfmiddlewaretoken")
        self.assertNotContains(response, "退出")

    def test_each_language_has_its_own_cached_page(self):
        self.client.cookies["django_language"] = "en"
        self.assertContains(self.client.get(reverse("bulletin:home")), 'lang="en"')
        del self.client.cookies["django_language"]
        response = self.client.get(reverse("bulletin:home"))
        self.assertContains(response, 'lang="zh-hans"')
        self.assertContains(response, "首页")

    def test_the_login_page_links_here(self):
        response = self.client.get(reverse("accounts:login"))
        self.assertContains(response, reverse("bulletin:home"))


class SectionTests(PublicTestCase):
    def test_it_lists_newest_first(self):
        make_article(self.news, "较早的新闻", published_at=clock.now() - dt.timedelta(days=3))
        response = self.client.get(reverse("bulletin:section", args=["news"]))
        content = response.content.decode()
        self.assertLess(content.index("学院召开疫情防控专题会议"), content.index("较早的新闻"))
        self.assertNotContains(response, "草稿标题")

    def test_it_pages_fifteen_at_a_time(self):
        for i in range(16):
            make_article(self.sections["notices"], f"通知{i:02d}")
        first = self.client.get(reverse("bulletin:section", args=["notices"]))
        second = self.client.get(reverse("bulletin:section", args=["notices"]), {"page": 2})
        self.assertContains(first, "通知15")
        self.assertNotContains(first, "通知00")
        self.assertContains(second, "通知00")

    def test_a_junk_page_number_is_the_first_page(self):
        response = self.client.get(reverse("bulletin:section", args=["news"]), {"page": "x"})
        self.assertContains(response, "学院召开疫情防控专题会议")

    def test_it_has_breadcrumbs(self):
        response = self.client.get(reverse("bulletin:section", args=["news"]))
        self.assertContains(response, 'class="breadcrumb bulletin-crumbs small"')
        self.assertContains(response, reverse("bulletin:home"))


class ArticleTests(PublicTestCase):
    def url(self, article: Article) -> str:
        return reverse("bulletin:article", args=[article.pk])

    def test_it_shows_title_date_views_and_paragraphs(self):
        response = self.client.get(self.url(self.article))
        self.assertContains(response, "学院召开疫情防控专题会议")
        self.assertContains(response, timezone.localdate(self.article.published_at).isoformat())
        self.assertContains(response, "阅读数")
        self.assertContains(response, '<p class="lh-lg bulletin-indent">第二段。</p>', html=False)

    def test_its_breadcrumbs_lead_home_and_to_the_section(self):
        response = self.client.get(self.url(self.article))
        crumbs = response.content.decode().split('data-testid="breadcrumbs"')[1].split("</ol>")[0]
        self.assertIn("首页", crumbs)
        self.assertIn(reverse("bulletin:section", args=["news"]), crumbs)
        self.assertIn("正文", crumbs)

    def test_drafts_and_scheduled_articles_are_not_found(self):
        self.login(self.leader)
        self.assertEqual(self.client.get(self.url(self.draft)).status_code, 404)
        self.assertEqual(self.client.get(self.url(self.scheduled)).status_code, 404)

    def test_a_scheduled_article_appears_when_its_time_comes(self):
        # Rendered once before its time: the cached pages must not outlive it.
        self.client.get(reverse("bulletin:home"))
        with self.settings(BULLETIN_CACHE_SECONDS=3600):
            from freezegun import freeze_time

            with freeze_time(clock.now() + dt.timedelta(days=1, minutes=1)):
                self.assertEqual(self.client.get(self.url(self.scheduled)).status_code, 200)
                self.assertContains(self.client.get(reverse("bulletin:home")), "定时发布标题")

    def test_each_view_counts_once(self):
        for _ in range(3):
            self.client.get(self.url(self.article))
        self.article.refresh_from_db()
        self.assertEqual(self.article.views, 3)

    def test_the_page_shows_the_count_including_this_view_even_from_the_cache(self):
        self.client.get(self.url(self.article))
        response = self.client.get(self.url(self.article))
        self.assertContains(response, '<span data-testid="views">2</span>', html=False)

    def test_robots_are_not_counted(self):
        self.client.get(self.url(self.article), headers={"user-agent": "Baiduspider/2.0"})
        self.client.head(self.url(self.article))
        self.article.refresh_from_db()
        self.assertEqual(self.article.views, 0)

    def test_a_draft_is_never_counted(self):
        self.client.get(self.url(self.draft))
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.views, 0)

    def test_a_cached_page_costs_three_queries(self):
        self.client.get(self.url(self.article))
        # The edition, the count's UPDATE and its read.
        with self.assertNumQueries(3):
            self.client.get(self.url(self.article))
        # It does not grow with the site.
        for i in range(5):
            make_article(self.news, f"又一篇{i}")
        self.client.get(self.url(self.article))
        with self.assertNumQueries(3):
            self.client.get(self.url(self.article))

    def test_cached_section_and_home_pages_cost_one_query(self):
        self.client.get(reverse("bulletin:home"))
        self.client.get(reverse("bulletin:section", args=["news"]))
        with self.assertNumQueries(1):
            self.client.get(reverse("bulletin:home"))
        with self.assertNumQueries(1):
            self.client.get(reverse("bulletin:section", args=["news"]))

    def test_a_body_cannot_inject_html(self):
        evil = make_article(self.news, "标题", body="<script>alert(1)</script>")
        response = self.client.get(self.url(evil))
        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertContains(response, "&lt;script&gt;")
