"""The demo's job fairs: the seed's two fairs and their 360余人次, computed;
the notice, the article and the work plan agree on their days."""

import datetime as dt
import re

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.test import TestCase

from shouwang.bulletin.models import Article
from shouwang.careers import report
from shouwang.careers.models import (
    DestinationReport,
    FairAttendanceImport,
    Graduate,
    JobFair,
    Offer,
    Participation,
    Registration,
)
from shouwang.careers.queries import fair_figures, totals
from shouwang.demo import build
from shouwang.demo.fairs import FIRST_DAY, SECOND_DAY
from shouwang.demo.lockdown import NOW
from shouwang.lib.clock import beijing
from shouwang.notices.models import Notice
from shouwang.workplan.models import Expenditure, Milestone

SEED = "学院团委牵头，已举办网络双选会两场，共计360余人次参与"
DAYS = {"4月12日", "4月14日", "14日"}


class DemoFairsTestCase(TestCase):
    fairs: QuerySet[JobFair]

    @classmethod
    def setUpTestData(cls):
        build.build()
        cls.fairs = JobFair.objects.order_by("held_on")

    def test_the_seeds_two_fairs_were_held_by_the_league_committee_on_12_and_14_april(self):
        self.assertEqual(
            [(fair.held_on, fair.organiser) for fair in self.fairs],
            [(FIRST_DAY, "学院团委"), (SECOND_DAY, "学院团委")],
        )
        self.assertEqual((FIRST_DAY, SECOND_DAY), (dt.date(2022, 4, 12), dt.date(2022, 4, 14)))
        for row in fair_figures(self.fairs):
            self.assertTrue(12 <= row.rooms <= 16, row.rooms)

    def test_the_participations_computed_come_to_the_seeds_360_odd(self):
        participations, participants = totals(self.fairs)
        self.assertTrue(360 <= participations <= 369, participations)
        self.assertEqual(report.participations_said(participations), "360余人次")
        # Graduates visit several rooms: fewer people than participations.
        self.assertLess(participants, participations)
        self.assertIn("共计360余人次参与", SEED)

    def test_the_participations_came_from_the_platforms_files_and_the_rooms_codes(self):
        sources = dict(
            Participation.objects.values_list("source").annotate(n=Count("pk")).order_by()
        )
        self.assertGreater(
            sources[Participation.Source.ATTENDANCE], sources[Participation.Source.ROOM_CODE]
        )
        self.assertGreater(sources[Participation.Source.ROOM_CODE], 0)
        imports = FairAttendanceImport.objects.all()
        self.assertEqual(imports.count(), sum(row.rooms for row in fair_figures(self.fairs)))
        self.assertFalse(imports.exclude(status=FairAttendanceImport.Status.COMMITTED).exists())
        # Some rooms' files name graduates already counted by the code: still once.
        seen_both = sum(
            Participation.objects.filter(
                room=item.room,
                person_id__in=[int(pk) for pk in item.summary["matched"]],
                source=Participation.Source.ROOM_CODE,
            ).count()
            for item in imports
        )
        self.assertGreater(seen_both, 0)
        self.assertTrue(any(item.summary["unmatched"] for item in imports))

    def test_only_registered_graduates_took_part_each_once_per_room(self):
        registered = Registration.objects.filter(fair=OuterRef("fair"), person=OuterRef("person"))
        participations = Participation.objects.filter(person__graduate__isnull=False)
        self.assertEqual(participations.count(), Participation.objects.count())
        self.assertFalse(participations.exclude(Exists(registered)).exists())
        self.assertFalse(
            Participation.objects.values("room", "person").annotate(n=Count("pk")).filter(n__gt=1)
        )
        for registration in Registration.objects.select_related("fair"):
            self.assertLess(registration.registered_at, registration.fair.ends)

    def test_the_notice_was_written_from_the_fairs_and_sent_before_the_first(self):
        notice = Notice.objects.get(title="关于举办2022届毕业生网络双选会的通知")
        assert notice.published_at is not None
        self.assertEqual(notice.published_at, beijing(2022, 4, 9, 10, 0))
        self.assertLess(notice.published_at, self.fairs[0].starts)
        self.assertIn("4月12日和14日举办两场网络双选会", notice.body)
        self.assertIn("4月12日（星期二）9:00—12:00", notice.body)
        # Sent to the classes of the 2022 cohort: every graduate of it.
        graduates = set(Graduate.objects.filter(cohort=2022).values_list("person_id", flat=True))
        self.assertEqual(set(notice.receipts.values_list("person_id", flat=True)), graduates)
        self.assertFalse(Notice.objects.filter(title="关于组织毕业生参加网络双选会的通知").exists())

    def test_the_article_was_written_from_the_counts_after_the_second_fair(self):
        article = Article.objects.get(section__slug="news", title__contains="网络双选会")
        assert article.published_at is not None
        self.assertEqual(article.published_at, beijing(2022, 4, 14, 18, 30))
        self.assertGreater(article.published_at, self.fairs[1].ends)
        self.assertTrue(
            article.body.startswith(
                "4月12日和14日，学院团委牵头举办两场网络双选会，共计360余人次参与。"
            )
        )

    def test_every_paragraph_about_the_fairs_gives_their_days(self):
        texts = [
            *Notice.objects.filter(body__contains="双选会").values_list("body", flat=True),
            *Article.objects.filter(body__contains="双选会").values_list("body", flat=True),
        ]
        # The notice, its copy on the bulletin, the article, and the seed's own.
        self.assertGreaterEqual(len(texts), 4)
        paragraphs = [part for text in texts for part in text.split("\n") if "双选会" in part]
        for paragraph in paragraphs:
            # "数据截至4月14日18:30" is when the counts were read, not a fair's day.
            said = re.sub(r"截至\d+月\d+日", "", paragraph)
            for day in re.findall(r"(?:\d+月)?\d+日", said):
                self.assertIn(day, DAYS, paragraph)

    def test_the_work_plans_milestones_and_the_platforms_fee_fall_on_the_fairs_days(self):
        milestones = dict(
            Milestone.objects.filter(
                title__contains="网络双选会", done_on__isnull=False
            ).values_list("title", "done_on")
        )
        self.assertEqual(
            milestones, {"第一场网络双选会": FIRST_DAY, "第二场网络双选会": SECOND_DAY}
        )
        fee = Expenditure.objects.get(purpose="网络双选会平台服务费")
        self.assertEqual(fee.spent_on, FIRST_DAY)

    def test_offers_followed_and_the_accepted_wait_for_the_counsellor(self):
        offers = Offer.objects.all()
        self.assertGreaterEqual(offers.count(), 5)
        self.assertFalse(offers.filter(fair__isnull=True).exists())
        accepted = offers.filter(status=Offer.Status.ACCEPTED)
        self.assertGreater(accepted.count(), 0)
        for offer in accepted:
            filed = DestinationReport.objects.get(offer=offer)
            self.assertEqual(filed.status, DestinationReport.Status.PENDING)
            self.assertTrue(filed.evidence.exists())
            self.assertLessEqual(filed.reported_at, NOW)
        for offer in offers:
            assert offer.fair is not None
            self.assertGreater(offer.offered_on, offer.fair.held_on)
            self.assertTrue(
                Participation.objects.filter(
                    fair=offer.fair, room__employer=offer.employer, person=offer.graduate.person
                ).exists()
            )
