"""The seed's article on the demo is the chronicle the system drafted from
the demo's data and published: its sentences carry the seed's figures,
counted, and it appeared where and when the seed's did."""

from django.core.cache import cache
from django.test import TestCase
from django.utils import timezone

from shouwang.bulletin.models import Article
from shouwang.demo import build
from shouwang.demo.chronicle import SEED_TITLE
from shouwang.lib.clock import beijing
from shouwang.reports.chronicle import read
from shouwang.reports.models import Chronicle

# The seed's sentences, as the chronicle writes them from the data.
SEED_SENTENCES = (
    "4月6日起，学院全面启动“云端”课堂，正式开始线上教学，承担本期教学任务的59名教师、"
    "997名学生、24个教学班共同参与到线上教学工作中。",
    "学院党委围绕党建团学、本科教育、学科建设与研究生教育、人才引育、就业创业五个方面，"
    "把工作重点细化为15个要点、37项具体举措",
    "组织“春蕾工程”、“红烛”两支志愿者服务大队为隔离的学生写卡片、录制暖心励志视频，"
    "并为隔离学生定时定点送去一日三餐。",
    "已举办网络双选会两场，共计360余人次参与",
    "赵璞就是这个群体中的一员",
    "向学校爱心捐赠防护服100套、免洗手消毒液700瓶、桶装方便面30箱、火腿肠6箱以及水果1000斤。",
    "学院共计18名分布在",
)


class DemoChronicleTestCase(TestCase):
    chronicle: Chronicle

    @classmethod
    def setUpTestData(cls):
        build.build()
        cls.chronicle = Chronicle.objects.select_related("article").get()

    def setUp(self):
        cache.clear()

    def test_the_seed_article_is_the_published_chronicle(self):
        article = Article.objects.get(title=SEED_TITLE)
        self.assertEqual(self.chronicle.article, article)
        self.assertEqual(article.section.name, "党建动态")
        self.assertEqual(article.source, "信息学院 付琳供稿")
        self.assertEqual(article.published_at, beijing(2022, 4, 16, 7, 50))
        self.assertEqual(self.chronicle.counted_at, beijing(2022, 4, 16, 7, 50))
        self.assertTrue(self.chronicle.is_published)
        self.assertEqual(Article.objects.filter(section__slug="party", title=SEED_TITLE).count(), 1)

    def test_its_sentences_carry_the_seeds_figures(self):
        body = Article.objects.get(title=SEED_TITLE).body
        for sentence in SEED_SENTENCES:
            with self.subTest(sentence=sentence):
                self.assertIn(sentence, body)
        self.assertNotIn("？", body)
        self.assertEqual(read(self.chronicle).body(), body)

    def test_its_sections_follow_the_seed(self):
        body = Article.objects.get(title=SEED_TITLE).body
        openings = ["快速反应", "精心组织", "全盘谋划", "心系师生", "牵线搭台", "安排有序"]
        openings += ["同舟共济", "党旗飘扬", "凝心聚力"]
        positions = [body.index(opening) for opening in openings]
        self.assertEqual(positions, sorted(positions))

    def test_the_public_site_shows_it_on_the_morning_of_the_demos_now(self):
        article = Article.objects.get(title=SEED_TITLE)
        self.assertEqual(timezone.localdate(article.published_at).isoformat(), "2022-04-16")
        response = self.client.get(article.get_absolute_url())
        self.assertContains(response, "信息学院党委高举党旗")
        self.assertContains(response, "997名学生")
