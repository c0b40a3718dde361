import datetime as dt
import io
from decimal import Decimal

import docx
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext
from freezegun import freeze_time
from openpyxl import load_workbook

from shouwang.accounts.models import User
from shouwang.core import scoring
from shouwang.core.models import LogEntry
from shouwang.notify.models import Message
from shouwang.people.models import Person, Unit
from shouwang.test import make_person, make_user
from shouwang.volunteers.models import Membership, Team
from shouwang.workplan import reviews
from shouwang.workplan.audit import WorkplanEvent
from shouwang.workplan.models import Assignment, Measure, Review, ReviewCriterion, ReviewScore

from .base import PlanTestCase, make_measure

# Sheets are saved while the review is open: before its scores fall due.
SCORING_DAY = "2022-12-10 10:00"


def docx_tables(data: bytes) -> list[list[list[str]]]:
    """Each table of a .docx as rows of cell texts."""
    document = docx.Document(io.BytesIO(data))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def tied(place: int) -> str:
    return f"{place}（{gettext('tied')}）"


class ReviewTestCase(PlanTestCase):
    """Three measures: the college's own (the teacher's, counsellor_a
    co-owning), the teaching office's (counsellor_b's) and the student
    office's (the teacher's); a panel of the supervisor (of the college),
    an examiner of the teaching office and counsellor_a."""

    office: Unit
    student_office: Unit
    m1: Measure
    m2: Measure
    m3: Measure
    examiner_person: Person
    examiner: User
    review: Review
    criteria: list[ReviewCriterion]

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.office = Unit.objects.create(name="教务办", kind=Unit.Kind.OFFICE, parent=cls.college)
        cls.student_office = Unit.objects.create(
            name="学工办", kind=Unit.Kind.OFFICE, parent=cls.college
        )
        cls.m1 = cls.measure
        cls.m2 = cls.office_measure("科研项目申报", cls.office, owner=cls.counsellor_b)
        cls.m3 = cls.office_measure("就业率提升", cls.student_office)
        cls.examiner_person = make_person("T3001", "吴评审", Person.Kind.TEACHER, unit=cls.office)
        cls.examiner = make_user(cls.examiner_person)
        cls.review = reviews.save_review(
            Review(plan=cls.plan, title="2022年度重点工作评比", closes_on=dt.date(2022, 12, 20)),
            acting_user=cls.leader,
        )
        cls.criteria = reviews.set_criteria(
            cls.review, reviews.default_criteria(), acting_user=cls.leader
        )
        reviews.set_panel(
            cls.review,
            [cls.supervisor_person, cls.examiner_person, cls.counsellor_a],
            acting_user=cls.leader,
        )

    @classmethod
    def office_measure(cls, title, unit, owner=None) -> Measure:
        measure = make_measure(cls, cls.key_point, title, owner=owner)  # type: ignore[arg-type]
        Measure.objects.filter(pk=measure.pk).update(owner_unit=unit)
        measure.refresh_from_db()
        return measure

    def sheet(self, reviewer, measure, points) -> Assignment:
        """The reviewer scores the measure: one number for every criterion, or a list."""
        assignment, _created = Assignment.objects.get_or_create(
            review=self.review, reviewer=reviewer, measure=measure
        )
        values = points if isinstance(points, list) else [points] * len(self.criteria)
        with freeze_time(SCORING_DAY):
            reviews.save_sheet(
                assignment,
                {c.pk: Decimal(v) for c, v in zip(self.criteria, values, strict=True)},
                acting_user=self.leader,
            )
        return assignment

    def score_with_a_tie(self) -> None:
        """m1 90 (one sheet); m2 80 and m3 80, tied second; one of m3's sheets undone."""
        self.sheet(self.examiner_person, self.m1, 90)
        self.sheet(self.supervisor_person, self.m2, 80)
        self.sheet(self.counsellor_a, self.m2, 80)
        self.sheet(self.supervisor_person, self.m3, 70)
        self.sheet(self.examiner_person, self.m3, 90)
        reviews.assign(self.review, self.counsellor_a, self.m3, acting_user=self.leader)


