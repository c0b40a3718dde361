"""Publishing the results (评选公示): a bulletin article written from the
awards, objections within the objection period, and the results made final
once it is over with every objection answered."""

import datetime as dt

from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time

from shouwang.activities import judging
from shouwang.activities.message_kinds import ACTIVITIES
from shouwang.activities.models import Objection, Prize
from shouwang.bulletin.models import Article, Section
from shouwang.lib import clock
from shouwang.notify.models import Message

from .base_judging import JudgingTestCase

COUNTS = {Prize.FIRST: 1, Prize.SECOND: 1, Prize.THIRD: 1, Prize.MERIT: None}


class PublicationTestCase(JudgingTestCase):
    def setUp(self):
        # 百年团史 88 first; 青春向党 (the team) and 星火燎原 82, tied second; 薪火相传 72.
        for judge in (self.supervisor_person, self.teacher_person):
            self.sheet(judge, self.entry_a, 88)
            self.sheet(judge, self.entry_team, 82)
            self.sheet(judge, self.entry_e, 82)
            self.sheet(judge, self.entry_f, 72)
        judging.give_awards(self.contest, COUNTS, acting_user=self.organiser)
        self.published_at = clock.now()

    def publish(self, days=3):
        return judging.publish_results(
            self.contest, objection_days=days, acting_user=self.organiser
        )

    def after(self, **delta):
        return freeze_time(self.published_at + dt.timedelta(**delta))


class PublishTests(PublicationTestCase):
    def test_the_results_are_an_article_of_the_bulletins_notices_of_results(self):
        article = self.publish()
        self.assertTrue(article.is_public)
        self.assertEqual(article.section.name, "评选公示")
        self.assertIn(self.contest.title, article.title)
        body = article.body
        for words in (
            "百年团史",
            "张三",
            "计科2001",
            "青春向党",
            "信管小队",
            "李四",
            "王五",
            "信管2101",
            "星火燎原",
            "钱七",
            "薪火相传",
            "孙八",
            reverse("activities:objection", args=[self.contest.pk]),
        ):
            self.assertIn(words, body)
        with translation.override("zh-hans"):
            first, second = str(Prize.FIRST.label), str(Prize.SECOND.label)
        # The prizes in order, the tied pair both second.
        self.assertLess(body.index(first), body.index("百年团史"))
        self.assertLess(body.index(second), body.index("青春向党"))
        self.assertLess(body.index("星火燎原"), body.index("薪火相传"))
        self.contest.refresh_from_db()
        self.assertEqual(self.contest.results_article, article)
        self.assertIsNotNone(self.contest.results_published_at)
        self.assertEqual(self.contest.objection_days, 3)

    def test_every_participant_is_told_once(self):
        self.publish()
        told = Message.objects.filter(kind=ACTIVITIES, link__endswith="/results/")
        self.assertEqual(
            sorted(told.values_list("recipient__name", flat=True)),
            sorted(["张三", "李四", "王五", "钱七", "孙八"]),
        )
        with self.assertRaises(ValidationError):
            self.publish()
        self.assertEqual(told.count(), 5)

    def test_the_section_the_site_already_has_is_used(self):
        section = Section.objects.create(name="评选公示", slug="pingxuan", position=5)
        self.assertEqual(self.publish().section, section)
        self.assertEqual(Section.objects.filter(name="评选公示").count(), 1)

    def test_nothing_is_published_without_awards(self):
        self.contest.awards.all().delete()
        with self.assertRaises(ValidationError):
            self.publish()
        self.assertFalse(Article.objects.exists())

    def test_the_publish_button_publishes_with_its_period(self):
        self.login(self.organiser)
        url = reverse("activities:results_publish", args=[self.contest.pk])
        self.client.post(url, {"objection_days": 5})
        self.contest.refresh_from_db()
        self.assertEqual(self.contest.objection_days, 5)
        self.assertIsNotNone(self.contest.results_article)

    def test_a_student_reads_the_awards_and_their_own_after_publication(self):
        self.login(self.volunteer)
        url = reverse("activities:results", args=[self.contest.pk])
        self.assertEqual(self.client.get(url).status_code, 403)
        self.publish()
        response = self.client.get(url)
        self.assertContains(response, 'data-testid="my-award"')
        self.assertContains(response, "青春向党")
        self.assertContains(response, "张三")
        self.assertNotContains(response, 'data-testid="certificate"')
        self.assertNotContains(response, "82.00")
        self.assertContains(response, 'data-testid="object"')


