"""Judging a contest's entries (评审): judges and weighted criteria, who
judges which entry, the judges' score sheets, the ranking, the awards, and
their publication (评选公示) with an objection period before they are final.

Who may judge what: a judge never scores an entry of their own team (they
submitted it, or are on the team that did) or of their own class (they are a
student of the admin class of one of its authors, or that class's
counsellor). Such an assignment is refused, and the bulk assignment skips it
and says how many. A student judges only an activity they take no part in.

Scores are weighted by `shouwang.core.scoring`, as the work plan's year-end
review does. A judge may save a sheet half done and finish it later; it counts
once every criterion is scored, and may change until the results are
published. The criteria are fixed once a point is given.

The awards are given from the ranking by how many of each prize: entries tied
at a prize's last place all get that prize (the higher one). Published, they
are an article of the bulletin's 评选公示 section, written from the award rows;
any student the activity is open to may object within the objection period;
once it is over and every objection answered, the runners make the results
final and the winners' certificates can be printed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shouwang.bulletin import actions as bulletin
from shouwang.bulletin.models import Article, Section
from shouwang.core import audit, scoring
from shouwang.lib import clock
from shouwang.notify.actions import deliver, send
from shouwang.notify.models import Message
from shouwang.people.models import AdminClass, Person

from .actions import audience_refusal
from .audit import ActivitiesEvent
from .message_kinds import ACTIVITIES
from .models import (
    Activity,
    Award,
    Entry,
    JudgeAssignment,
    JudgeScore,
    JudgingCriterion,
    Objection,
    Prize,
    SignUp,
)

if TYPE_CHECKING:
    from shouwang.accounts.models import User

# A contest's usual criteria (name, weight): full marks are the weight, so
# that a sheet's points add up to its score out of 100.
DEFAULT_CRITERIA = (
    ("主题契合", 30),
    ("创意", 30),
    ("艺术表现", 25),
    ("完成度", 15),
)
# The bulletin's section for the results of contests.
RESULTS_SLUG = "results"
RESULTS_NAME = "评选公示"
PRIZES = tuple(Prize)


def is_judged(activity: Activity) -> bool:
    """An activity whose entries are judged here: it takes entries and is not
    run outside (an external contest records the awards won there)."""
    return activity.takes_entries and not activity.external


def entries_closed(activity: Activity) -> bool:
    return activity.entries_close_at is not None and clock.now() > activity.entries_close_at


def closed_reason(activity: Activity) -> str | None:
    """Why sheets may not be saved now; None while they may."""
    if activity.results_published_at is not None:
        return _("The results are published: the scores can no longer change.")
    if not entries_closed(activity):
        return _("Entries are still open: scoring starts when they close.")
    return None


def _refuse_published(activity: Activity) -> None:
    if activity.results_published_at is not None:
        raise ValidationError(_("The results are published: the judging can no longer change."))


def _locked(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().get(pk=activity.pk)


# Criteria and judges


def is_scored(activity: Activity) -> bool:
    """Whether a judge has given any point in the activity."""
    return JudgeScore.objects.filter(assignment__activity=activity).exists()


def default_criteria() -> list[JudgingCriterion]:
    """A contest's usual criteria, unsaved."""
    return [
        JudgingCriterion(name=name, weight=weight, max_points=weight)
        for name, weight in DEFAULT_CRITERIA
    ]


@transaction.atomic
def set_criteria(
    activity: Activity, criteria: Sequence[JudgingCriterion], *, acting_user: User
) -> list[JudgingCriterion]:
    """Replace the activity's criteria (unsaved rows, in their order); their
    weights add up to 100. Refused once a point is given."""
    activity = _locked(activity)
    if is_scored(activity):
        raise ValidationError(_("Sheets are already scored: the criteria can no longer change."))
    scoring.check_criteria(criteria)
    for order, criterion in enumerate(criteria, start=1):
        criterion.activity = activity
        criterion.order = order
        criterion.full_clean(exclude=["activity"], validate_constraints=False)
    activity.criteria.all().delete()
    saved = JudgingCriterion.objects.bulk_create(criteria)
    audit.record(
        ActivitiesEvent.JUDGING_SET,
        activity,
        acting_user=acting_user,
        criteria=[[c.name, c.weight, c.max_points] for c in saved],
    )
    return saved