class ConflictTests(ReviewTestCase):
    def assert_refused(self, person, measure):
        with self.assertRaises(ValidationError) as caught:
            reviews.assign(self.review, person, measure, acting_user=self.leader)
        self.assertIn(person.name, caught.exception.messages[0])
        self.assertFalse(Assignment.objects.filter(reviewer=person, measure=measure).exists())

    def test_a_reviewer_may_not_score_a_measure_they_own(self):
        reviews.set_panel(
            self.review, [*self.review.panel.all(), self.teacher_person], acting_user=self.leader
        )
        self.assert_refused(self.teacher_person, self.m3)

    def test_a_reviewer_may_not_score_a_measure_they_co_own(self):
        self.m3.co_owners.add(self.examiner_person)
        self.assert_refused(self.examiner_person, self.m3)

    def test_a_reviewer_may_not_score_a_measure_their_unit_carries(self):
        self.assert_refused(self.examiner_person, self.m2)
        self.assert_refused(self.supervisor_person, self.m1)

    def test_nor_one_their_party_branch_or_vanguard_post_carries(self):
        Measure.objects.filter(pk=self.m3.pk).update(branch=self.party_branch)
        Person.objects.filter(pk=self.supervisor_person.pk).update(branch=self.party_branch)
        self.supervisor_person.refresh_from_db()
        self.assert_refused(self.supervisor_person, self.m3)
        post = Team.objects.create(
            name="信息学院教师党员先锋岗", kind=Team.Kind.TEACHER_VANGUARD_POST
        )
        Membership.objects.create(team=post, person=self.examiner_person)
        Measure.objects.filter(pk=self.m1.pk).update(post=post)
        self.assert_refused(self.examiner_person, self.m1)

    def test_a_reviewer_off_the_panel_is_refused(self):
        with self.assertRaises(ValidationError):
            reviews.assign(self.review, self.counsellor_b, self.m3, acting_user=self.leader)

    def test_one_assignment_is_made_when_nothing_conflicts(self):
        assignment = reviews.assign(
            self.review, self.supervisor_person, self.m2, acting_user=self.leader
        )
        self.assertEqual(
            (assignment.reviewer, assignment.measure), (self.supervisor_person, self.m2)
        )

    def test_assigning_all_skips_the_conflicts_and_says_how_many(self):
        self.login(self.leader)
        url = reverse("workplan:review_assign", args=[self.review.pk])
        response = self.client.post(url, {"action": "all"}, follow=True)
        # 3 reviewers × 3 measures; the supervisor and counsellor_a are of
        # m1's unit (and counsellor_a co-owns it), the examiner of m2's.
        pairs = set(
            Assignment.objects.filter(review=self.review).values_list("reviewer", "measure")
        )
        self.assertEqual(
            pairs,
            {
                (self.supervisor_person.pk, self.m2.pk),
                (self.supervisor_person.pk, self.m3.pk),
                (self.examiner_person.pk, self.m1.pk),
                (self.examiner_person.pk, self.m3.pk),
                (self.counsellor_a.pk, self.m2.pk),
                (self.counsellor_a.pk, self.m3.pk),
            },
        )
        self.assertEqual(
            reviews.assign_all(self.review, acting_user=self.leader), reviews.Assigned(0, 3)
        )
        told = [str(message) for message in response.context["messages"]]
        self.assertEqual(
            told,
            [
                gettext("%(created)d assigned; %(skipped)d skipped as conflicts of interest.")
                % {"created": 6, "skipped": 3}
            ],
        )
        entry = LogEntry.objects.filter(
            kind=WorkplanEvent.REVIEW_ASSIGNED, additional_data__has_key="skipped"
        ).earliest("pk")
        self.assertEqual(
            (entry.additional_data["created"], entry.additional_data["skipped"]), (6, 3)
        )

    def test_each_reviewer_is_told_once_how_many_measures_to_score(self):
        reviews.assign_all(self.review, acting_user=self.leader)
        told = dict(Message.objects.filter(kind="plan_review").values_list("recipient", "title"))
        self.assertEqual(
            set(told), {self.supervisor_person.pk, self.examiner_person.pk, self.counsellor_a.pk}
        )
        self.assertIn("2", told[self.examiner_person.pk])
        reviews.assign_all(self.review, acting_user=self.leader)
        self.assertEqual(Message.objects.filter(kind="plan_review").count(), 3)
        Assignment.objects.filter(reviewer=self.examiner_person, measure=self.m3).delete()
        reviews.assign(self.review, self.examiner_person, self.m3, acting_user=self.leader)
        self.assertEqual(Message.objects.filter(kind="plan_review").count(), 3)

    def test_the_assign_page_shows_the_refusal(self):
        self.login(self.leader)
        url = reverse("workplan:review_assign", args=[self.review.pk])
        response = self.client.post(
            url, {"action": "one", "reviewer": self.examiner_person.pk, "measure": self.m2.pk}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.examiner_person.name)
        self.assertFalse(Assignment.objects.exists())