class ObjectionTests(PublicationTestCase):
    def url(self):
        return reverse("activities:objection", args=[self.contest.pk])

    def test_no_objection_before_the_results_are_published(self):
        self.login(self.student)
        self.assertEqual(self.client.get(self.url()).status_code, 403)
        self.assertEqual(self.client.post(self.url(), {"text": "有异议"}).status_code, 403)

    def test_a_student_objects_within_the_period_and_the_organisers_are_told(self):
        self.publish()
        self.login(self.student_f_user)
        with self.after(days=2):
            response = self.client.post(self.url(), {"text": "《星火燎原》与往届作品雷同。"})
        self.assertRedirects(response, self.url())
        objection = Objection.objects.get()
        self.assertEqual(objection.person, self.student_f)
        self.assertTrue(
            Message.objects.filter(
                recipient=self.organiser_person, title__contains=self.contest.title
            ).exists()
        )
        self.assertContains(self.client.get(self.url()), "《星火燎原》与往届作品雷同。")

    def test_objections_are_refused_after_the_period(self):
        self.publish()
        self.login(self.student)
        with self.after(days=3, minutes=1):
            self.assertContains(self.client.get(self.url()), 'data-testid="refusal"')
            self.assertEqual(self.client.post(self.url(), {"text": "晚了"}).status_code, 403)
            with self.assertRaises(ValidationError):
                judging.raise_objection(
                    self.contest, self.student_a, "晚了", acting_user=self.student
                )
        self.assertFalse(Objection.objects.exists())

    def test_only_students_the_activity_is_open_to_object(self):
        self.publish()
        self.create_other_college()
        for user in (self.teacher, self.student_c_user):
            self.login(user)
            self.assertEqual(self.client.post(self.url(), {"text": "有异议"}).status_code, 403)
        self.assertFalse(Objection.objects.exists())

    def test_the_runners_answer_and_the_objector_is_told(self):
        self.publish()
        objection = judging.raise_objection(
            self.contest, self.student_f, "请复核。", acting_user=self.student_f_user
        )
        url = reverse("activities:objection_answer", args=[objection.pk])
        self.login(self.student_f_user)
        self.assertEqual(self.client.post(url, {"answer": "自己回答"}).status_code, 403)
        self.login(self.student)
        self.assertEqual(self.client.post(url, {"answer": "不相干"}).status_code, 404)
        self.login(self.organiser)
        self.client.post(url, {"answer": "经复核，评分无误。"})
        objection.refresh_from_db()
        self.assertEqual(objection.answer, "经复核，评分无误。")
        self.assertTrue(Message.objects.filter(recipient=self.student_f, link=self.url()).exists())


class FinalTests(PublicationTestCase):
    def final(self):
        return reverse("activities:results_final", args=[self.contest.pk])

    def test_the_results_are_not_final_before_the_period_ends(self):
        self.publish()
        self.login(self.organiser)
        with self.after(days=2):
            response = self.client.post(self.final(), follow=True)
        self.assertEqual(len(list(get_messages(response.wsgi_request))), 1)
        self.contest.refresh_from_db()
        self.assertIsNone(self.contest.results_final_at)
        with self.after(days=2), self.assertRaises(ValidationError):
            judging.make_final(self.contest, acting_user=self.organiser)

    def test_nor_while_an_objection_is_unanswered(self):
        self.publish()
        with self.after(days=1):
            objection = judging.raise_objection(
                self.contest, self.student_f, "请复核。", acting_user=self.student_f_user
            )
        with self.after(days=4), translation.override("en"):
            with self.assertRaisesMessage(ValidationError, "1 objections"):
                judging.make_final(self.contest, acting_user=self.organiser)
            judging.answer_objection(objection, "评分无误。", acting_user=self.organiser)
            judging.make_final(self.contest, acting_user=self.organiser)
        self.contest.refresh_from_db()
        self.assertIsNotNone(self.contest.results_final_at)

    def test_once_final_each_winner_is_told_their_certificate_is_ready(self):
        self.publish()
        with self.after(days=4):
            self.login(self.organiser)
            self.client.post(self.final())
        told = Message.objects.filter(link__contains="/certificate/")
        self.assertEqual(
            sorted(told.values_list("recipient__name", flat=True)),
            sorted(["张三", "李四", "王五", "钱七", "孙八"]),
        )
        self.contest.refresh_from_db()
        self.assertIsNotNone(self.contest.results_final_at)
        with self.assertRaises(ValidationError):
            judging.answer_objection(
                Objection(activity=self.contest, person=self.student_a, text="x"),
                "y",
                acting_user=self.organiser,
            )
