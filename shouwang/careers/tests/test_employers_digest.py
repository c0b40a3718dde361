"""The daily digest of new positions and fairs: to the graduates still seeking
work whose major a position wants, at most one a day, only what is new."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from shouwang.careers import actions, digest
from shouwang.careers.message_kinds import POSITIONS
from shouwang.careers.models import Destination, Graduate, JobFair, Position
from shouwang.careers.tasks import send_position_digests
from shouwang.core.scheduler import JOBS
from shouwang.lib import clock
from shouwang.notify.models import Message
from shouwang.people.models import Person
from shouwang.test import make_person

from .base import COHORT, CareersTestCase

# The evening the digest goes out, and the morning the positions came in.
EVENING = clock.beijing(2030, 4, 15, 18, 0)
MORNING = clock.beijing(2030, 4, 15, 9, 0)
DAY = dt.timedelta(days=1)


class DigestTestCase(CareersTestCase):
    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)
        # The base's position (for 计算机科学与技术) came in this morning.
        Position.objects.filter(pk=self.position.pk).update(created_at=MORNING)

    def add_position(self, title: str, majors=(), at: dt.datetime = MORNING, **fields) -> Position:
        with clock.standing_at(at):
            return actions.save_position(
                Position(employer=self.employer, title=title, **fields),
                majors,
                acting_user=self.office,
            )

    def add_fair(self, title: str, at: dt.datetime = MORNING) -> JobFair:
        with clock.standing_at(at):
            return actions.save_fair(
                JobFair(
                    title=title,
                    unit=self.college,
                    organiser="学院团委",
                    held_on=dt.date(2030, 4, 20),
                    starts_at=dt.time(9, 0),
                    ends_at=dt.time(12, 0),
                    platform="腾讯会议",
                ),
                acting_user=self.office,
            )

    def digests(self, person: Person | None = None):
        messages = Message.objects.filter(kind=POSITIONS).order_by("pk")
        return messages.filter(recipient=person) if person else messages


class WhoTests(DigestTestCase):
    def test_a_position_goes_to_the_seeking_graduates_of_its_majors(self):
        sent = digest.send_digests(EVENING)
        self.assertEqual(sent, 1)
        message = self.digests().get()
        self.assertEqual(message.recipient, self.student_a)  # 计算机科学与技术
        self.assertEqual(message.title, "1 new position for you")
        self.assertIn("太原软件科技有限公司 · Java开发工程师", message.body)
        self.assertIn("6000–9000 yuan a month", message.body)
        self.assertEqual(message.link, "/careers/positions/?mine=1")

    def test_a_position_for_every_major_goes_to_every_seeking_graduate(self):
        self.add_position("管培生")
        digest.send_digests(EVENING)
        self.assertEqual(self.digests(self.student_a).get().title, "2 new positions for you")
        self.assertEqual(self.digests(self.graduate_b_person).get().title, "1 new position for you")

    def test_a_graduate_without_a_programme_of_their_own_has_their_classs(self):
        Person.objects.filter(pk=self.student_a.pk).update(programme="")
        digest.send_digests(EVENING)  # class A: 计算机科学与技术
        self.assertEqual(self.digests(self.student_a).count(), 1)

    def test_graduates_no_longer_seeking_work_get_none(self):
        self.add_position("管培生")
        Graduate.objects.filter(pk=self.graduate_a.pk).update(destination=Destination.CONTRACT)
        Graduate.objects.filter(pk=self.graduate_b.pk).update(
            destination=Destination.PREPARING_STUDY
        )
        self.assertEqual(digest.send_digests(EVENING), 0)
        self.assertFalse(self.digests().exists())

    def test_a_muted_graduate_gets_none(self):
        actions.mute_digest(self.graduate_a, True, acting_user=self.student)
        self.assertEqual(digest.send_digests(EVENING), 0)

    def test_a_new_fair_goes_to_every_seeking_graduate(self):
        self.add_fair("2022届毕业生网络双选会（第一场）")
        digest.send_digests(EVENING)
        self.assertEqual(
            self.digests(self.student_a).get().title, "1 new position and 1 job fair for you"
        )
        message = self.digests(self.graduate_b_person).get()
        self.assertEqual(message.title, "1 job fair for you")
        self.assertIn("2022届毕业生网络双选会（第一场）（04-20 09:00）", message.body)

    def test_closed_positions_and_past_fairs_are_not_sent(self):
        Position.objects.filter(pk=self.position.pk).update(deadline=dt.date(2030, 4, 14))
        fair = self.add_fair("已结束的双选会")
        JobFair.objects.filter(pk=fair.pk).update(held_on=dt.date(2030, 4, 14))
        self.assertEqual(digest.send_digests(EVENING), 0)

    def test_a_long_digest_names_the_first_and_counts_the_rest(self):
        for n in range(12):
            self.add_position(f"岗位{n:02d}", ["信息管理与信息系统"])
        digest.send_digests(EVENING)
        message = self.digests(self.graduate_b_person).get()
        self.assertEqual(message.title, "12 new positions for you")
        self.assertEqual(message.body.count("· 太原软件科技有限公司"), digest.LISTED)
        self.assertIn("and 2 more on the positions page", message.body)


class WhenTests(DigestTestCase):
    def test_at_most_one_a_day_even_if_run_twice(self):
        self.assertEqual(digest.send_digests(EVENING), 1)
        later = self.add_position(
            "测试工程师", ["计算机科学与技术"], at=EVENING + dt.timedelta(minutes=5)
        )
        self.assertEqual(digest.send_digests(EVENING + dt.timedelta(minutes=10)), 0)
        self.assertEqual(self.digests().count(), 1)
        # Not lost: it is in the next day's.
        self.assertEqual(digest.send_digests(EVENING + DAY), 1)
        message = self.digests(self.student_a).last()
        self.assertIn(later.title, message.body)
        self.assertNotIn("Java开发工程师", message.body)

    def test_the_next_day_only_what_is_new(self):
        digest.send_digests(EVENING)
        self.add_position("数据分析师", ["计算机科学与技术"], at=MORNING + DAY)
        digest.send_digests(EVENING + DAY)
        message = self.digests(self.student_a).last()
        self.assertEqual(message.title, "1 new position for you")
        self.assertIn("数据分析师", message.body)
        self.assertNotIn("Java开发工程师", message.body)

    def test_nothing_new_no_digest(self):
        digest.send_digests(EVENING)
        self.assertEqual(digest.send_digests(EVENING + DAY), 0)
        self.assertEqual(self.digests().count(), 1)
        self.assertEqual(Graduate.objects.get(pk=self.graduate_a.pk).digest_sent_at, EVENING)

    def test_a_first_digest_looks_back_a_week(self):
        Position.objects.filter(pk=self.position.pk).update(
            created_at=EVENING - dt.timedelta(days=digest.FIRST_DAYS, minutes=1)
        )
        self.assertEqual(digest.send_digests(EVENING), 0)

    def test_unmuted_it_starts_again_from_then(self):
        actions.mute_digest(self.graduate_a, True, acting_user=self.student)
        digest.send_digests(EVENING)
        with clock.standing_at(EVENING + dt.timedelta(hours=1)):
            actions.mute_digest(self.graduate_a, False, acting_user=self.student)
        self.add_position("数据分析师", ["计算机科学与技术"], at=MORNING + DAY)
        digest.send_digests(EVENING + DAY)
        message = self.digests(self.student_a).get()
        self.assertIn("数据分析师", message.body)
        self.assertNotIn("Java开发工程师", message.body)

    def test_it_runs_every_evening_from_the_scheduler(self):
        job = JOBS[send_position_digests.module_path]
        self.assertEqual(job.cron, "0 18 * * *")
        with clock.standing_at(EVENING):
            send_position_digests.call()
        self.assertEqual(self.digests().count(), 1)


class SetBasedTests(DigestTestCase):
    def test_the_queries_do_not_grow_with_the_graduates(self):
        self.add_position("管培生")
        self.add_fair("网络双选会")
        with CaptureQueriesContext(connection) as two:
            self.assertEqual(digest.send_digests(EVENING), 2)
        people = [
            make_person(
                f"2021{n:03d}x",
                f"毕业生{n}",
                unit=self.college,
                programme="计算机科学与技术" if n % 2 else "软件工程",
                graduating=True,
            )
            for n in range(60)
        ]
        actions.enrol_cohort(COHORT, people, acting_user=self.office)
        with CaptureQueriesContext(connection) as sixty:
            self.assertEqual(digest.send_digests(EVENING + DAY - dt.timedelta(hours=1)), 60)
        self.assertEqual(len(sixty), len(two))