class CriteriaTests(ReviewTestCase):
    def test_the_weights_must_add_up_to_100(self):
        with self.assertRaises(ValidationError):
            reviews.set_criteria(
                self.review,
                [
                    ReviewCriterion(name="完成度", weight=50),
                    ReviewCriterion(name="质量", weight=40),
                ],
                acting_user=self.leader,
            )
        self.assertEqual([c.weight for c in self.review.criteria.all()], [30, 30, 20, 20])

    def test_the_page_offers_the_colleges_criteria_and_refuses_a_bad_total(self):
        review = Review.objects.create(
            plan=self.plan, title="复评", closes_on=dt.date(2022, 12, 31)
        )
        self.login(self.leader)
        url = reverse("workplan:review_criteria", args=[review.pk])
        response = self.client.get(url)
        names = [form.initial["name"] for form in response.context["formset"].forms[:4]]
        self.assertEqual(names, ["完成度", "工作质量", "突破性进展", "经费使用"])
        data = {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "0",
            "form-0-name": "完成度",
            "form-0-weight": "60",
            "form-0-max_points": "10",
            "form-1-name": "质量",
            "form-1-weight": "30",
            "form-1-max_points": "10",
        }
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(review.criteria.exists())
        data["form-1-weight"] = "40"
        response = self.client.post(url, data)
        self.assertRedirects(response, review.get_absolute_url())
        self.assertEqual(
            list(review.criteria.values_list("name", "weight", "max_points")),
            [("完成度", 60, 10), ("质量", 40, 10)],
        )

    def test_the_criteria_stay_once_a_sheet_is_scored(self):
        self.sheet(self.supervisor_person, self.m2, 80)
        with self.assertRaises(ValidationError):
            reviews.set_criteria(self.review, reviews.default_criteria(), acting_user=self.leader)


