"""The judging of the college's contests and calls for works whose entries
closed before the demo's now, and their results (评选公示).

For each such activity (it takes entries, is run here, has judges named): the
contest's usual criteria unless it has its own, every entry assigned to every
judge who may score it (entries of a judge's own class or team skipped), the
judges' sheets over the day after entries closed, the awards (一等奖 1–2,
二等奖 1–3, 三等奖 1–5 as the entries allow, 优秀奖 about half of the rest),
the results published to the bulletin's 评选公示 two days after entries
closed at 10:00 with a three-day objection period, and made final the
morning after the period if that came before the demo's now. The first activity made final had one
objection, answered the next day. Whatever would fall after the demo's now is
left undone: an activity may still be in judging or open to objection.

Each judge's points come from the entry's merit, the judge's own leniency and
a little noise, in half points, from the step's own random generator; the
first two activities with enough entries have a tie near the top. A
judge with no login of their own handed a paper sheet that the organiser
entered. Everything goes through `shouwang.activities.judging` on the demo's
clock set back to the moment it happened.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from shouwang.accounts.models import Role, User
from shouwang.activities import judging
from shouwang.activities.models import (
    Activity,
    JudgeAssignment,
    JudgingCriterion,
    Objection,
    Prize,
)
from shouwang.bulletin.models import Article
from shouwang.lib import clock
from shouwang.people.models import Person

from .context import Demo
from .lockdown import NOW

PUBLISH_AFTER_DAYS = 2
PUBLISH_AT = dt.time(10, 0)
OBJECTION_DAYS = 3
FINAL_AT = dt.time(9, 0)
# Activities whose second and third places tie, the first ones judged with enough entries.
TIES = 2
TIE_NEEDS = 5


def due(now: dt.datetime = NOW) -> list[Activity]:
    """The activities judged here whose entries closed before `now`, with
    judges named and results not yet published."""
    found = (
        Activity.objects.filter(
            external=False,
            entries_close_at__lt=now,
            results_published_at__isnull=True,
            judges__isnull=False,
        )
        .distinct()
        .order_by("entries_close_at", "pk")
    )
    return [activity for activity in found if judging.is_judged(activity)]


def _login(person: Person) -> User | None:
    return User.objects.filter(person=person, is_active=True).first()


def _runner(demo: Demo, activity: Activity) -> User:
    """The organiser who runs it, or the college's leader."""
    for person in activity.organisers.order_by("pk"):
        user = _login(person)
        if user is not None:
            return user
    return demo.user(Role.LEADER)


def _points(
    merit: float, leniency: float, criteria: list[JudgingCriterion], rng: random.Random
) -> dict[int, Decimal]:
    """A sheet: each criterion's share of full marks near the entry's merit, in half points."""
    sheet = {}
    for criterion in criteria:
        share = min(0.99, max(0.4, (merit + leniency + rng.uniform(-4, 4)) / 100))
        halves = round(share * criterion.max_points * 2)
        sheet[criterion.pk] = Decimal(halves) / 2
    return sheet


def _tie(sheets: dict[int, dict[int, dict[int, Decimal]]], merits: dict[int, float]) -> None:
    """The second and third best entries (by merit) get the same points from
    the same judges, where the same judges score both."""
    ranked = sorted(merits, key=lambda entry_id: merits[entry_id], reverse=True)
    second, third = ranked[1], ranked[2]
    if sheets[second].keys() == sheets[third].keys() and sheets[second]:
        sheets[third] = {judge: dict(points) for judge, points in sheets[second].items()}


def _counts(scored: int) -> dict[Prize, int | None]:
    """一等奖 1–2, 二等奖 1–3, 三等奖 1–5 as the entries allow, 优秀奖 about half of the rest."""
    counts: dict[Prize, int | None] = {
        Prize.FIRST: 1 if scored < 15 else 2,
        Prize.SECOND: min(3, max(1, round(scored * 0.15))),
        Prize.THIRD: min(5, max(1, round(scored * 0.25))),
    }
    left = scored - sum(count or 0 for count in counts.values())
    counts[Prize.MERIT] = max(left, 0) // 2
    return counts


def _objection(activity: Activity, runner: User, published_at: dt.datetime) -> None:
    """A participant without a prize asks for a review; answered the next day."""
    awarded = {
        person.pk
        for award in judging.awards_of(activity)
        for person in judging.authors_of(award.entry)
    }
    signup = (
        activity.signups.exclude(person_id__in=awarded).select_related("person").order_by("pk")
    ).first()
    if signup is None:
        return
    raised_at = published_at + dt.timedelta(hours=30)
    if raised_at >= NOW:
        return
    student = _login(signup.person) or runner
    with clock.standing_at(raised_at):
        objection = judging.raise_objection(
            activity,
            signup.person,
            "本人作品得分明显偏低，是否存在评分遗漏？恳请复核。",
            acting_user=student,
        )
    # The clock runs on inside `standing_at`: the record says the minute, the
    # same on every build.
    Objection.objects.filter(pk=objection.pk).update(raised_at=raised_at)
    answered_at = raised_at + dt.timedelta(hours=20)
    if answered_at < NOW:
        with clock.standing_at(answered_at):
            judging.answer_objection(
                objection,
                "经评审组复核，各位评委评分表完整、计分无误，维持原评选结果。感谢你的关注。",
                acting_user=runner,
            )
        Objection.objects.filter(pk=objection.pk).update(answered_at=answered_at)


