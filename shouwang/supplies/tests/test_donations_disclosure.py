"""The public disclosure (捐赠公示): written from the ledger, published on the
bulletin's notices, rewritten when the donation's stock moves, the donor named
only as they wished and no recipient ever named."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse

from shouwang.bulletin.models import Article, Section
from shouwang.supplies import actions, disclosure
from shouwang.supplies.models import Donation

from .donations import DonationsTestCase


class TextTest(DonationsTestCase):
    def test_it_says_the_donor_the_day_the_items_and_what_remains(self):
        donation = self.receive_all(self.pledge_seed())
        body = disclosure.text(donation)
        paragraphs = body.split("\n\n")
        self.assertIn("梁世婕", paragraphs[0])
        self.assertIn("2022", paragraphs[1])
        self.assertIn("15", paragraphs[1])
        self.assertIn(
            "防护服100套、免洗手消毒液700瓶、桶装方便面30箱、火腿肠6箱、水果1000斤", paragraphs[2]
        )
        self.assertIn("学院物资仓库 30箱", body)
        # The last paragraph is the time the figures were read.
        self.assertNotIn("梁世婕", paragraphs[-1])

    def test_it_says_where_they_went_by_unit_team_and_purpose_never_by_person(self):
        donation = self.receive_all(self.pledge_seed())
        self.hand_out(self.noodles, "72", purpose="隔离学生生活保障", for_team=self.care_team)
        self.hand_out(self.suits, "20", purpose="楼栋值守", for_unit=self.college)
        self.hand_out(self.sanitizer, "2", purpose="宿舍消杀", for_person=self.student_a)
        body = disclosure.text(donation)
        self.assertIn("隔离关爱组", body)
        self.assertIn("隔离学生生活保障", body)
        self.assertIn("3箱", body)
        self.assertIn("楼栋值守", body)
        self.assertIn("20套", body)
        self.assertNotIn(self.student_a.name, body)
        self.assertNotIn(self.counsellor_a.name, body)  # who asked for it
        self.assertNotIn(self.keeper_person.name, body)  # who handed it out

    def test_an_anonymous_donation_never_names_its_donor(self):
        donation = self.receive_all(self.pledge_seed(Donation.Publicity.ANONYMOUS))
        self.hand_out(self.suits, "10", purpose="楼栋值守", for_unit=self.college)
        body = disclosure.text(donation)
        self.assertNotIn("梁世婕", body)
        self.assertIn(donation.public_donor, body)
        article = disclosure.publish(donation, acting_user=self.leader)
        self.assertNotIn("梁世婕", article.title + article.body)

    def test_the_figures_go_with_the_time_they_were_read(self):
        donation = self.receive_all(self.pledge_seed())
        first, second = disclosure.text(donation), disclosure.text(donation)
        self.assertEqual(first.rsplit("\n\n", 1)[0], second.rsplit("\n\n", 1)[0])
        self.assertRegex(first.rsplit("\n\n", 1)[1], r"\d{2}:\d{2}")


class PublishTest(DonationsTestCase):
    def test_it_publishes_on_the_notices_and_links_the_article(self):
        notices = Section.objects.create(name="通知公告", slug="notices", position=1)
        donation = self.receive_all(self.pledge_seed())
        article = disclosure.publish(donation, acting_user=self.leader)
        donation.refresh_from_db()
        self.assertEqual(donation.disclosure, article)
        self.assertEqual(article.section, notices)
        self.assertTrue(article.is_public)
        self.assertIn("梁世婕", article.title)
        self.assertEqual(article.body.split("\n\n")[0], disclosure.text(donation).split("\n\n")[0])
        self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 200)

    def test_a_second_publication_keeps_the_one_article(self):
        donation = self.receive_all(self.pledge_seed())
        first = disclosure.publish(donation, acting_user=self.leader)
        second = disclosure.publish(donation, acting_user=self.keeper)
        self.assertEqual(first, second)
        self.assertEqual(Article.objects.count(), 1)
        # The site had no notices section: it has one now.
        self.assertEqual(Section.objects.get().slug, "notices")

    def test_a_pledge_cannot_be_disclosed(self):
        donation = self.pledge_seed()
        with self.assertRaises(ValidationError):
            disclosure.publish(donation, acting_user=self.leader)
        self.assertFalse(Article.objects.exists())


class RefreshTest(DonationsTestCase):
    def setUp(self):
        self.donation = self.receive_all(self.pledge_seed())
        self.article = disclosure.publish(self.donation, acting_user=self.leader)

    def test_issuing_from_the_donation_rewrites_the_published_article(self):
        before = self.article.body
        with self.captureOnCommitCallbacks(execute=True):
            self.hand_out(self.noodles, "48", purpose="隔离学生生活保障", for_team=self.care_team)
        self.article.refresh_from_db()
        self.assertNotEqual(self.article.body, before)
        self.assertIn("隔离关爱组", self.article.body)
        self.assertIn("28箱", self.article.body)  # what remains
        self.assertEqual(self.article.author, self.leader)

    def test_issuing_to_a_person_names_no_one(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.hand_out(self.sanitizer, "5", purpose="宿舍消杀", for_person=self.student_b)
        self.article.refresh_from_db()
        self.assertIn("宿舍消杀", self.article.body)
        self.assertNotIn(self.student_b.name, self.article.body)

    def test_a_write_off_and_a_transfer_reach_the_article_too(self):
        batch = self.donation.lines.get(item=self.suits).batches.get()
        with self.captureOnCommitCallbacks(execute=True):
            actions.write_off(
                self.store, batch, Decimal(3), cause="damaged", acting_user=self.keeper
            )
        self.article.refresh_from_db()
        self.assertIn("3套", self.article.body)
        with self.captureOnCommitCallbacks(execute=True):
            actions.transfer(
                self.store, self.duty_room, self.suits, Decimal(7), acting_user=self.keeper
            )
        self.article.refresh_from_db()
        self.assertIn("学院值班室 7套", self.article.body)

    def test_nothing_changed_rewrites_nothing(self):
        self.assertEqual(disclosure.refresh([self.donation.pk]), 0)
        self.hand_out(self.suits, "10", purpose="楼栋值守", for_unit=self.college)
        self.assertEqual(disclosure.refresh([self.donation.pk]), 1)
        self.assertEqual(disclosure.refresh([self.donation.pk]), 0)

    def test_stock_bought_elsewhere_leaves_the_article_alone(self):
        bought = self.put_in(self.noodles, 10)
        before = self.article.body
        with self.captureOnCommitCallbacks(execute=True):
            actions.write_off(
                self.store, bought, Decimal(2), cause="damaged", acting_user=self.keeper
            )
        self.article.refresh_from_db()
        self.assertEqual(self.article.body, before)


class PublishViewTest(DonationsTestCase):
    def setUp(self):
        self.donation = self.receive_all(self.pledge_seed())
        self.url = reverse("supplies:donation_publish", args=[self.donation.pk])

    def test_a_keeper_publishes_from_the_donation_page(self):
        self.client.force_login(self.keeper)
        page = self.client.get(self.donation.get_absolute_url())
        self.assertContains(page, 'data-testid="publish"')
        self.assertRedirects(self.client.post(self.url), self.donation.get_absolute_url())
        article = Article.objects.get(donation=self.donation)
        page = self.client.get(self.donation.get_absolute_url())
        self.assertContains(page, article.get_absolute_url())

    def test_the_donor_sees_the_page_but_cannot_publish(self):
        self.client.force_login(self.donor_user)
        page = self.client.get(self.donation.get_absolute_url())
        self.assertNotContains(page, 'data-testid="publish"')
        self.assertEqual(self.client.post(self.url).status_code, 403)
        self.donation.refresh_from_db()
        self.assertIsNone(self.donation.disclosure)