class SheetScoreTests(ReviewTestCase):
    def test_a_sheet_counts_each_criterion_by_its_weight(self):
        by_pk = {c.pk: Decimal(p) for c, p in zip(self.criteria, [90, 80, 50, 100], strict=True)}
        # 90×30% + 80×30% + 50×20% + 100×20%
        self.assertEqual(scoring.sheet_score(by_pk, self.criteria), Decimal("81.00"))

    def test_full_marks_other_than_100_scale_to_the_weight(self):
        criteria = [
            ReviewCriterion(pk=1, name="完成度", weight=60, max_points=10),
            ReviewCriterion(pk=2, name="质量", weight=40, max_points=5),
        ]
        self.assertEqual(
            scoring.sheet_score({1: Decimal("7.5"), 2: Decimal(4)}, criteria), Decimal("77.00")
        )
        self.assertIsNone(scoring.sheet_score({1: Decimal(10)}, criteria))

    def test_a_reviewer_scores_their_sheet_and_may_change_it(self):
        assignment = reviews.assign(
            self.review, self.supervisor_person, self.m2, acting_user=self.leader
        )
        self.login(self.supervisor)
        url = reverse("workplan:assignment_detail", args=[assignment.pk])
        fields = {
            f"criterion_{c.pk}": v for c, v in zip(self.criteria, [90, 80, 50, 100], strict=True)
        }
        with freeze_time(SCORING_DAY):
            response = self.client.get(url)
            self.assertContains(response, 'data-testid="sheet-form"')
            self.assertContains(response, 'data-testid="budget"')
            self.client.post(url, {**fields, "comment": "成效显著"})
            fields[f"criterion_{self.criteria[0].pk}"] = 100
            response = self.client.post(url, {**fields, "comment": "成效显著"})
        self.assertRedirects(response, self.review.get_absolute_url())
        assignment.refresh_from_db()
        self.assertIsNotNone(assignment.scored_at)
        self.assertEqual(assignment.comment, "成效显著")
        self.assertEqual(ReviewScore.objects.filter(assignment=assignment).count(), 4)
        entries = LogEntry.objects.filter(kind=WorkplanEvent.REVIEW_SCORED)
        self.assertEqual(entries.count(), 2)
        self.assertEqual(entries.latest("pk").additional_data["score"], "84.00")

    def test_points_beyond_full_marks_are_refused(self):
        assignment = reviews.assign(
            self.review, self.supervisor_person, self.m2, acting_user=self.leader
        )
        self.login(self.supervisor)
        url = reverse("workplan:assignment_detail", args=[assignment.pk])
        fields = {f"criterion_{c.pk}": 101 for c in self.criteria}
        with freeze_time(SCORING_DAY):
            response = self.client.post(url, fields)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(ReviewScore.objects.exists())

    def test_scores_are_final_once_published_or_past_their_day(self):
        assignment = self.sheet(self.supervisor_person, self.m2, 80)
        with freeze_time("2022-12-21 09:00"), self.assertRaises(ValidationError):
            reviews.save_sheet(
                assignment, {c.pk: Decimal(90) for c in self.criteria}, acting_user=self.leader
            )
        with freeze_time(SCORING_DAY):
            reviews.publish(self.review, acting_user=self.leader)
            self.login(self.supervisor)
            url = reverse("workplan:assignment_detail", args=[assignment.pk])
            response = self.client.get(url)
            self.assertNotContains(response, 'data-testid="sheet-form"')
            self.assertEqual(self.client.post(url, {}).status_code, 403)
            self.assertContains(response, 'data-testid="sheet-score">80.00<')

    def test_a_reviewer_cannot_open_another_reviewers_sheet(self):
        theirs = reviews.assign(self.review, self.examiner_person, self.m3, acting_user=self.leader)
        self.login(self.supervisor)
        url = reverse("workplan:assignment_detail", args=[theirs.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(url, {}).status_code, 404)


class ResultsTests(ReviewTestCase):
    def test_the_ranking_shows_a_tie_as_a_tie(self):
        self.score_with_a_tie()
        results = reviews.results(self.review)
        got = [(r.measure, r.score, r.place, r.tied, r.done, r.assigned) for r in results.rows]
        self.assertEqual(
            got,
            [
                (self.m1, Decimal("90.00"), 1, False, 1, 1),
                (self.m2, Decimal("80.00"), 2, True, 2, 2),
                (self.m3, Decimal("80.00"), 2, True, 2, 3),
            ],
        )
        self.assertEqual(results.rows[2].criterion_list(self.criteria), [Decimal("80.00")] * 4)

    def test_the_results_page_marks_the_tie(self):
        self.score_with_a_tie()
        self.login(self.leader)
        response = self.client.get(reverse("workplan:review_results", args=[self.review.pk]))
        places = [(row.measure, row.place, row.tied) for row, _means in response.context["rows"]]
        self.assertEqual(places, [(self.m1, 1, False), (self.m2, 2, True), (self.m3, 2, True)])
        self.assertContains(response, 'data-testid="tied"', count=2)
        self.assertContains(response, 'data-place="2" data-tied="1"', count=2)

    def test_an_owner_sees_their_results_only_once_published(self):
        self.score_with_a_tie()
        url = reverse("workplan:review_results", args=[self.review.pk])
        self.login(self.teacher)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.leader)
        self.assertRedirects(
            self.client.post(reverse("workplan:review_publish", args=[self.review.pk])), url
        )
        self.assertTrue(LogEntry.objects.filter(kind=WorkplanEvent.REVIEW_PUBLISHED).exists())
        self.login(self.teacher)
        response = self.client.get(url)
        # The teacher owns m1 and m3: their places among all, not m2's row.
        rows = [(row.measure, row.place, row.tied) for row, _means in response.context["rows"]]
        self.assertEqual(rows, [(self.m1, 1, False), (self.m3, 2, True)])
        self.login(self.counsellor_b_user)
        response = self.client.get(url)
        self.assertEqual([row.measure for row, _means in response.context["rows"]], [self.m2])

    def test_a_panel_member_sees_no_results_before_they_are_published(self):
        self.login(self.supervisor)
        url = reverse("workplan:review_results", args=[self.review.pk])
        self.assertEqual(self.client.get(url).status_code, 403)

    def test_the_results_take_the_same_queries_whatever_the_size(self):
        def counted() -> tuple[int, int]:
            with CaptureQueriesContext(connection) as computed:
                reviews.results(self.review)
            self.login(self.leader)
            with CaptureQueriesContext(connection) as page:
                response = self.client.get(
                    reverse("workplan:review_results", args=[self.review.pk])
                )
            self.assertEqual(response.status_code, 200)
            return len(computed), len(page)

        self.score_with_a_tie()
        small = counted()
        for number in range(6):
            unit = Unit.objects.create(
                name=f"系{number}", kind=Unit.Kind.DEPARTMENT, parent=self.college
            )
            measure = self.office_measure(f"举措{number}", unit)
            person = make_person(f"T40{number}", f"评审{number}", Person.Kind.TEACHER)
            self.review.panel.add(person)
            for other in (self.m2, self.m3, measure):
                self.sheet(person, other, 60 + number)
        self.assertEqual(small[0], 4)
        self.assertEqual(counted(), small)


