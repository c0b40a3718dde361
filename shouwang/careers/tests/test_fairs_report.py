"""The notice announcing fairs and the news article about them are written
from the fairs' records and counts: change the records, the texts follow."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase
from django.urls import reverse
from freezegun import freeze_time

from shouwang.bulletin.models import Article
from shouwang.careers import actions, report
from shouwang.careers.models import FairEmployer, JobFair, Participation
from shouwang.lib.clock import beijing
from shouwang.notices.models import Notice, Receipt

from .base_fairs import BEFORE, DAY, FairsTestCase, make_fair

A = Participation.Source.ATTENDANCE


class WordsTests(SimpleTestCase):
    def test_from_a_hundred_the_participations_are_rounded_down_to_tens_with_yu(self):
        self.assertEqual(report.participations_said(363), "360余人次")
        self.assertEqual(report.participations_said(369), "360余人次")
        self.assertEqual(report.participations_said(360), "360人次")
        self.assertEqual(report.participations_said(87), "87人次")

    def test_the_days_of_one_month_name_it_once(self):
        days = [dt.date(2022, 4, 14), dt.date(2022, 4, 12)]
        self.assertEqual(report.days_said(days), "4月12日和14日")
        self.assertEqual(
            report.days_said([dt.date(2022, 4, 28), dt.date(2022, 5, 6)]), "4月28日和5月6日"
        )
        self.assertEqual(
            report.days_said([dt.date(2022, 4, 12), dt.date(2022, 4, 14), dt.date(2022, 4, 20)]),
            "4月12日、14日和20日",
        )

    def test_small_counts_are_written_in_words(self):
        self.assertEqual(report.count_said(2), "两")
        self.assertEqual(report.count_said(12), "12")


class ReportTestCase(FairsTestCase):
    second: JobFair
    second_room: FairEmployer

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.second = make_fair(
            cls, "2024届毕业生网络双选会（第二场）", DAY + dt.timedelta(days=2), 14, 17
        )
        cls.second_room = actions.save_room(
            cls.second, cls.employer, positions=[cls.position], acting_user=cls.office
        )

    def fairs(self):
        return JobFair.objects.filter(pk__in=[self.fair.pk, self.second.pk])


class NoticeTests(ReportTestCase):
    def test_the_notice_gives_each_fairs_day_time_platform_and_employers(self):
        title, body = report.notice_text(self.fairs())
        self.assertEqual(title, "关于举办2024届毕业生网络双选会的通知")
        self.assertIn(
            "学院团委将于4月12日和14日举办两场网络双选会，共有2家用人单位在线招聘，提供岗位2个、招聘8人",
            body,
        )
        self.assertIn(
            "2024届毕业生网络双选会（第一场）：4月12日（星期五）9:00—12:00，腾讯会议，2家单位、岗位2个",
            body,
        )
        self.assertIn("（第二场）：4月14日（星期日）14:00—17:00，腾讯会议，1家单位、岗位1个", body)
        self.assertIn("https://meeting.tencent.com/dm/hall2024", body)

    def test_the_notice_follows_a_changed_date(self):
        self.second.held_on = DAY + dt.timedelta(days=5)
        actions.save_fair(self.second, acting_user=self.office)
        _title, body = report.notice_text(self.fairs())
        self.assertIn("4月12日和17日", body)

    def test_a_leader_sends_it_to_the_graduates_classes_and_the_bulletin(self):
        self.login(self.leader)
        with freeze_time(BEFORE):
            preview = self.client.get(
                reverse("careers:fairs_announce"), {"fairs": [self.fair.pk, self.second.pk]}
            )
            self.assertContains(preview, "关于举办2024届毕业生网络双选会的通知")
            response = self.client.post(
                reverse("careers:fairs_announce"),
                {"fairs": [self.fair.pk, self.second.pk], "on_bulletin": "on"},
            )
        notice = Notice.objects.get()
        self.assertRedirects(response, notice.get_absolute_url())
        self.assertEqual(notice.status, Notice.Status.PUBLISHED)
        recipients = set(
            Receipt.objects.filter(notice=notice).values_list("person__name", flat=True)
        )
        self.assertTrue({"张三", "王六"} <= recipients)
        self.assertNotIn("孙书记", recipients)
        article = Article.objects.get(section__slug="notices")
        self.assertEqual((article.title, article.body), (notice.title, notice.body))
        self.assertTrue(article.is_public)
        self.assertEqual(report.announcement_of(self.fair), notice)

    def test_the_employment_office_alone_cannot_send_notices(self):
        self.login(self.office)
        self.assertEqual(self.client.get(reverse("careers:fairs_announce")).status_code, 403)
        with self.assertRaisesMessage(ValidationError, "ask a leader"):
            report.announce_fairs(self.fairs(), acting_user=self.office)
        self.assertFalse(Notice.objects.exists())


class ArticleTests(ReportTestCase):
    def setUp(self):
        super().setUp()
        zhang, wang = self.student_a.pk, self.graduate_b_person.pk
        with freeze_time(BEFORE):
            for person in (self.student_a, self.graduate_b_person):
                actions.register(self.fair, person, acting_user=self.office)
        actions.record_participations(self.room_a, {zhang: 30, wang: 20}, A)
        actions.record_participations(self.room_b, {zhang: 25}, A)
        actions.record_participations(self.second_room, {wang: 40}, A)

    def test_the_article_gives_the_computed_participations(self):
        with freeze_time(beijing(2024, 4, 14, 18, 30)):
            title, body = report.article_text(self.fairs())
        self.assertEqual(title, "信息学院举办网络双选会助力毕业生就业")
        self.assertTrue(
            body.startswith("4月12日和14日，学院团委牵头举办两场网络双选会，共计4人次参与。")
        )
        self.assertIn(
            "2家用人单位通过直播间在线招聘，提供岗位2个、招聘8人；2名毕业生报名，2名毕业生走进",
            body,
        )
        self.assertIn("（第一场）（4月12日）2家单位参加，3人次参与；", body)
        self.assertIn("（第二场）（4月14日）1家单位参加，1人次参与。", body)
        self.assertIn("数据截至4月14日18:30", body)

    def test_an_offer_from_the_fairs_is_told(self):
        offer = actions.record_offer(
            self.graduate_a, self.employer, fair=self.fair, acting_user=self.office
        )
        offer.status = offer.Status.ACCEPTED
        offer.save(update_fields=["status"])
        with freeze_time(beijing(2024, 4, 14, 18, 30)):
            _title, body = report.article_text(self.fairs())
        self.assertIn(
            "截至4月14日，已有1名毕业生通过双选会收到用人单位的录用意向，其中1人已接受录用。", body
        )

    def test_publishing_again_rewrites_the_same_article_with_the_new_counts(self):
        self.login(self.leader)
        data = {"fairs": [self.fair.pk, self.second.pk]}
        with freeze_time(beijing(2024, 4, 14, 18, 30)):
            response = self.client.post(reverse("careers:fairs_news"), data)
        article = Article.objects.get(section__slug="news")
        self.assertRedirects(response, article.get_absolute_url(), fetch_redirect_response=False)
        self.assertIn("共计4人次参与", article.body)
        actions.record_participations(self.second_room, {self.student_a.pk: 10}, A)
        with freeze_time(beijing(2024, 4, 14, 20, 0)):
            self.client.post(reverse("careers:fairs_news"), data)
        article.refresh_from_db()
        self.assertEqual(Article.objects.filter(section__slug="news").count(), 1)
        self.assertIn("共计5人次参与", article.body)
        self.assertTrue(article.is_public)
        self.assertEqual(report.news_of(self.fair), article)
