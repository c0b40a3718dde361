from decimal import Decimal

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

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