class ExportTests(ReviewTestCase):
    def test_the_word_summary_ranks_with_the_tie(self):
        self.score_with_a_tie()
        Measure.objects.filter(pk=self.m2.pk).update(
            is_breakthrough=True, breakthrough="获批国家自然科学基金3项"
        )
        self.login(self.leader)
        response = self.client.get(reverse("workplan:review_summary_docx", args=[self.review.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        criteria, ranking, by_area = docx_tables(response.content)
        self.assertEqual(criteria[1], ["完成度", "30", "100"])
        self.assertEqual(
            [(row[0], row[1]) for row in ranking[1:]],
            [("1", str(self.m1)), (tied(2), str(self.m2)), (tied(2), str(self.m3))],
        )
        self.assertEqual(by_area[1], [str(self.area), "3", "3", "1"])
        paragraphs = [p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs]
        self.assertIn("获批国家自然科学基金3项", "".join(paragraphs))
        self.assertEqual(
            LogEntry.objects.filter(kind=WorkplanEvent.EXPORTED, object_id=self.review.pk).count(),
            1,
        )

    def test_the_excel_ranking_has_the_tie_and_the_criterion_means(self):
        self.score_with_a_tie()
        self.login(self.leader)
        response = self.client.get(reverse("workplan:review_summary_xlsx", args=[self.review.pk]))
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][6:10], ("完成度", "工作质量", "突破性进展", "经费使用"))
        self.assertEqual(
            [(row[0], row[2], row[5]) for row in rows[1:]],
            [
                ("1", f"{self.key_point.label}{self.m1}", 90),
                (tied(2), f"{self.key_point.label}{self.m2}", 80),
                (tied(2), f"{self.key_point.label}{self.m3}", 80),
            ],
        )
        self.assertEqual(rows[3][6:12], (80, 80, 80, 80, 2, 3))
        self.assertTrue(LogEntry.objects.filter(kind=WorkplanEvent.EXPORTED).exists())

    def test_the_panel_may_not_download_the_summary(self):
        self.login(self.supervisor)
        for name in ("workplan:review_summary_docx", "workplan:review_summary_xlsx"):
            response = self.client.get(reverse(name, args=[self.review.pk]))
            self.assertEqual(response.status_code, 403)
        self.assertFalse(LogEntry.objects.filter(kind=WorkplanEvent.EXPORTED).exists())


class PagesTests(ReviewTestCase):
    def test_a_leader_starts_a_round_of_the_plan(self):
        self.login(self.leader)
        response = self.client.post(
            reverse("workplan:review_create", args=[self.plan.pk]),
            {"title": "2022年度复评", "closes_on": "2022-12-28"},
        )
        review = Review.objects.get(title="2022年度复评")
        self.assertRedirects(response, reverse("workplan:review_criteria", args=[review.pk]))
        self.assertEqual(review.plan, self.plan)
        response = self.client.get(reverse("workplan:review_list", args=[self.plan.pk]))
        self.assertContains(response, 'data-testid="review"', count=2)

    def test_a_reviewer_lists_what_to_score_and_what_is_scored(self):
        self.sheet(self.supervisor_person, self.m2, 80)
        reviews.assign(self.review, self.supervisor_person, self.m3, acting_user=self.leader)
        self.login(self.supervisor)
        response = self.client.get(reverse("workplan:my_reviews"))
        self.assertEqual([a.measure for a in response.context["to_score"]], [self.m3])
        self.assertEqual([a.measure for a in response.context["scored"]], [self.m2])
        response = self.client.get(self.review.get_absolute_url())
        self.assertContains(response, 'data-testid="assignment"', count=2)
        self.assertNotContains(response, 'data-testid="leader-actions"')

    def test_the_panel_is_staff_and_keeps_those_who_scored(self):
        with self.assertRaises(ValidationError):
            reviews.set_panel(self.review, [self.student_a], acting_user=self.leader)
        self.sheet(self.supervisor_person, self.m2, 80)
        with self.assertRaises(ValidationError):
            reviews.set_panel(self.review, [self.examiner_person], acting_user=self.leader)
        reviews.assign(self.review, self.examiner_person, self.m3, acting_user=self.leader)
        self.login(self.leader)
        response = self.client.post(
            reverse("workplan:review_panel", args=[self.review.pk]),
            {"members": [self.supervisor_person.pk]},
        )
        self.assertRedirects(response, self.review.get_absolute_url())
        self.assertEqual(list(self.review.panel.all()), [self.supervisor_person])
        # The examiner left, with the measure they had not scored.
        self.assertFalse(Assignment.objects.filter(reviewer=self.examiner_person).exists())
