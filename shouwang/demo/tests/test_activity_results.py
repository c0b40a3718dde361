"""The demo's judging step on a small college of its own: three contests
whose entries closed on 4月8日, 4月12日 and 4月15日 (judged, published and
final; published and open to objection; still being judged), one without
judges and one run outside, which the step leaves alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.test import TestCase

from shouwang.accounts.models import User
from shouwang.activities import actions, judging
from shouwang.activities.models import (
    Activity,
    Award,
    JudgeAssignment,
    JudgeScore,
    Objection,
)
from shouwang.activities.tests.base_judging import entry_image
from shouwang.bulletin.models import Section
from shouwang.demo import build
from shouwang.demo.activity_results import judge_activities
from shouwang.demo.context import Demo
from shouwang.demo.lockdown import NOW
from shouwang.lib import clock
from shouwang.lib.clock import beijing
from shouwang.people.models import Person
from shouwang.test import Personas, make_person, make_user

STUDENTS = (
    ("2020011", "韩梅", "a"),
    ("2020012", "刘洋", "a"),
    ("2021011", "陈晨", "b"),
    ("2021012", "杨帆", "b"),
)


def about(moment: dt.datetime | None) -> dt.datetime | None:
    """A moment to the minute: an action under `clock.standing_at` runs on from it."""
    return moment.replace(second=0, microsecond=0) if moment else None


class ResultStepTestCase(Personas, TestCase):
    organiser_person: Person
    organiser: User
    others: list[Person]
    final: Activity
    open_to_objection: Activity
    judging_now: Activity
    unjudged: Activity
    external: Activity

    @classmethod
    def setUpTestData(cls):
        cls.create_personas()
        cls.organiser_person = make_person("T1030", "高团委", Person.Kind.TEACHER, unit=cls.college)
        cls.organiser = make_user(cls.organiser_person)
        cls.others = [
            make_person(
                number,
                name,
                unit=cls.college,
                admin_class=cls.class_a if side == "a" else cls.class_b,
            )
            for number, name, side in STUDENTS
        ]
        for person in cls.others:
            make_user(person)
        cls.final = cls.contest("“团史百年，青春妙绘”手抄报大赛", 8)
        cls.open_to_objection = cls.contest("“我为团团献祝福”视频征集", 12)
        cls.judging_now = cls.contest("“百年青春，绘制理想”海报设计大赛", 15)
        cls.unjudged = cls.contest("线上宿舍文化节", 10, judges=False)
        cls.external = cls.contest("蓝桥杯", 10, external=True)

    @classmethod
    def contest(cls, title, closes_on, judges=True, external=False) -> Activity:
        closes = beijing(2022, 4, closes_on, 20, 0)
        with clock.standing_at(beijing(2022, 4, 1, 9, 0)):
            activity = actions.save_activity(
                Activity(
                    title=title,
                    kind=Activity.Kind.CONTEST,
                    unit=cls.college,
                    organiser="学院团委",
                    starts_on=dt.date(2022, 4, 1),
                    ends_on=dt.date(2022, 4, 30),
                    entries_close_at=closes,
                    entry_kinds=[Activity.EntryKind.IMAGE],
                    team_size_max=3,
                    external=external,
                ),
                organisers=[cls.organiser_person],
                acting_user=cls.leader,
            )
        with clock.standing_at(beijing(2022, 4, 2, 10, 0)):
            actions.create_team(
                activity,
                cls.student_b,
                "信管小队",
                [cls.volunteer_person],
                acting_user=cls.student_b_user,
            )
            actions.submit_entry(
                activity, cls.student_b, "青春向党", [entry_image()], acting_user=cls.student_b_user
            )
            for number, person in enumerate([cls.student_a, *cls.others], start=1):
                actions.sign_up(activity, person, acting_user=cls.leader)
                actions.submit_entry(
                    activity, person, f"作品{number}", [entry_image()], acting_user=cls.leader
                )
        if judges:
            activity.judges.set([cls.supervisor_person, cls.teacher_person, cls.counsellor_a])
        return activity

    def setUp(self):
        judge_activities(Demo())
        for activity in (self.final, self.open_to_objection, self.judging_now):
            activity.refresh_from_db()

    def test_every_entry_goes_to_every_judge_but_those_of_the_judges_own_classes(self):
        assignments = JudgeAssignment.objects.filter(activity=self.final)
        # 3 judges × 6 entries; 赵璞 counsels 计科2001: 张三, 韩梅, 刘洋.
        self.assertEqual(assignments.count(), 15)
        self.assertFalse(
            assignments.filter(
                judge=self.counsellor_a, entry__person__admin_class=self.class_a
            ).exists()
        )
        self.assertEqual(
            list(self.final.criteria.values_list("name", "weight")),
            [("主题契合", 30), ("创意", 30), ("艺术表现", 25), ("完成度", 15)],
        )

    def test_the_judges_scored_on_the_day_after_entries_closed(self):
        closed = self.final.entries_close_at
        assert closed is not None
        sheets = JudgeAssignment.objects.filter(activity=self.final)
        self.assertFalse(sheets.filter(scored_at__isnull=True).exists())
        self.assertFalse(sheets.filter(scored_at__lt=closed).exists())
        self.assertFalse(sheets.filter(scored_at__gt=closed + dt.timedelta(days=1)).exists())
        points = JudgeScore.objects.filter(assignment__activity=self.final)
        self.assertTrue(all(score.points * 2 == int(score.points * 2) for score in points))
        scores = [row.score for row in judging.results(self.final).rows]
        self.assertTrue(all(score and Decimal(55) < score < Decimal(100) for score in scores))

    def test_awards_follow_the_ranking_with_a_tie(self):
        rows = judging.results(self.final).rows
        self.assertTrue(any(row.tied for row in rows))
        awards = list(Award.objects.filter(activity=self.final).order_by("rank"))
        self.assertEqual(awards[0].prize, "first")
        self.assertEqual([award.rank for award in awards], sorted(award.rank for award in awards))
        places = {row.entry.pk: row.place for row in rows}
        self.assertTrue(all(places[award.entry_id] == award.rank for award in awards))

    def test_the_results_were_published_two_days_after_and_made_final_after_the_period(self):
        final = self.final
        self.assertEqual(about(final.results_published_at), beijing(2022, 4, 10, 10, 0))
        self.assertEqual(final.objection_days, 3)
        self.assertEqual(about(final.results_final_at), beijing(2022, 4, 14, 9, 0))
        article = final.results_article
        assert article is not None
        self.assertEqual(article.section, Section.objects.get(name="评选公示"))
        self.assertEqual(article.published_at, final.results_published_at)
        self.assertIn("韩梅", article.body)
        self.assertIn("信管小队", article.body)

    def test_one_objection_was_raised_and_answered_in_the_period(self):
        objection = Objection.objects.get()
        self.assertEqual(objection.activity, self.final)
        self.assertIsNotNone(objection.answered_at)
        assert objection.answered_at is not None and self.final.objection_ends_at is not None
        self.assertLess(objection.answered_at, self.final.objection_ends_at)
        winners = {
            person
            for award in judging.awards_of(self.final)
            for person in judging.authors_of(award.entry)
        }
        self.assertNotIn(objection.person, winners)

    def test_what_comes_after_the_demos_now_is_left_undone(self):
        later = self.open_to_objection
        self.assertEqual(about(later.results_published_at), beijing(2022, 4, 14, 10, 0))
        self.assertIsNone(later.results_final_at)
        now = self.judging_now
        self.assertIsNone(now.results_published_at)
        self.assertFalse(Award.objects.filter(activity=now).exists())
        scored = JudgeAssignment.objects.filter(activity=now, scored_at__isnull=False)
        self.assertTrue(scored.exists())
        self.assertFalse(scored.filter(scored_at__gte=NOW).exists())
        self.assertTrue(JudgeAssignment.objects.filter(activity=now, scored_at=None).exists())

    def test_activities_without_judges_or_run_outside_are_left_alone(self):
        for activity in (self.unjudged, self.external):
            self.assertFalse(JudgeAssignment.objects.filter(activity=activity).exists())
            self.assertFalse(activity.criteria.exists())

    def test_the_same_seed_judges_the_same_way(self):
        def scores():
            return list(
                JudgeScore.objects.order_by(
                    "assignment__entry_id", "assignment__judge_id", "pk"
                ).values_list("points", flat=True)
            )

        first = scores()
        with transaction.atomic():
            JudgeAssignment.objects.all().delete()
            Award.objects.all().delete()
            Objection.objects.all().delete()
            Activity.objects.update(
                results_published_at=None, results_final_at=None, results_article=None
            )
            judge_activities(Demo())
            self.assertEqual(scores(), first)
            transaction.set_rollback(True)


class DemoBuildTestCase(TestCase):
    def test_the_demos_finished_contests_are_judged_and_the_open_ones_not(self):
        build.build()
        section = Section.objects.get(name="评选公示")
        for activity in Activity.objects.filter(external=False).exclude(entry_kinds=[]):
            closed = activity.entries_close_at
            published = closed is not None and closed + dt.timedelta(days=3) < NOW
            with self.subTest(activity.title):
                if closed is None or closed >= NOW:
                    self.assertFalse(activity.awards.exists())
                    self.assertIsNone(activity.results_published_at)
                elif published and activity.entries.exists():
                    self.assertTrue(activity.awards.exists())
                    self.assertIsNotNone(activity.results_published_at)
                    article = activity.results_article
                    assert article is not None
                    self.assertEqual(article.section, section)
                    self.assertEqual(article.published_at, activity.results_published_at)
                    self.assertIn(activity.title, article.title)
