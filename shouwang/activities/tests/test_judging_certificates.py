"""Certificates (荣誉证书) as PDF: once the results are final, a page for each
winner, each member of a team their own, with the right words."""

import datetime as dt

from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time

from shouwang.activities import judging
from shouwang.activities.models import Award, Prize
from shouwang.lib import clock
from shouwang.lib.tests.pdf_text import pdf_text

from .base_judging import JudgingTestCase


class CertificateTests(JudgingTestCase):
    def setUp(self):
        for judge in (self.supervisor_person, self.teacher_person):
            self.sheet(judge, self.entry_team, 90)
            self.sheet(judge, self.entry_a, 80)
        self.contest.entries.filter(pk__in=[self.entry_e.pk, self.entry_f.pk]).delete()
        judging.give_awards(
            self.contest,
            {Prize.FIRST: 1, Prize.SECOND: 1, Prize.THIRD: 0, Prize.MERIT: 0},
            acting_user=self.organiser,
        )
        judging.publish_results(self.contest, acting_user=self.organiser)
        self.team_award = Award.objects.get(entry=self.entry_team)
        self.award_a = Award.objects.get(entry=self.entry_a)

    def url(self, award):
        return reverse("activities:certificate", args=[award.pk])

    def make_final(self):
        with freeze_time(clock.now() + dt.timedelta(days=4)):
            judging.make_final(self.contest, acting_user=self.organiser)
        self.contest.refresh_from_db()

    def test_no_certificate_before_the_results_are_final(self):
        self.login(self.student)
        self.assertEqual(self.client.get(self.url(self.award_a)).status_code, 403)

    def test_each_member_of_a_team_gets_their_own(self):
        self.make_final()
        self.login(self.volunteer)
        response = self.client.get(self.url(self.team_award))
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = pdf_text(response.content)
        with translation.override("zh-hans"):
            prize = str(Prize.FIRST.label)
        for words in ("王五", "青春向党", "信管小队", "山西财经大学信息学院", "学院团委", prize):
            self.assertIn(words, text)
        self.assertIn(self.contest.title, text.replace("\n", ""))
        self.assertNotIn("李四", text)
        final_at = self.contest.results_final_at
        assert final_at is not None
        day = final_at.astimezone(clock.BEIJING)
        self.assertIn(f"{day.year}年{day.month}月{day.day}日", text)

        self.login(self.student_b_user)
        text = pdf_text(self.client.get(self.url(self.team_award)).content)
        self.assertIn("李四", text)
        self.assertNotIn("王五", text)

    def test_the_runners_print_every_winners_page(self):
        self.make_final()
        self.login(self.organiser)
        response = self.client.get(self.url(self.team_award))
        text = pdf_text(response.content)
        self.assertIn("李四", text)
        self.assertIn("王五", text)

    def test_nobody_else_finds_a_certificate(self):
        self.make_final()
        for user in (self.student, self.supervisor, self.counsellor_b_user):
            self.login(user)
            self.assertEqual(self.client.get(self.url(self.team_award)).status_code, 404)
        self.login(self.student)
        text = pdf_text(self.client.get(self.url(self.award_a)).content)
        self.assertIn("张三", text)
        self.assertIn("百年团史", text)

    def test_the_student_finds_their_certificate_on_the_results_page(self):
        self.make_final()
        self.login(self.student)
        response = self.client.get(reverse("activities:results", args=[self.contest.pk]))
        self.assertContains(response, self.url(self.award_a))