def _score(demo: Demo, activity: Activity, rng: random.Random, *, tie: bool) -> None:
    """The criteria, the assignments, and the judges' sheets over the day
    after entries closed, those before the demo's now."""
    runner = _runner(demo, activity)
    closed = activity.entries_close_at
    assert closed is not None  # noqa: S101 - `due` chose activities that take entries
    with clock.standing_at(closed + dt.timedelta(hours=1)):
        if not activity.criteria.exists():
            judging.set_criteria(activity, judging.default_criteria(), acting_user=runner)
        judging.assign_all(activity, acting_user=runner)
    criteria = list(activity.criteria.all())
    assignments = list(
        JudgeAssignment.objects.filter(activity=activity)
        .select_related("judge")
        .order_by("entry_id", "judge_id")
    )
    entry_ids = sorted({a.entry_id for a in assignments})
    merits = {entry_id: rng.uniform(66, 93) for entry_id in entry_ids}
    leniency = {
        judge_id: rng.uniform(-3, 3) for judge_id in sorted({a.judge_id for a in assignments})
    }
    sheets: dict[int, dict[int, dict[int, Decimal]]] = defaultdict(dict)
    for assignment in assignments:
        sheets[assignment.entry_id][assignment.judge_id] = _points(
            merits[assignment.entry_id], leniency[assignment.judge_id], criteria, rng
        )
    if tie and len(entry_ids) >= TIE_NEEDS:
        _tie(sheets, merits)
    started = closed + dt.timedelta(hours=2)
    for assignment in assignments:
        scored_at = started + dt.timedelta(minutes=rng.randint(0, 22 * 60))
        if scored_at >= NOW:
            continue
        with clock.standing_at(scored_at):
            judging.save_sheet(
                assignment,
                sheets[assignment.entry_id][assignment.judge_id],
                acting_user=_login(assignment.judge) or runner,
            )


def _publish(demo: Demo, activity: Activity, *, objection: bool) -> None:
    """The awards, their publication two days after entries closed, an
    objection if asked for, and the final results after the period: those
    before the demo's now."""
    runner = _runner(demo, activity)
    closed = activity.entries_close_at
    assert closed is not None  # noqa: S101 - `due` chose activities that take entries
    local_day = timezone.localtime(closed, clock.BEIJING).date()
    published_at = clock.at(local_day + dt.timedelta(days=PUBLISH_AFTER_DAYS), PUBLISH_AT)
    scored = sum(1 for row in judging.results(activity).rows if row.place is not None)
    if published_at >= NOW or not scored:
        return
    with clock.standing_at(published_at - dt.timedelta(hours=1)):
        judging.give_awards(activity, _counts(scored), acting_user=runner)
    with clock.standing_at(published_at):
        judging.publish_results(activity, objection_days=OBJECTION_DAYS, acting_user=runner)
    # The clock runs on inside `standing_at`: the public record says the
    # minute, the same on every build.
    Activity.objects.filter(pk=activity.pk).update(results_published_at=published_at)
    activity.refresh_from_db()
    if activity.results_article_id is not None:
        Article.objects.filter(pk=activity.results_article_id).update(published_at=published_at)
    if objection:
        _objection(activity, runner, published_at)
    final_day = local_day + dt.timedelta(days=PUBLISH_AFTER_DAYS + OBJECTION_DAYS + 1)
    final_at = clock.at(final_day, FINAL_AT)
    if final_at >= NOW:
        return
    with clock.standing_at(final_at):
        if judging.final_refusal(activity) is None:
            judging.make_final(activity, acting_user=runner)
    Activity.objects.filter(pk=activity.pk, results_final_at__isnull=False).update(
        results_final_at=final_at
    )


def judge_activities(demo: Demo) -> None:
    rng = demo.rng("activity_results")
    ties = 0
    objected = False
    for activity in due():
        tie = ties < TIES and activity.entries.count() >= TIE_NEEDS
        ties += tie
        # The first activity whose objection period is over before now has the objection.
        closed_day = timezone.localtime(activity.entries_close_at, clock.BEIJING).date()
        period_over = clock.at(
            closed_day + dt.timedelta(days=PUBLISH_AFTER_DAYS + OBJECTION_DAYS + 1), FINAL_AT
        )
        objection = not objected and period_over < NOW
        objected = objected or objection
        _score(demo, activity, rng, tie=tie)
        _publish(demo, activity, objection=objection)


RESULT_STEPS = [judge_activities]