def judge_refusal(activity: Activity, person: Person) -> str | None:
    """Why `person` may not judge `activity`; None if they may."""
    if (
        person.kind == Person.Kind.STUDENT
        and SignUp.objects.filter(activity=activity, person=person).exists()
    ):
        return _("%(name)s takes part in the activity and may not judge it.") % {
            "name": person.name
        }
    return None


@transaction.atomic
def set_judges(activity: Activity, people: Iterable[Person], *, acting_user: User) -> None:
    """The activity's judges: teachers and staff, students only if they take
    no part. A judge who has given points stays; one who leaves takes their
    other assignments with them."""
    activity = _locked(activity)
    _refuse_published(activity)
    people = list(people)
    refusals = [reason for person in people if (reason := judge_refusal(activity, person))]
    if refusals:
        raise ValidationError(refusals)
    new = {person.pk for person in people}
    leaving = set(activity.judges.values_list("pk", flat=True)) - new
    scored = Person.objects.filter(
        pk__in=leaving,
        judge_assignments__activity=activity,
        judge_assignments__scores__isnull=False,
    ).distinct()
    if scored:
        raise ValidationError(
            _("%(names)s already scored and stay on the judges.")
            % {"names": "、".join(person.name for person in scored)}
        )
    dropped, _kinds = JudgeAssignment.objects.filter(
        activity=activity, judge_id__in=leaving
    ).delete()
    activity.judges.set(people)
    audit.record(
        ActivitiesEvent.JUDGING_SET,
        activity,
        acting_user=acting_user,
        judges=sorted(person.name for person in people),
        assignments_dropped=dropped,
    )


# Assignments


