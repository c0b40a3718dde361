from decimal import Decimal

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, override_settings

from shouwang.core import scoring


class Criterion:
    def __init__(self, pk: int, weight: int, max_points: int = 100):
        self.pk, self.weight, self.max_points = pk, weight, max_points


CRITERIA = [Criterion(1, 40), Criterion(2, 30), Criterion(3, 30, max_points=10)]


class SheetScoreTests(SimpleTestCase):
    def test_each_criterion_counts_by_its_weight_out_of_100(self):
        points = {1: Decimal(90), 2: Decimal(80), 3: Decimal(5)}
        # 90% of 40 + 80% of 30 + 50% of 30 = 36 + 24 + 15
        self.assertEqual(scoring.sheet_score(points, CRITERIA), Decimal("75.00"))

    def test_a_sheet_missing_a_criterion_has_no_score(self):
        self.assertIsNone(scoring.sheet_score({1: Decimal(90), 2: Decimal(80)}, CRITERIA))

    def test_the_mean_leaves_out_incomplete_sheets(self):
        self.assertEqual(scoring.mean([Decimal("80.00"), None, Decimal("71.00")]), Decimal("75.50"))
        self.assertIsNone(scoring.mean([None]))

    def test_weights_must_add_up_to_100(self):
        scoring.check_weights(CRITERIA)
        with self.assertRaisesMessage(ValidationError, "90"):
            scoring.check_weights(CRITERIA[:2] + [Criterion(3, 20)])


class RankTests(SimpleTestCase):
    def test_equal_scores_share_a_place_and_the_next_place_skips(self):
        scores = {"甲": Decimal("88.50"), "乙": Decimal("91"), "丙": Decimal("88.5"), "丁": None}
        places = scoring.rank(scores, scores.get)
        self.assertEqual(
            [(place.item, place.rank, place.tied) for place in places],
            [("乙", 1, False), ("甲", 2, True), ("丙", 2, True), ("丁", None, False)],
        )

    def test_after_a_tie_the_places_go_on_from_the_count(self):
        scores = {"a": Decimal(9), "b": Decimal(9), "c": Decimal(9), "d": Decimal(5)}
        self.assertEqual([place.rank for place in scoring.rank(scores, scores.get)], [1, 1, 1, 4])


class NamedCriterion(Criterion):
    def __init__(self, pk: int, name: str, weight: int, max_points: int = 100):
        super().__init__(pk, weight, max_points)
        self.name = name

    def check_points(self, points: Decimal) -> None:
        if not 0 <= points <= self.max_points:
            raise ValidationError(f"{self.name} takes 0 to {self.max_points} points.")


@override_settings(LANGUAGE_CODE="en")
class CriteriaTests(SimpleTestCase):
    def test_criteria_need_one_at_least_each_named_once(self):
        with self.assertRaisesMessage(ValidationError, "at least one"):
            scoring.check_criteria([])
        with self.assertRaisesMessage(ValidationError, "name of its own"):
            scoring.check_criteria([NamedCriterion(1, "创意", 50), NamedCriterion(2, "创意", 50)])
        with self.assertRaisesMessage(ValidationError, "90"):
            scoring.check_criteria([NamedCriterion(1, "创意", 50), NamedCriterion(2, "主题", 40)])
        scoring.check_criteria([NamedCriterion(1, "创意", 60), NamedCriterion(2, "主题", 40)])

    def test_a_sheet_may_be_partial_unless_it_must_be_complete(self):
        criteria = [NamedCriterion(1, "创意", 60, 60), NamedCriterion(2, "主题", 40, 40)]
        scoring.check_sheet({1: Decimal(50), 2: None}, criteria, complete=False)  # type: ignore[arg-type]
        with self.assertRaisesMessage(ValidationError, "every criterion"):
            scoring.check_sheet({1: Decimal(50)}, criteria)  # type: ignore[arg-type]
        with self.assertRaisesMessage(ValidationError, "主题 takes 0 to 40"):
            scoring.check_sheet({2: Decimal(41)}, criteria, complete=False)  # type: ignore[arg-type]


class TallyTests(SimpleTestCase):
    def test_each_item_counts_its_sheets_and_means_its_complete_ones(self):
        sheets = [("s1", "甲"), ("s2", "甲"), ("s3", "甲"), ("s4", "乙")]
        points = [
            ("s1", 1, Decimal(80)),
            ("s1", 2, Decimal(70)),
            ("s1", 3, Decimal(10)),
            ("s2", 1, Decimal(60)),
            ("s2", 2, Decimal(50)),
            ("s2", 3, Decimal(6)),
            ("s3", 1, Decimal(100)),  # incomplete: left out of the means
            ("s9", 1, Decimal(100)),  # a sheet not listed
        ]
        tallies = scoring.tally(sheets, points, CRITERIA)
        self.assertEqual(set(tallies), {"甲", "乙"})
        first = tallies["甲"]
        # s1: 32 + 21 + 30 = 83; s2: 24 + 15 + 18 = 57
        self.assertEqual((first.assigned, first.done, first.score), (3, 2, Decimal("70.00")))
        self.assertEqual(first.criterion_means[1], Decimal("70.00"))
        second = tallies["乙"]
        self.assertEqual((second.assigned, second.done, second.score), (1, 0, None))
        self.assertIsNone(second.criterion_means[1])
