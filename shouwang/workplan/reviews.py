"""The year-end review (年终项目化评比): a round's criteria, panel and
assignments set by the plan's leaders, the panel's score sheets, the results
and their publication.

Who may score what: a reviewer never scores a measure they own or co-own, nor
one their side carries: the measure's owner unit is the reviewer's unit, or
the party branch carrying it is the reviewer's branch, or the vanguard post
carrying it counts the reviewer among its members. Such an assignment is
refused, and the bulk assignment skips it.

Scores are weighted by `shouwang.core.scoring` (shared with the contests'
judging). A reviewer may change their sheet until the review is published or
its scores are due (`closes_on`, inclusive); the criteria are fixed once a
sheet is saved, so that every sheet is scored against the same criteria.

Each change is audited against the review; a sheet saved names the measure
and the reviewer in its entry, not in the measure's history, which its owners
read before the results are published.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from shouwang.core import audit, scoring
from shouwang.lib import clock
from shouwang.notify.actions import deliver
from shouwang.notify.models import Message
from shouwang.people.models import Person
from shouwang.volunteers.models import Membership

from .audit import WorkplanEvent
from .message_kinds import REVIEW_ASSIGNED
from .models import Assignment, Measure, Review, ReviewCriterion, ReviewScore

if TYPE_CHECKING:
    from shouwang.accounts.models import User

# The criteria the college uses (name, weight): 完成度, 工作质量, 突破性进展, 经费使用.
DEFAULT_CRITERIA = (
    ("完成度", 30),
    ("工作质量", 30),
    ("突破性进展", 20),
    ("经费使用", 20),
)


@transaction.atomic
def save_review(review: Review, *, acting_user: User) -> Review:
    """Create or change a review round (its title and the day scores are due)."""
    created = review.pk is None
    review.save()
    audit.record(
        WorkplanEvent.REVIEW_SAVED,
        review,
        acting_user=acting_user,
        created=created,
        title=review.title,
        closes_on=review.closes_on.isoformat(),
    )
    return review


def is_scored(review: Review) -> bool:
    """Whether any sheet of the review is saved."""
    return Assignment.objects.filter(review=review, scored_at__isnull=False).exists()


@transaction.atomic
def set_criteria(
    review: Review, criteria: Sequence[ReviewCriterion], *, acting_user: User
) -> list[ReviewCriterion]:
    """Replace the review's criteria (unsaved rows, in their order); their
    weights add up to 100. Refused once a sheet is saved."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if is_scored(review):
        raise ValidationError(_("Sheets are already scored: the criteria can no longer change."))
    scoring.check_criteria(criteria)
    for order, criterion in enumerate(criteria, start=1):
        criterion.review = review
        criterion.order = order
        criterion.full_clean(exclude=["review"])
    review.criteria.all().delete()
    saved = ReviewCriterion.objects.bulk_create(criteria)
    audit.record(
        WorkplanEvent.REVIEW_SAVED,
        review,
        acting_user=acting_user,
        criteria=[[c.name, c.weight, c.max_points] for c in saved],
    )
    return saved


def default_criteria() -> list[ReviewCriterion]:
    """The college's usual criteria, unsaved, full marks 100 each."""
    return [
        ReviewCriterion(name=name, weight=weight, max_points=100)
        for name, weight in DEFAULT_CRITERIA
    ]


@transaction.atomic
def set_panel(review: Review, people: Iterable[Person], *, acting_user: User) -> None:
    """The review's panel: staff only. A member who has scored a sheet stays;
    one who leaves takes their unscored assignments with them."""
    people = list(people)
    if any(person.kind == Person.Kind.STUDENT for person in people):
        raise ValidationError(_("The panel is staff: students do not review measures."))
    new = {person.pk for person in people}
    old = set(review.panel.values_list("pk", flat=True))
    leaving = old - new
    scored = Person.objects.filter(
        pk__in=leaving,
        review_assignments__review=review,
        review_assignments__scored_at__isnull=False,
    ).distinct()
    if scored:
        raise ValidationError(
            _("%(names)s already scored and stay on the panel.")
            % {"names": "、".join(person.name for person in scored)}
        )
    dropped, _kinds = Assignment.objects.filter(review=review, reviewer_id__in=leaving).delete()
    review.panel.set(people)
    audit.record(
        WorkplanEvent.REVIEW_SAVED,
        review,
        acting_user=acting_user,
        panel=sorted(person.name for person in people),
        assignments_dropped=dropped,
    )


