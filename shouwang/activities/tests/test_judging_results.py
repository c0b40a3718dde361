"""The ranking: each entry's mean of its complete sheets, ties shown as ties;
the awards given down it, a tie at a prize's last place getting that prize."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shouwang.activities import judging
from shouwang.activities.models import Award, JudgeAssignment, Prize
from shouwang.test import make_person

from .base_judging import JudgingTestCase


class RankingTestCase(JudgingTestCase):
    def score_with_a_tie(self) -> JudgeAssignment:
        """百年团史 88; 青春向党 82 and 星火燎原 82 (one sheet of two done), tied
        second; 薪火相传 72. Returns 星火燎原's unfinished sheet."""
        self.sheet(self.supervisor_person, self.entry_a, 90)
        self.sheet(self.teacher_person, self.entry_a, 86)
        self.sheet(self.supervisor_person, self.entry_team, 80)
        self.sheet(self.teacher_person, self.entry_team, 84)
        self.sheet(self.supervisor_person, self.entry_e, 82)
        half = self.sheet(self.teacher_person, self.entry_e, [30, None, None, None])
        self.sheet(self.supervisor_person, self.entry_f, 70)
        self.sheet(self.teacher_person, self.entry_f, 74)
        return half


class RankingTests(RankingTestCase):
    def test_the_mean_counts_complete_sheets_only_and_ties_share_a_place(self):
        self.score_with_a_tie()
        rows = judging.results(self.contest).rows
        self.assertEqual(
            [(r.entry.title, r.score, r.place, r.tied, r.done, r.assigned) for r in rows],
            [
                ("百年团史", Decimal("88.00"), 1, False, 2, 2),
                ("青春向党", Decimal("82.00"), 2, True, 2, 2),
                ("星火燎原", Decimal("82.00"), 2, True, 1, 2),
                ("薪火相传", Decimal("72.00"), 4, False, 2, 2),
            ],
        )

    def test_the_results_page_marks_the_tie_for_the_runners(self):
        self.score_with_a_tie()
        self.login(self.organiser)
        response = self.client.get(reverse("activities:results", args=[self.contest.pk]))
        self.assertContains(response, 'data-testid="tied"', count=2)
        self.assertContains(response, 'data-place="4"')
        self.assertContains(response, "1 / 2")
        # Names and classes: the team's members, each with their class.
        self.assertContains(response, "王五")
        self.assertContains(response, "信管2101")

    def test_the_results_take_the_same_queries_whatever_the_size(self):
        self.score_with_a_tie()

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                judging.results(self.contest)
            return len(queries)

        before = count()
        judge = make_person("T3001", "吴评审", unit=self.college, kind="teacher")
        self.contest.judges.add(judge)
        self.sheet(judge, self.entry_f, 60)
        self.assertEqual(count(), before)

    def test_nobody_else_sees_the_results_before_they_are_published(self):
        self.score_with_a_tie()
        for user in (self.student, self.supervisor, self.teacher):
            self.login(user)
            response = self.client.get(reverse("activities:results", args=[self.contest.pk]))
            self.assertEqual(response.status_code, 403)


class AwardTests(RankingTestCase):
    counts = {Prize.FIRST: 1, Prize.SECOND: 1, Prize.THIRD: 1, Prize.MERIT: None}

    def awarded(self):
        return list(
            Award.objects.filter(activity=self.contest)
            .order_by("rank", "entry__submitted_at")
            .values_list("entry__title", "prize", "rank", "score")
        )

    def test_no_awards_while_a_sheet_is_unfinished(self):
        self.score_with_a_tie()
        with self.assertRaisesMessage(ValidationError, "1"):
            judging.give_awards(self.contest, self.counts, acting_user=self.organiser)
        self.assertFalse(Award.objects.exists())

    def test_a_tie_at_a_prizes_last_place_gets_that_prize(self):
        judging.unassign(self.score_with_a_tie(), acting_user=self.organiser)
        given = judging.give_awards(self.contest, self.counts, acting_user=self.organiser)
        self.assertEqual(
            self.awarded(),
            [
                ("百年团史", "first", 1, Decimal("88.00")),
                ("青春向党", "second", 2, Decimal("82.00")),
                ("星火燎原", "second", 2, Decimal("82.00")),
                ("薪火相传", "merit", 4, Decimal("72.00")),
            ],
        )
        self.assertEqual(
            sorted(award.entry.title for award in given.tied_up), ["星火燎原", "青春向党"]
        )

    def test_the_places_a_tie_takes_leave_none_for_the_next_prize(self):
        judging.unassign(self.score_with_a_tie(), acting_user=self.organiser)
        counts = {Prize.FIRST: 1, Prize.SECOND: 2, Prize.THIRD: 0, Prize.MERIT: 0}
        judging.give_awards(self.contest, counts, acting_user=self.organiser)
        self.assertEqual(
            [(title, prize) for title, prize, _rank, _score in self.awarded()],
            [("百年团史", "first"), ("青春向党", "second"), ("星火燎原", "second")],
        )

    def test_the_awards_page_gives_them_and_says_who_tied(self):
        judging.unassign(self.score_with_a_tie(), acting_user=self.organiser)
        self.login(self.organiser)
        url = reverse("activities:awards", args=[self.contest.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.post(
            url, {"first": 1, "second": 1, "third": 1, "merit": ""}, follow=True
        )
        self.assertContains(response, "青春向党、星火燎原")
        self.assertEqual(Award.objects.count(), 4)
        # Given again, they replace the first ones.
        self.client.post(url, {"first": 1, "second": 0, "third": 0, "merit": 0})
        self.assertEqual(self.awarded(), [("百年团史", "first", 1, Decimal("88.00"))])

    def test_a_changed_score_calls_for_the_awards_again(self):
        judging.unassign(self.score_with_a_tie(), acting_user=self.organiser)
        judging.give_awards(self.contest, self.counts, acting_user=self.organiser)
        self.assertFalse(judging.stale_awards(self.contest))
        self.sheet(self.teacher_person, self.entry_f, 100)
        self.assertTrue(judging.stale_awards(self.contest))
        with self.assertRaises(ValidationError):
            judging.publish_results(self.contest, acting_user=self.organiser)
