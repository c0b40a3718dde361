"""Weighted scoring by a panel, and a ranking that shows ties as ties.

Used wherever people are scored against weighted criteria: the work plan's
year-end review (评比) and the contests' judging. A criterion has a weight and
the most points it gives; a judge's sheet gives points per criterion; the
sheet's score is out of 100, each criterion counting by its weight; an entry's
score is the mean of its complete sheets. `rank` orders the scores and gives
equal scores the same place (1, 2, 2, 4).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Generic, Protocol, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

T = TypeVar("T")
K = TypeVar("K")
HUNDRED = Decimal(100)
# Scores are compared, shown and tied at two decimals.
PLACES = Decimal("0.01")


class Weighted(Protocol):
    """A criterion as scoring reads it (read-only, so that a model's fields match)."""

    @property
    def pk(self) -> Any: ...
    @property
    def weight(self) -> int: ...
    @property
    def max_points(self) -> int: ...


class Criterion(models.Model):
    """One criterion of a scoring (完成度 30%, 质量 30% …): a subclass adds the key
    to what it scores for."""

    name = models.CharField(_("criterion"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight (%)"), validators=[MinValueValidator(1)])
    max_points = models.PositiveSmallIntegerField(
        _("full marks"), default=100, validators=[MinValueValidator(1)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    def check_points(self, points: Decimal) -> None:
        if not Decimal(0) <= points <= self.max_points:
            raise ValidationError(
                gettext("%(name)s takes 0 to %(max)d points.")
                % {"name": self.name, "max": self.max_points}
            )


class Named(Weighted, Protocol):
    @property
    def name(self) -> str: ...


def check_criteria(criteria: Sequence[Named]) -> None:
    """A scoring's criteria: at least one, each named once, the weights adding up to 100."""
    if not criteria:
        raise ValidationError(gettext("Give at least one criterion."))
    names = [criterion.name for criterion in criteria]
    if len(set(names)) != len(names):
        raise ValidationError(gettext("Each criterion has a name of its own."))
    check_weights(criteria)


def check_sheet(
    points: Mapping[Any, Decimal | None], criteria: Sequence[Criterion], *, complete: bool = True
) -> None:
    """The points of a sheet (by the criterion's pk), each within its
    criterion's full marks; every criterion scored if `complete`."""
    for criterion in criteria:
        given = points.get(criterion.pk)
        if given is None:
            if complete:
                raise ValidationError(gettext("Score every criterion."))
            continue
        criterion.check_points(Decimal(given))


def check_weights(criteria: Iterable[Weighted]) -> None:
    """The weights of a scoring's criteria add up to 100."""
    total = sum(criterion.weight for criterion in criteria)
    if total != 100:
        raise ValidationError(
            gettext("The weights add up to %(total)d%%, not 100%%.") % {"total": total}
        )


def sheet_score(points: Mapping[int, Decimal], criteria: Sequence[Weighted]) -> Decimal | None:
    """One judge's score out of 100 from their points per criterion (by the
    criterion's pk); None while a criterion is unscored."""
    if not criteria or any(criterion.pk not in points for criterion in criteria):
        return None
    weights = sum(criterion.weight for criterion in criteria)
    total = sum(
        (
            Decimal(points[criterion.pk]) / criterion.max_points * criterion.weight
            for criterion in criteria
            if criterion.pk is not None
        ),
        Decimal(0),
    )
    return (total / weights * HUNDRED).quantize(PLACES, ROUND_HALF_UP)


def mean(scores: Iterable[Decimal | None]) -> Decimal | None:
    """The mean of the complete sheets' scores; None without one."""
    done = [score for score in scores if score is not None]
    if not done:
        return None
    return (sum(done, Decimal(0)) / len(done)).quantize(PLACES, ROUND_HALF_UP)


@dataclass(frozen=True)
class Place(Generic[T]):
    item: T
    score: Decimal | None
    # 1-based; equal scores share a place, and the next place skips (1, 2, 2, 4).
    rank: int | None
    tied: bool


def rank(items: Iterable[T], score: Callable[[T], Decimal | None]) -> list[Place[T]]:
    """Items by score, highest first, equal scores at the same place; the
    unscored last, without a place."""
    scored: list[tuple[T, Decimal]] = []
    unscored: list[T] = []
    for item in items:
        value = score(item)
        if value is None:
            unscored.append(item)
        else:
            scored.append((item, value))
    scored.sort(key=lambda pair: pair[1], reverse=True)
    counts = Counter(value for _item, value in scored)
    places: list[Place[T]] = []
    for position, (item, value) in enumerate(scored, start=1):
        first = places[-1].rank if places and places[-1].score == value else position
        places.append(Place(item, value, first, counts[value] > 1))
    places.extend(Place(item, None, None, False) for item in unscored)
    return places


@dataclass
class Tally:
    """One item's sheets: how many were given out and how many are complete,
    the mean score of the complete ones and their mean points per criterion
    (by the criterion's pk)."""

    assigned: int = 0
    done: int = 0
    score: Decimal | None = None
    criterion_means: dict[Any, Decimal | None] = field(default_factory=dict)


def tally(
    sheets: Iterable[tuple[Any, K]],
    points: Iterable[tuple[Any, Any, Decimal]],
    criteria: Sequence[Weighted],
) -> dict[K, Tally]:
    """Each item's `Tally`, from its sheets as (sheet, item) and the points
    given on them as (sheet, criterion, points); points on a sheet not listed
    are left out. Only the items with a sheet are in the answer."""
    item_of: dict[Any, K] = {}
    given: dict[Any, dict[Any, Decimal]] = {}
    tallies: dict[K, Tally] = {}
    for sheet, item in sheets:
        item_of[sheet] = item
        given[sheet] = {}
        tallies.setdefault(item, Tally()).assigned += 1
    for sheet, criterion, value in points:
        if sheet in given:
            given[sheet][criterion] = value
    scores: dict[K, list[Decimal]] = defaultdict(list)
    per_criterion: dict[K, dict[Any, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for sheet, values in given.items():
        score = sheet_score(values, criteria)
        if score is None:
            continue
        item = item_of[sheet]
        tallies[item].done += 1
        scores[item].append(score)
        for criterion in criteria:
            per_criterion[item][criterion.pk].append(values[criterion.pk])
    for item, found in tallies.items():
        found.score = mean(scores.get(item, ()))
        found.criterion_means = {
            criterion.pk: mean(per_criterion[item][criterion.pk]) for criterion in criteria
        }
    return tallies