@dataclass
class Conflicts:
    """Who may not score which measure of a review, worked out in a few queries."""

    measures: dict[int, Measure]
    owners: dict[int, set[int]] = field(default_factory=dict)
    post_members: dict[int, set[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, review: Review, measures: Iterable[Measure] | None = None) -> Conflicts:
        if measures is None:
            measures = Measure.objects.filter(key_point__area__plan=review.plan_id)
        found = cls({measure.pk: measure for measure in measures})
        owners: dict[int, set[int]] = defaultdict(set)
        for measure in found.measures.values():
            owners[measure.pk].add(measure.owner_id)
        through = Measure.co_owners.through.objects.filter(measure_id__in=found.measures)
        for measure_id, person_id in through.values_list("measure_id", "person_id"):
            owners[measure_id].add(person_id)
        posts = {m.post_id for m in found.measures.values() if m.post_id}
        members: dict[int, set[int]] = defaultdict(set)
        for team_id, person_id in Membership.objects.filter(team_id__in=posts).values_list(
            "team_id", "person_id"
        ):
            members[team_id].add(person_id)
        found.owners, found.post_members = owners, members
        return found

    def reason(self, reviewer: Person, measure_id: int) -> str | None:
        """Why the reviewer may not score the measure; None if they may."""
        measure = self.measures[measure_id]
        if reviewer.pk in self.owners.get(measure_id, ()):
            return _("%(name)s owns or co-owns %(measure)s.")
        if reviewer.unit_id is not None and reviewer.unit_id == measure.owner_unit_id:
            return _("%(name)s is of %(measure)s's owner unit.")
        if reviewer.branch_id is not None and reviewer.branch_id == measure.branch_id:
            return _("%(name)s's party branch carries %(measure)s.")
        if measure.post_id and reviewer.pk in self.post_members.get(measure.post_id, ()):
            return _("%(name)s's vanguard post carries %(measure)s.")
        return None


@transaction.atomic
def assign(review: Review, reviewer: Person, measure: Measure, *, acting_user: User) -> Assignment:
    """Give a panel member a measure of the review's plan to score; refused
    when it is theirs (owned, co-owned, or carried by their unit, branch or post)."""
    if not review.panel.filter(pk=reviewer.pk).exists():
        raise ValidationError(_("%(name)s is not on the panel.") % {"name": reviewer.name})
    if measure.key_point.area.plan_id != review.plan_id:
        raise ValidationError(_("The measure is not of the review's plan."))
    # Read afresh: who carries the measure decides.
    reason = Conflicts.of(review, Measure.objects.filter(pk=measure.pk)).reason(
        reviewer, measure.pk
    )
    if reason:
        raise ValidationError(reason % {"name": reviewer.name, "measure": measure.title})
    assignment, created = Assignment.objects.get_or_create(
        review=review, reviewer=reviewer, measure=measure
    )
    if created:
        audit.record(
            WorkplanEvent.REVIEW_ASSIGNED,
            review,
            acting_user=acting_user,
            reviewer=reviewer.name,
            measure=str(measure),
        )
        tell_reviewers(review)
    return assignment


@dataclass(frozen=True)
class Assigned:
    created: int
    skipped: int


@transaction.atomic
def assign_all(review: Review, *, acting_user: User) -> Assigned:
    """Every measure of the plan to every panel member who may score it; the
    pairs that conflict are skipped and counted."""
    conflicts = Conflicts.of(review)
    panel = list(review.panel.all())
    rows, skipped = [], 0
    for reviewer in panel:
        for measure_id in conflicts.measures:
            if conflicts.reason(reviewer, measure_id):
                skipped += 1
            else:
                rows.append(Assignment(review=review, reviewer=reviewer, measure_id=measure_id))
    before = Assignment.objects.filter(review=review).count()
    Assignment.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    created = Assignment.objects.filter(review=review).count() - before
    audit.record(
        WorkplanEvent.REVIEW_ASSIGNED,
        review,
        acting_user=acting_user,
        all_measures=True,
        created=created,
        skipped=skipped,
    )
    tell_reviewers(review)
    return Assigned(created, skipped)


def tell_reviewers(review: Review) -> int:
    """Tell each panel member how many measures they have to score, once for
    each number: new assignments tell them again. Returns how many were told."""
    to_score = dict(
        Assignment.objects.filter(review=review, scored_at__isnull=True)
        .values("reviewer")
        .annotate(count=Count("pk"))
        .values_list("reviewer", "count")
    )
    link = reverse("workplan:my_reviews")
    return deliver(
        Message(
            recipient_id=person_id,
            kind=REVIEW_ASSIGNED,
            title=_("%(review)s: %(count)d measures for you to score by %(day)s")
            % {"review": review.title, "count": count, "day": review.closes_on.isoformat()},
            link=link,
            key=f"plan_review:{review.pk}:{person_id}:{count}",
            created_at=clock.now(),
        )
        for person_id, count in to_score.items()
    )


@transaction.atomic
def unassign(assignment: Assignment, *, acting_user: User) -> None:
    """Take back an assignment not yet scored."""
    if assignment.scored_at is not None:
        raise ValidationError(_("The sheet is scored: the assignment stays."))
    assignment.delete()
    audit.record(
        WorkplanEvent.REVIEW_ASSIGNED,
        assignment.review,
        acting_user=acting_user,
        removed=True,
        reviewer=str(assignment.reviewer),
        measure=str(assignment.measure),
    )


def is_open(review: Review) -> bool:
    """Sheets may be saved: not published and not past the day scores are due."""
    return review.published_at is None and clock.today() <= review.closes_on


@transaction.atomic
def save_sheet(
    assignment: Assignment,
    points: Mapping[int, Decimal],
    *,
    comment: str = "",
    acting_user: User,
) -> Decimal | None:
    """The reviewer's points on every criterion (by its pk) and a comment;
    saved again, they replace the earlier ones. Returns the sheet's score."""
    review = Review.objects.select_for_update().get(pk=assignment.review_id)
    if not is_open(review):
        raise ValidationError(_("The review is closed: its scores can no longer change."))
    criteria = list(review.criteria.all())
    if not criteria:
        raise ValidationError(_("The review has no criteria yet."))
    scoring.check_sheet(points, criteria)
    ReviewScore.objects.bulk_create(
        [
            ReviewScore(assignment=assignment, criterion=criterion, points=points[criterion.pk])
            for criterion in criteria
        ],
        update_conflicts=True,
        unique_fields=["assignment", "criterion"],
        update_fields=["points"],
    )
    assignment.comment = comment
    assignment.scored_at = clock.now()
    assignment.save(update_fields=["comment", "scored_at"])
    score = scoring.sheet_score(points, criteria)
    audit.record(
        WorkplanEvent.REVIEW_SCORED,
        review,
        acting_user=acting_user,
        measure=str(assignment.measure),
        reviewer=str(assignment.reviewer),
        points={c.name: str(points[c.pk]) for c in criteria},
        score=str(score),
    )
    return score


@transaction.atomic
def publish(review: Review, *, acting_user: User) -> Review:
    """The owners see their measures' results and places."""
    if review.published_at is not None:
        raise ValidationError(_("The results are already published."))
    if not review.criteria.exists():
        raise ValidationError(_("The review has no criteria yet."))
    review.published_at = clock.now()
    review.save(update_fields=["published_at"])
    audit.record(WorkplanEvent.REVIEW_PUBLISHED, review, acting_user=acting_user)
    return review


@dataclass
class MeasureResult:
    measure: Measure
    assigned: int = 0
    done: int = 0
    score: Decimal | None = None
    # The mean points per criterion (by the criterion's pk) of complete sheets.
    criterion_means: dict[int, Decimal | None] = field(default_factory=dict)
    place: int | None = None
    tied: bool = False

    def criterion_list(self, criteria: Sequence[ReviewCriterion]) -> list[Decimal | None]:
        return [self.criterion_means.get(criterion.pk) for criterion in criteria]


@dataclass
class Results:
    review: Review
    criteria: list[ReviewCriterion]
    rows: list[MeasureResult]

    @property
    def sheets_done(self) -> int:
        return sum(row.done for row in self.rows)

    @property
    def sheets_assigned(self) -> int:
        return sum(row.assigned for row in self.rows)


def results(review: Review) -> Results:
    """Every measure of the review's plan with its
    mean weighted score over complete sheets, its sheets done and assigned,
    its mean points per criterion and its place (ties share it), best first.

    Four queries whatever the number of measures and reviewers: the
    criteria, the measures, the assignments and the scores."""
    criteria = list(review.criteria.all())
    chosen = Measure.objects.filter(key_point__area__plan=review.plan_id).select_related(
        "key_point__area", "owner", "owner_unit"
    )
    rows = {measure.pk: MeasureResult(measure) for measure in chosen}
    # Only the plan's measures: one moved to another plan since is left out.
    sheets = Assignment.objects.filter(
        review=review, measure__key_point__area__plan=review.plan_id
    ).values_list("pk", "measure_id")
    points = ReviewScore.objects.filter(assignment__review=review).values_list(
        "assignment_id", "criterion_id", "points"
    )
    for measure_id, tallied in scoring.tally(sheets, points, criteria).items():
        row = rows[measure_id]
        row.assigned, row.done = tallied.assigned, tallied.done
        row.score, row.criterion_means = tallied.score, tallied.criterion_means
    ranked = scoring.rank(rows.values(), lambda row: row.score)
    for place in ranked:
        place.item.place, place.item.tied = place.rank, place.tied
    return Results(review, criteria, [place.item for place in ranked])