@dataclass
class Conflicts:
    """Who may not judge which entry of an activity, worked out in three queries."""

    entries: dict[int, Entry]
    # Each entry's authors: the student alone, or the team's members and its submitter.
    authors: dict[int, set[int]] = field(default_factory=dict)
    classes: dict[int, set[int]] = field(default_factory=dict)
    counsellors: dict[int, set[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, activity: Activity, entries: Iterable[Entry] | None = None) -> Conflicts:
        if entries is None:
            entries = Entry.objects.filter(activity=activity)
        found = cls({entry.pk: entry for entry in entries})
        authors: dict[int, set[int]] = defaultdict(set)
        classes: dict[int, set[int]] = defaultdict(set)
        teams: dict[int, list[int]] = defaultdict(list)
        for entry in found.entries.values():
            authors[entry.pk].add(entry.person_id)
            if entry.team_id:
                teams[entry.team_id].append(entry.pk)
        people = {pk for pks in authors.values() for pk in pks}
        members = SignUp.objects.filter(team_id__in=teams).values_list("team_id", "person_id")
        for team_id, person_id in members:
            people.add(person_id)
            for entry_id in teams[team_id]:
                authors[entry_id].add(person_id)
        class_of = dict(
            Person.objects.filter(pk__in=people, admin_class__isnull=False).values_list(
                "pk", "admin_class_id"
            )
        )
        for entry_id, pks in authors.items():
            classes[entry_id] = {class_of[pk] for pk in pks if pk in class_of}
        counsellor_of = dict(
            AdminClass.objects.filter(
                pk__in=set(class_of.values()), counsellor__isnull=False
            ).values_list("pk", "counsellor_id")
        )
        found.authors, found.classes = authors, classes
        found.counsellors = {
            entry_id: {counsellor_of[pk] for pk in pks if pk in counsellor_of}
            for entry_id, pks in classes.items()
        }
        return found

    def reason(self, judge: Person, entry_id: int) -> str | None:
        """Why the judge may not score the entry; None if they may."""
        entry = self.entries[entry_id]
        if judge.pk in self.authors.get(entry_id, ()):
            if entry.team_id:
                return _("%(name)s is on the team of %(entry)s.")
            return _("%(name)s submitted %(entry)s.")
        if judge.admin_class_id is not None and judge.admin_class_id in self.classes.get(
            entry_id, ()
        ):
            return _("%(name)s is in the class of an author of %(entry)s.")
        if judge.pk in self.counsellors.get(entry_id, ()):
            return _("%(name)s counsels the class of an author of %(entry)s.")
        return None


def _check_assignable(activity: Activity) -> None:
    if not is_judged(activity):
        raise ValidationError(_("This activity's entries are not judged here."))
    _refuse_published(activity)


@transaction.atomic
def assign(
    activity: Activity, judge: Person, entry: Entry, *, acting_user: User
) -> JudgeAssignment:
    """Give a judge an entry of the activity to score; refused when it is of
    their own team or class."""
    activity = _locked(activity)
    _check_assignable(activity)
    if not activity.judges.filter(pk=judge.pk).exists():
        raise ValidationError(_("%(name)s is not a judge of the activity.") % {"name": judge.name})
    if entry.activity_id != activity.pk:
        raise ValidationError(_("The entry is not of this activity."))
    reason = Conflicts.of(activity, [entry]).reason(judge, entry.pk)
    if reason:
        raise ValidationError(reason % {"name": judge.name, "entry": entry.title})
    assignment, created = JudgeAssignment.objects.get_or_create(
        activity=activity, judge=judge, entry=entry
    )
    if created:
        audit.record(
            ActivitiesEvent.ASSIGNED,
            activity,
            acting_user=acting_user,
            judge=judge.name,
            entry=entry.pk,
        )
        tell_judges(activity)
    return assignment


@dataclass(frozen=True)
class Assigned:
    created: int
    skipped: int


@transaction.atomic
def assign_all(activity: Activity, *, acting_user: User) -> Assigned:
    """Every entry to every judge who may score it; the pairs that conflict
    are skipped and counted."""
    activity = _locked(activity)
    _check_assignable(activity)
    conflicts = Conflicts.of(activity)
    rows, skipped = [], 0
    for judge in activity.judges.all():
        for entry_id in conflicts.entries:
            if conflicts.reason(judge, entry_id):
                skipped += 1
            else:
                rows.append(JudgeAssignment(activity=activity, judge=judge, entry_id=entry_id))
    before = JudgeAssignment.objects.filter(activity=activity).count()
    JudgeAssignment.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    created = JudgeAssignment.objects.filter(activity=activity).count() - before
    audit.record(
        ActivitiesEvent.ASSIGNED,
        activity,
        acting_user=acting_user,
        all_entries=True,
        created=created,
        skipped=skipped,
    )
    tell_judges(activity)
    return Assigned(created, skipped)


def tell_judges(activity: Activity) -> int:
    """Tell each judge how many entries they have to score, once for each
    number: new assignments tell them again. Returns how many were told."""
    to_score = dict(
        JudgeAssignment.objects.filter(activity=activity, scored_at__isnull=True)
        .values("judge")
        .annotate(count=Count("pk"))
        .values_list("judge", "count")
    )
    link = reverse("activities:my_judging")
    return deliver(
        Message(
            recipient_id=person_id,
            kind=ACTIVITIES,
            title=_("%(activity)s: %(count)d entries for you to judge")
            % {"activity": activity.title, "count": count},
            link=link,
            key=f"activity_judging:{activity.pk}:{person_id}:{count}",
            created_at=clock.now(),
        )
        for person_id, count in to_score.items()
    )


@transaction.atomic
def unassign(assignment: JudgeAssignment, *, acting_user: User) -> None:
    """Take back an assignment whose sheet is not complete (its points go with it)."""
    _refuse_published(assignment.activity)
    if assignment.scored_at is not None:
        raise ValidationError(_("The sheet is scored: the assignment stays."))
    assignment.delete()
    audit.record(
        ActivitiesEvent.ASSIGNED,
        assignment.activity,
        acting_user=acting_user,
        removed=True,
        judge=str(assignment.judge),
        entry=assignment.entry_id,
    )


# Score sheets


@transaction.atomic
def save_sheet(
    assignment: JudgeAssignment,
    points: Mapping[int, Decimal | None],
    *,
    comment: str = "",
    acting_user: User,
) -> Decimal | None:
    """The judge's points per criterion (by its pk; None or absent: not yet)
    and a comment, replacing the earlier ones. The sheet is complete once
    every criterion is scored; returns its score then, else None."""
    activity = _locked(assignment.activity)
    reason = closed_reason(activity)
    if reason:
        raise ValidationError(reason)
    criteria = list(activity.criteria.all())
    if not criteria:
        raise ValidationError(_("The activity has no criteria yet."))
    scoring.check_sheet(points, criteria, complete=False)
    given: dict[int, Decimal] = {}
    for criterion in criteria:
        value = points.get(criterion.pk)
        if value is not None:
            given[criterion.pk] = Decimal(value)
    JudgeScore.objects.bulk_create(
        [
            JudgeScore(assignment=assignment, criterion_id=pk, points=value)
            for pk, value in given.items()
        ],
        update_conflicts=True,
        unique_fields=["assignment", "criterion"],
        update_fields=["points"],
    )
    assignment.scores.exclude(criterion_id__in=given).delete()
    score = scoring.sheet_score(given, criteria)
    assignment.comment = comment
    assignment.scored_at = clock.now() if score is not None else None
    assignment.save(update_fields=["comment", "scored_at"])
    audit.record(
        ActivitiesEvent.SCORED,
        activity,
        acting_user=acting_user,
        entry=assignment.entry_id,
        judge=str(assignment.judge),
        points={c.name: str(given[c.pk]) for c in criteria if c.pk in given},
        score=str(score) if score is not None else None,
    )
    return score


# The ranking


def authors_of(entry: Entry) -> list[Person]:
    """Who made the entry: the team's members, its leader first, or the student alone.
    (Prefetch `team__members__person__admin_class` for many.)"""
    if entry.team_id is None or entry.team is None:
        return [entry.person]
    members = [signup.person for signup in entry.team.members.all()]
    members.sort(key=lambda person: person.pk != entry.team.leader_id)  # type: ignore[union-attr]
    return members or [entry.person]


def entries_with_authors(activity: Activity) -> Iterable[Entry]:
    return (
        Entry.objects.filter(activity=activity)
        .select_related("person__admin_class", "team")
        .prefetch_related(
            Prefetch(
                "team__members",
                queryset=SignUp.objects.select_related("person__admin_class").order_by("pk"),
            )
        )
    )


@dataclass
class EntryResult:
    entry: Entry
    assigned: int = 0
    done: int = 0
    score: Decimal | None = None
    criterion_means: dict[int, Decimal | None] = field(default_factory=dict)
    place: int | None = None
    tied: bool = False

    def criterion_list(self, criteria: Sequence[JudgingCriterion]) -> list[Decimal | None]:
        return [self.criterion_means.get(criterion.pk) for criterion in criteria]

    @property
    def authors(self) -> list[Person]:
        return authors_of(self.entry)


@dataclass
class Results:
    activity: Activity
    criteria: list[JudgingCriterion]
    rows: list[EntryResult]

    @property
    def sheets_done(self) -> int:
        return sum(row.done for row in self.rows)

    @property
    def sheets_assigned(self) -> int:
        return sum(row.assigned for row in self.rows)


def results(activity: Activity) -> Results:
    """Every entry with the mean score of its complete sheets, its sheets done
    and assigned, its mean points per criterion and its place (ties share
    it), best first. Five queries whatever the number of entries and judges."""
    criteria = list(activity.criteria.all())
    rows = {entry.pk: EntryResult(entry) for entry in entries_with_authors(activity)}
    sheets = JudgeAssignment.objects.filter(activity=activity).values_list("pk", "entry_id")
    points = JudgeScore.objects.filter(assignment__activity=activity).values_list(
        "assignment_id", "criterion_id", "points"
    )
    for entry_id, tallied in scoring.tally(sheets, points, criteria).items():
        row = rows[entry_id]
        row.assigned, row.done = tallied.assigned, tallied.done
        row.score, row.criterion_means = tallied.score, tallied.criterion_means
    ranked = scoring.rank(rows.values(), lambda row: row.score)
    for place in ranked:
        place.item.place, place.item.tied = place.rank, place.tied
    return Results(activity, criteria, [place.item for place in ranked])


# Awards


@dataclass(frozen=True)
class Given:
    awards: list[Award]
    # Entries tied at a prize's last place, given that prize with the others.
    tied_up: list[Award]


def prize_for(place: int, counts: Mapping[Prize, int | None]) -> str | None:
    """The prize of the entry at `place` (a tie's shared place): the first
    whose share of places reaches it. A count of None takes every place left."""
    reached = 0
    for prize in PRIZES:
        count = counts.get(prize)
        if count is None:
            return prize.value
        reached += count
        if place <= reached:
            return prize.value
    return None


def _last_place(prize: str, counts: Mapping[Prize, int | None]) -> int | None:
    reached = 0
    for each in PRIZES:
        count = counts.get(each)
        if count is None:
            return None
        reached += count
        if each == prize:
            return reached
    return None


def unfinished_sheets(activity: Activity) -> int:
    return JudgeAssignment.objects.filter(activity=activity, scored_at__isnull=True).count()


@transaction.atomic
def give_awards(
    activity: Activity, counts: Mapping[Prize, int | None], *, acting_user: User
) -> Given:
    """Give the prizes down the ranking: `counts` says how many places each
    prize takes (None for the last one given: every scored entry left).
    Entries tied at a prize's last place all get it. Replaces the awards
    given before; refused while a sheet is unfinished."""
    activity = _locked(activity)
    _check_assignable(activity)
    if any(count is not None and count < 0 for count in counts.values()):
        raise ValidationError(_("A prize is given to no fewer than 0 entries."))
    if not any(count is None or count > 0 for count in counts.values()):
        raise ValidationError(_("Give at least one prize."))
    unfinished = unfinished_sheets(activity)
    if unfinished:
        raise ValidationError(
            _("%(count)d sheets are not finished: have them finished or take them back first.")
            % {"count": unfinished}
        )
    ranking = [(row, row.place) for row in results(activity).rows if row.place is not None]
    if not ranking:
        raise ValidationError(_("No entry is scored yet."))
    activity.awards.all().delete()
    rows: list[Award] = []
    tied_up: list[Award] = []
    group_size = Counter(place for _row, place in ranking)
    for row, place in ranking:
        prize = prize_for(place, counts)
        if prize is None:
            break
        award = Award(activity=activity, entry=row.entry, prize=prize, score=row.score, rank=place)
        rows.append(award)
        last = _last_place(prize, counts)
        # A tie that runs past the prize's last place: all of it gets the prize.
        if last is not None and place + group_size[place] - 1 > last:
            tied_up.append(award)
    Award.objects.bulk_create(rows)
    audit.record(
        ActivitiesEvent.AWARDS_GIVEN,
        activity,
        acting_user=acting_user,
        counts={str(prize): counts.get(prize) for prize in PRIZES if prize in counts},
        given={prize.value: sum(1 for a in rows if a.prize == prize) for prize in PRIZES},
        tied_up=[award.entry_id for award in tied_up],
    )
    return Given(rows, tied_up)


def stale_awards(activity: Activity, ranking: Results | None = None) -> bool:
    """Whether the scores changed since the awards were given."""
    ranking = ranking or results(activity)
    now = {row.entry.pk: (row.score, row.place) for row in ranking.rows}
    given = activity.awards.values_list("entry_id", "score", "rank")
    return any(now.get(entry_id) != (score, rank) for entry_id, score, rank in given)


def awards_of(activity: Activity) -> list[Award]:
    """The awards in order of place, their entries' authors at hand."""
    entries = {entry.pk: entry for entry in entries_with_authors(activity)}
    awards = list(activity.awards.order_by("rank", "pk"))
    for award in awards:
        award.entry = entries[award.entry_id]
    return awards


def by_prize(awards: Sequence[Award]) -> list[tuple[str, list[tuple[Award, list[Person]]]]]:
    """The awards under each prize given, best first, each with its authors."""
    return [
        (str(prize.label), [(a, authors_of(a.entry)) for a in awards if a.prize == prize])
        for prize in PRIZES
        if any(a.prize == prize for a in awards)
    ]


# Publication


def results_section() -> Section:
    return Section.find_or_make(RESULTS_SLUG, RESULTS_NAME, position=2)


def _day(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment, clock.BEIJING), "DATE_FORMAT")


