"""A judge's entries and score sheets: weighted out of 100, saved half done,
changed until the results are published; nothing of the other judges' scores."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from shouwang.activities import judging
from shouwang.activities.models import Activity, JudgeScore
from shouwang.core import scoring
from shouwang.lib import clock

from .base_judging import JudgingTestCase


class SheetTests(JudgingTestCase):
    def fields(self, values):
        return {
            f"criterion_{c.pk}": "" if v is None else v
            for c, v in zip(self.criteria, values, strict=True)
        }

    def test_a_sheet_is_out_of_100_each_criterion_by_its_weight(self):
        criteria = self.criteria
        # Full marks are the weights: 27/30 + 24/30 + 20/25 + 12/15 = 83.
        points = {c.pk: Decimal(v) for c, v in zip(criteria, [27, 24, 20, 12], strict=True)}
        self.assertEqual(scoring.sheet_score(points, criteria), Decimal("83.00"))
        self.contest.criteria.all().delete()
        criteria = judging.set_criteria(
            self.contest,
            [
                judging.JudgingCriterion(name="创意", weight=60, max_points=10),
                judging.JudgingCriterion(name="主题", weight=40, max_points=100),
            ],
            acting_user=self.organiser,
        )
        # 7.5/10 × 60 + 90/100 × 40 = 45 + 36
        assignment = judging.assign(
            self.contest, self.teacher_person, self.entry_a, acting_user=self.organiser
        )
        score = judging.save_sheet(
            assignment,
            {criteria[0].pk: Decimal("7.5"), criteria[1].pk: Decimal(90)},
            acting_user=self.teacher,
        )
        self.assertEqual(score, Decimal("81.00"))

    def test_a_judge_saves_half_a_sheet_and_finishes_it_later(self):
        assignment = judging.assign(
            self.contest, self.supervisor_person, self.entry_team, acting_user=self.organiser
        )
        self.login(self.supervisor)
        url = reverse("activities:judge_sheet", args=[assignment.pk])
        response = self.client.get(url)
        self.assertContains(response, 'data-testid="sheet-form"')
        self.assertContains(response, "信管小队合作完成。")
        self.assertContains(response, "说明.pdf")
        # Judges do not see who made it.
        self.assertNotContains(response, "王五")
        self.client.post(url, {**self.fields([27, 24, None, None]), "comment": "主题鲜明"})
        assignment.refresh_from_db()
        self.assertIsNone(assignment.scored_at)
        self.assertEqual(assignment.scores.count(), 2)
        response = self.client.post(
            url, {**self.fields([27, 24, 20, 12]), "comment": "主题鲜明"}, follow=True
        )
        self.assertContains(response, 'data-testid="sheet-score">83.00<')
        assignment.refresh_from_db()
        self.assertIsNotNone(assignment.scored_at)
        self.assertEqual(assignment.comment, "主题鲜明")
        # Blanking a criterion again unfinishes the sheet.
        self.client.post(url, {**self.fields([27, 24, 20, None]), "comment": ""})
        assignment.refresh_from_db()
        self.assertIsNone(assignment.scored_at)
        self.assertEqual(assignment.scores.count(), 3)

    def test_points_beyond_full_marks_are_refused(self):
        assignment = judging.assign(
            self.contest, self.supervisor_person, self.entry_a, acting_user=self.organiser
        )
        with self.assertRaisesMessage(ValidationError, "主题契合"):
            judging.save_sheet(
                assignment, {self.criteria[0].pk: Decimal(31)}, acting_user=self.supervisor
            )
        self.login(self.supervisor)
        url = reverse("activities:judge_sheet", args=[assignment.pk])
        response = self.client.post(url, self.fields([31, 24, 20, 12]))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(JudgeScore.objects.exists())

    def test_no_sheet_is_scored_while_entries_are_open(self):
        assignment = judging.assign(
            self.contest, self.supervisor_person, self.entry_a, acting_user=self.organiser
        )
        Activity.objects.filter(pk=self.contest.pk).update(
            entries_close_at=clock.now() + dt.timedelta(days=1)
        )
        assignment.activity.refresh_from_db()
        with self.assertRaises(ValidationError):
            judging.save_sheet(
                assignment, {self.criteria[0].pk: Decimal(20)}, acting_user=self.supervisor
            )
        self.login(self.supervisor)
        url = reverse("activities:judge_sheet", args=[assignment.pk])
        self.assertContains(self.client.get(url), 'data-testid="closed"')
        self.assertEqual(self.client.post(url, self.fields([1, 1, 1, 1])).status_code, 403)

    def test_scores_are_fixed_once_the_results_are_published(self):
        assignment = self.sheet(self.supervisor_person, self.entry_a, 80)
        with freeze_time(clock.now() + dt.timedelta(hours=1)):
            Activity.objects.filter(pk=self.contest.pk).update(results_published_at=clock.now())
            self.login(self.supervisor)
            url = reverse("activities:judge_sheet", args=[assignment.pk])
            response = self.client.get(url)
            self.assertNotContains(response, 'data-testid="sheet-form"')
            self.assertContains(response, 'data-testid="sheet-score">80.00<')
            self.assertEqual(self.client.post(url, self.fields([1, 1, 1, 1])).status_code, 403)

    def test_a_judge_sees_nothing_of_another_judges_sheet(self):
        theirs = self.sheet(self.teacher_person, self.entry_a, 90)
        judging.save_sheet(
            theirs,
            {c.pk: Decimal(c.weight) for c in self.criteria},
            comment="另一位评委的意见",
            acting_user=self.teacher,
        )
        mine = judging.assign(
            self.contest, self.supervisor_person, self.entry_a, acting_user=self.organiser
        )
        self.login(self.supervisor)
        self.assertEqual(
            self.client.get(reverse("activities:judge_sheet", args=[theirs.pk])).status_code, 404
        )
        response = self.client.get(reverse("activities:judge_sheet", args=[mine.pk]))
        self.assertNotContains(response, "另一位评委的意见")
        self.assertNotContains(response, "100.00")
        # The results are the runners': the judge may not read them.
        response = self.client.get(reverse("activities:results", args=[self.contest.pk]))
        self.assertEqual(response.status_code, 403)

    def test_the_runners_read_every_sheet_but_may_not_score_it(self):
        assignment = self.sheet(self.supervisor_person, self.entry_team, 80)
        self.login(self.organiser)
        url = reverse("activities:judge_sheet", args=[assignment.pk])
        response = self.client.get(url)
        self.assertContains(response, 'data-testid="sheet-score">80.00<')
        self.assertContains(response, "王五")
        self.assertEqual(self.client.post(url, self.fields([1, 1, 1, 1])).status_code, 403)

    def test_the_judge_opens_the_entrys_files_through_their_sheet(self):
        assignment = judging.assign(
            self.contest, self.supervisor_person, self.entry_team, acting_user=self.organiser
        )
        image, pdf = self.entry_team.files.order_by("pk")
        self.login(self.supervisor)
        url = reverse("activities:sheet_file", args=[assignment.pk, image.pk])
        response = self.client.get(url)
        self.assertTrue(response["Content-Type"].startswith("image/"))
        self.assertNotIn("attachment", response.get("Content-Disposition", ""))
        response = self.client.get(reverse("activities:sheet_file", args=[assignment.pk, pdf.pk]))
        self.assertIn("attachment", response["Content-Disposition"])
        # Another entry's file is not this sheet's.
        other = self.entry_a.files.get()
        response = self.client.get(reverse("activities:sheet_file", args=[assignment.pk, other.pk]))
        self.assertEqual(response.status_code, 404)
        self.login(self.teacher)
        self.assertEqual(self.client.get(url).status_code, 404)


class MyJudgingTests(JudgingTestCase):
    def test_a_judge_lists_what_to_score_and_what_is_scored(self):
        self.sheet(self.supervisor_person, self.entry_a, 80)
        judging.assign(self.contest, self.supervisor_person, self.entry_e, acting_user=self.leader)
        judging.assign(self.contest, self.teacher_person, self.entry_f, acting_user=self.leader)
        self.login(self.supervisor)
        response = self.client.get(reverse("activities:my_judging"))
        self.assertEqual([a.entry.title for a in response.context["to_score"]], ["星火燎原"])
        self.assertEqual([a.entry.title for a in response.context["scored"]], ["百年团史"])
        self.assertNotContains(response, "薪火相传")

    def test_the_list_takes_the_same_queries_whatever_its_length(self):
        judging.assign(self.contest, self.supervisor_person, self.entry_a, acting_user=self.leader)
        self.login(self.supervisor)
        url = reverse("activities:my_judging")

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.client.get(url)
            return len(queries)

        before = count()
        judging.assign_all(self.contest, acting_user=self.leader)
        self.sheet(self.supervisor_person, self.entry_team, 80)
        self.assertEqual(count(), before)

    def test_the_page_says_when_nothing_is_assigned(self):
        self.login(self.counsellor_b_user)
        response = self.client.get(reverse("activities:my_judging"))
        self.assertContains(response, 'data-testid="none"')