def _person(person: Person) -> str:
    if person.admin_class is None:
        return person.name
    return _("%(name)s (%(class)s)") % {"name": person.name, "class": person.admin_class.name}


def winner_line(award: Award) -> str:
    """An award as the notice names it: the entry, its team and each author with their class."""
    entry = award.entry
    names = "、".join(_person(p) for p in authors_of(entry))
    if entry.team is not None:
        return _("“%(title)s”, team %(team)s: %(names)s") % {
            "title": entry.title,
            "team": entry.team.name,
            "names": names,
        }
    return _("“%(title)s”: %(names)s") % {"title": entry.title, "names": names}


def notice_title(activity: Activity) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Public notice of the results of %(activity)s") % {"activity": activity.title}
    return title[: Article._meta.get_field("title").max_length]


def notice_text(activity: Activity, published_at: dt.datetime) -> str:
    """The notice's body, written from the award rows in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        awards = awards_of(activity)
        paragraphs = [
            _(
                "The judging of %(activity)s, organised by %(organiser)s, is complete. "
                "The results are made public as follows."
            )
            % {"activity": activity.title, "organiser": activity.organiser}
        ]
        for prize in PRIZES:
            given = [award for award in awards if award.prize == prize]
            if not given:
                continue
            heading = _("%(prize)s (%(count)d)") % {"prize": prize.label, "count": len(given)}
            paragraphs.append("\n".join([heading, *(winner_line(award) for award in given)]))
        ends = published_at + dt.timedelta(days=activity.objection_days)
        paragraphs.append(
            _(
                "The results are open to objection from %(start)s to %(end)s "
                "(%(days)d days). A student the activity is open to may raise an objection "
                "under their own name after logging in, at %(link)s, or write to %(organiser)s."
            )
            % {
                "start": _day(published_at),
                "end": _day(ends),
                "days": activity.objection_days,
                "link": reverse("activities:objection", args=[activity.pk]),
                "organiser": activity.organiser,
            }
        )
        paragraphs.append(f"{activity.organiser}\n{_day(published_at)}")
    return "\n\n".join(paragraphs)


@transaction.atomic
def publish_results(
    activity: Activity, *, objection_days: int | None = None, acting_user: User
) -> Article:
    """Publish the awards to the bulletin's 评选公示, open to objection for
    `objection_days` (the activity's own by default); the participants are told."""
    activity = _locked(activity)
    _check_assignable(activity)
    if not activity.awards.exists():
        raise ValidationError(_("Give the awards first."))
    if unfinished_sheets(activity):
        raise ValidationError(
            _("Some sheets are not finished: give the awards again once they are.")
        )
    if stale_awards(activity):
        raise ValidationError(_("The scores changed since the awards were given: give them again."))
    if objection_days is not None:
        activity.objection_days = objection_days
        activity.full_clean(validate_unique=False, validate_constraints=False)
    now = clock.now()
    article = bulletin.save_article(
        None,
        section=results_section(),
        title=notice_title(activity),
        body=notice_text(activity, now),
        source=activity.organiser,
        acting_user=acting_user,
    )
    article = bulletin.publish_article(article, published_at=now, acting_user=acting_user)
    activity.results_published_at = now
    activity.results_article = article
    activity.save(update_fields=["objection_days", "results_published_at", "results_article"])
    audit.record(
        ActivitiesEvent.RESULTS_PUBLISHED,
        activity,
        acting_user=acting_user,
        article=article.pk,
        objection_days=activity.objection_days,
    )
    participants = Person.objects.filter(activity_signups__activity=activity).distinct()
    send(
        participants,
        ACTIVITIES,
        _("The results of %(activity)s are published") % {"activity": activity.title},
        link=reverse("activities:results", args=[activity.pk]),
        key_for=lambda person: f"activity_results:{activity.pk}:{person.pk}",
    )
    return article


# Objections and the final results


def in_objection_period(activity: Activity) -> bool:
    ends = activity.objection_ends_at
    return ends is not None and activity.results_final_at is None and clock.now() <= ends


def objection_refusal(activity: Activity, person: Person | None) -> str | None:
    """Why `person` may not object to the activity's results now; None if they may."""
    if activity.results_published_at is None:
        return _("The results are not published.")
    if not in_objection_period(activity):
        return _("The objection period is over.")
    if person is None:
        return _("Only students take part.")
    return audience_refusal(activity, person)


@transaction.atomic
def raise_objection(
    activity: Activity, person: Person, text: str, *, acting_user: User
) -> Objection:
    """A student's objection to published results, within the objection period;
    the runners are told."""
    activity = _locked(activity)
    reason = objection_refusal(activity, person)
    if reason:
        raise ValidationError(reason)
    if not text.strip():
        raise ValidationError(_("Say what the objection is."))
    objection = Objection.objects.create(activity=activity, person=person, text=text.strip())
    audit.record(
        ActivitiesEvent.OBJECTION_RAISED, activity, acting_user=acting_user, objection=objection.pk
    )
    send(
        activity.organisers.all(),
        ACTIVITIES,
        _("An objection to the results of %(activity)s") % {"activity": activity.title},
        link=reverse("activities:results", args=[activity.pk]),
        key_for=lambda runner: f"activity_objection:{objection.pk}:{runner.pk}",
    )
    return objection


@transaction.atomic
def answer_objection(objection: Objection, answer: str, *, acting_user: User) -> Objection:
    """The runners' answer (or a changed one) before the results are final; the objector is told."""
    activity = _locked(objection.activity)
    if activity.results_final_at is not None:
        raise ValidationError(_("The results are final."))
    if not answer.strip():
        raise ValidationError(_("Write the answer."))
    objection.answer = answer.strip()
    objection.answered_at = clock.now()
    objection.save(update_fields=["answer", "answered_at"])
    audit.record(
        ActivitiesEvent.OBJECTION_ANSWERED,
        activity,
        acting_user=acting_user,
        objection=objection.pk,
    )
    send(
        [objection.person],
        ACTIVITIES,
        _("Your objection to the results of %(activity)s is answered")
        % {"activity": activity.title},
        link=reverse("activities:objection", args=[activity.pk]),
        key_for=lambda person: f"activity_objection_answer:{objection.pk}:{person.pk}",
    )
    return objection


def final_refusal(activity: Activity) -> str | None:
    """Why the results may not be made final now; None if they may."""
    if activity.results_published_at is None:
        return _("The results are not published.")
    if activity.results_final_at is not None:
        return _("The results are final.")
    ends = activity.objection_ends_at
    if ends is not None and clock.now() <= ends:
        return _("The objection period ends at %(time)s.") % {
            "time": date_format(timezone.localtime(ends, clock.BEIJING), "DATETIME_FORMAT")
        }
    open_ = activity.objections.filter(answered_at__isnull=True).count()
    if open_:
        return _("%(count)d objections are not answered yet.") % {"count": open_}
    return None


@transaction.atomic
def make_final(activity: Activity, *, acting_user: User) -> Activity:
    """The results stand: after the objection period, every objection
    answered. The winners are told their certificates are ready."""
    activity = _locked(activity)
    reason = final_refusal(activity)
    if reason:
        raise ValidationError(reason)
    activity.results_final_at = clock.now()
    activity.save(update_fields=["results_final_at"])
    audit.record(ActivitiesEvent.RESULTS_FINAL, activity, acting_user=acting_user)
    messages = []
    for award in awards_of(activity):
        for person in authors_of(award.entry):
            messages.append(
                Message(
                    recipient_id=person.pk,
                    kind=ACTIVITIES,
                    title=_("%(activity)s: your %(prize)s certificate is ready")
                    % {"activity": activity.title, "prize": award.get_prize_display()},
                    link=reverse("activities:certificate", args=[award.pk]),
                    key=f"activity_certificate:{award.pk}:{person.pk}",
                    created_at=clock.now(),
                )
            )
    deliver(messages)
    return activity
