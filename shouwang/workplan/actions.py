"""The work plan's workflows: the plan and its outline saved, a measure run
as a project (milestones, expenditures, status, completion, breakthrough),
progress reports written and scored, meeting decisions turned into work.

Each is atomic and writes an audit entry against the measure it changed (the
plan for the outline): a measure's entries are its history, so each entry's
data says what changed in words a reader of the history understands.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from shouwang.core import audit
from shouwang.incidents.models import Decision
from shouwang.lib import clock
from shouwang.notify.actions import send
from shouwang.people.access import LeaderReach
from shouwang.people.models import Person

from .audit import WorkplanEvent
from .message_kinds import COMPLETION, REPORT_SCORED
from .models import (
    OWNER_STATUSES,
    Area,
    Evidence,
    Expenditure,
    KeyPoint,
    Measure,
    Milestone,
    Plan,
    Report,
    ReportFile,
    Status,
)

if TYPE_CHECKING:
    from shouwang.accounts.models import User


def _next_number(numbers: Iterable[int | None]) -> int:
    return max((number or 0 for number in numbers), default=0) + 1


@transaction.atomic
def save_plan(plan: Plan, *, acting_user: User) -> Plan:
    """Create or change a plan; its measures' reports follow its schedule."""
    created = plan.pk is None
    plan.save()
    if not created:
        schedule_reports(Measure.objects.filter(key_point__area__plan=plan))
    audit.record(
        WorkplanEvent.PLAN_SAVED,
        plan,
        acting_user=acting_user,
        created=created,
        title=plan.title,
        year=plan.year,
    )
    return plan


@transaction.atomic
def save_area(area: Area, *, acting_user: User) -> Area:
    """Create (numbered next when it has no number) or change an area."""
    if area.number is None:
        area.number = _next_number(area.plan.areas.values_list("number", flat=True))
    created = area.pk is None
    area.save()
    audit.record(
        WorkplanEvent.OUTLINE_SAVED,
        area.plan,
        acting_user=acting_user,
        created=created,
        detail=str(area),
    )
    return area


@transaction.atomic
def save_key_point(key_point: KeyPoint, *, acting_user: User) -> KeyPoint:
    """Create (numbered next within its area) or change a key point."""
    if key_point.number is None:
        key_point.number = _next_number(key_point.area.key_points.values_list("number", flat=True))
    created = key_point.pk is None
    key_point.save()
    audit.record(
        WorkplanEvent.OUTLINE_SAVED,
        key_point.area.plan,
        acting_user=acting_user,
        created=created,
        detail=f"{key_point.area.label}{key_point}",
    )
    return key_point


# The fields a measure's history names when they change.
MEASURE_FIELDS = (
    "title",
    "description",
    "owner_unit",
    "owner",
    "branch",
    "post",
    "starts_on",
    "due_on",
    "budget",
)


def _described(measure: Measure, name: str) -> str:
    value = getattr(measure, name)
    return "" if value is None else str(value)


@transaction.atomic
def save_measure(
    measure: Measure,
    *,
    co_owners: Iterable[Person] | None = None,
    acting_user: User,
) -> Measure:
    """Create (numbered next within its key point) or change a measure, its
    co-owners (None leaves them) and its reports' schedule. The history
    names each field that changed, old and new."""
    created = measure.pk is None
    changes: dict[str, list[str]] = {}
    if not created:
        before = Measure.objects.get(pk=measure.pk)
        changes = {
            name: [_described(before, name), _described(measure, name)]
            for name in MEASURE_FIELDS
            if getattr(before, name) != getattr(measure, name)
        }
    elif measure.number is None:
        measure.number = _next_number(measure.key_point.measures.values_list("number", flat=True))
    measure.save()
    if co_owners is not None:
        people = [person for person in co_owners if person.pk != measure.owner_id]
        old = set(measure.co_owners.values_list("pk", flat=True))
        if old != {person.pk for person in people}:
            measure.co_owners.set(people)
            changes["co_owners"] = [
                "、".join(sorted(Person.objects.filter(pk__in=old).values_list("name", flat=True))),
                "、".join(sorted(person.name for person in people)),
            ]
    schedule_reports([measure])
    if created or changes:
        audit.record(
            WorkplanEvent.MEASURE_SAVED,
            measure,
            acting_user=acting_user,
            created=created,
            changes=changes,
        )
    return measure


def schedule_reports(measures: Iterable[Measure]) -> int:
    """Make each measure's progress reports due on its plan's report dates
    from its start to its due date (at least the first after it starts).
    Reports already made stay; returns how many are new."""
    rows: list[Report] = []
    for measure in measures:
        plan = measure.key_point.area.plan
        start = measure.starts_on or plan.starts_on
        end = measure.due_on or plan.ends_on
        dates = [day for day in plan.report_dates() if start <= day]
        due = [day for day in dates if day <= end] or dates[:1]
        rows.extend(Report(measure=measure, due_on=day) for day in due)
    before = Report.objects.count()
    Report.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return Report.objects.count() - before


@transaction.atomic
def set_status(measure: Measure, status: str, *, acting_user: User) -> Measure:
    """The owner's status: not started, in progress or paused."""
    if status not in OWNER_STATUSES:
        raise ValidationError(_("An owner sets a measure not started, in progress or paused."))
    if measure.status == Status.DONE:
        raise ValidationError(_("The measure is done: a leader accepted it."))
    old = measure.status
    measure.status = status
    measure.completion_reported_at = None
    measure.save(update_fields=["status", "completion_reported_at"])
    audit.record(WorkplanEvent.STATUS_SET, measure, acting_user=acting_user, old=old, new=status)
    return measure


@transaction.atomic
def report_completion(measure: Measure, *, note: str = "", acting_user: User) -> Measure:
    """The owner says the measure is complete; its plan's leaders are asked to accept it."""
    if measure.status == Status.DONE:
        raise ValidationError(_("The measure is done: a leader accepted it."))
    measure.completion_reported_at = clock.now()
    if measure.status == Status.NOT_STARTED:
        measure.status = Status.IN_PROGRESS
    measure.save(update_fields=["completion_reported_at", "status"])
    audit.record(WorkplanEvent.COMPLETION_REPORTED, measure, acting_user=acting_user, note=note)
    send(
        plan_leaders(measure.key_point.area.plan),
        COMPLETION,
        _("%(measure)s is reported complete") % {"measure": measure.title},
        note,
        measure.get_absolute_url(),
        key_for=lambda person: (
            f"plan_completion:{measure.pk}:{measure.completion_reported_at:%s}:{person.pk}"
        ),
    )
    return measure


@transaction.atomic
def decide_completion(
    measure: Measure, *, accept: bool, comment: str = "", acting_user: User
) -> Measure:
    """A leader accepts the reported completion (done) or sends it back (in progress)."""
    if measure.completion_reported_at is None:
        raise ValidationError(_("The owner has not reported the measure complete."))
    if accept:
        measure.status = Status.DONE
        measure.accepted_at = clock.now()
        measure.accepted_by = acting_user
    else:
        measure.status = Status.IN_PROGRESS
    measure.completion_reported_at = None if not accept else measure.completion_reported_at
    measure.save(update_fields=["status", "accepted_at", "accepted_by", "completion_reported_at"])
    audit.record(
        WorkplanEvent.COMPLETION_DECIDED,
        measure,
        acting_user=acting_user,
        accepted=accept,
        comment=comment,
    )
    return measure


@transaction.atomic
def save_milestone(milestone: Milestone, *, acting_user: User) -> Milestone:
    """Add or change a milestone (its title, date, or done date)."""
    created = milestone.pk is None
    milestone.save()
    audit.record(
        WorkplanEvent.MILESTONE_SAVED,
        milestone.measure,
        acting_user=acting_user,
        created=created,
        milestone=milestone.title,
        due_on=milestone.due_on.isoformat(),
        done_on=milestone.done_on.isoformat() if milestone.done_on else None,
        decision=milestone.decision_id,
    )
    return milestone


@transaction.atomic
def book_expenditure(
    measure: Measure,
    *,
    amount: Decimal,
    spent_on: dt.date,
    purpose: str,
    acting_user: User,
) -> Expenditure:
    """Money spent on the measure; more than its budget is refused."""
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    spent = measure.expenditures.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    if spent + amount > measure.budget:
        raise ValidationError(
            _("That would spend ¥%(total)s of a budget of ¥%(budget)s.")
            % {"total": spent + amount, "budget": measure.budget}
        )
    expenditure = Expenditure.objects.create(
        measure=measure, amount=amount, spent_on=spent_on, purpose=purpose, booked_by=acting_user
    )
    audit.record(
        WorkplanEvent.EXPENDITURE_BOOKED,
        measure,
        acting_user=acting_user,
        amount=str(amount),
        spent_on=spent_on.isoformat(),
        purpose=purpose,
    )
    return expenditure


@transaction.atomic
def mark_breakthrough(
    measure: Measure, *, text: str, files: Sequence = (), acting_user: User
) -> Measure:
    """Mark the measure a breakthrough (突破性进展) with what it achieved and
    the files that show it; an empty text takes the mark away."""
    measure.is_breakthrough = bool(text.strip())
    measure.breakthrough = text.strip()
    measure.save(update_fields=["is_breakthrough", "breakthrough"])
    stored = Evidence.store(files, uploaded_by=acting_user, measure=measure)
    audit.record(
        WorkplanEvent.BREAKTHROUGH_MARKED,
        measure,
        acting_user=acting_user,
        breakthrough=measure.breakthrough,
        files=[file.name for file in stored],
    )
    return measure


@transaction.atomic
def submit_report(report: Report, *, text: str, files: Sequence = (), acting_user: User) -> Report:
    """The owner writes what was done, with files; a report written again
    before it is scored is replaced, a scored one is final."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.score is not None:
        raise ValidationError(_("The report is scored: it can no longer be changed."))
    report.text = text
    report.submitted_at = clock.now()
    report.submitted_by = acting_user
    report.save(update_fields=["text", "submitted_at", "submitted_by"])
    stored = ReportFile.store(files, uploaded_by=acting_user, report=report)
    audit.record(
        WorkplanEvent.REPORT_SUBMITTED,
        report.measure,
        acting_user=acting_user,
        due_on=report.due_on.isoformat(),
        late=report.is_late,
        files=[file.name for file in stored],
    )
    return report


@transaction.atomic
def score_report(report: Report, *, score: int, comment: str = "", acting_user: User) -> Report:
    """A leader scores a submitted report 1–5; its owners are told."""
    if report.submitted_at is None:
        raise ValidationError(_("A report is scored once it is submitted."))
    if not 1 <= score <= 5:
        raise ValidationError(_("A score is 1 to 5."))
    report.score, report.comment = score, comment
    report.scored_at, report.scored_by = clock.now(), acting_user
    report.save(update_fields=["score", "comment", "scored_at", "scored_by"])
    measure = report.measure
    audit.record(
        WorkplanEvent.REPORT_SCORED,
        measure,
        acting_user=acting_user,
        due_on=report.due_on.isoformat(),
        score=score,
        comment=comment,
    )
    send(
        owners(measure),
        REPORT_SCORED,
        _("Your report on %(measure)s scored %(score)d/5")
        % {"measure": measure.title, "score": score},
        comment,
        report.get_absolute_url(),
        key_for=lambda person: f"plan_report_scored:{report.pk}:{score}:{person.pk}",
    )
    return report


def owners(measure: Measure) -> list[Person]:
    """The owner and the co-owners."""
    return [measure.owner, *measure.co_owners.exclude(pk=measure.owner_id)]


def plan_leaders(plan: Plan) -> list[Person]:
    """The active leaders whose reach covers the plan's unit."""
    return LeaderReach().over(plan.unit_id)


@transaction.atomic
def milestone_from_decision(
    decision: Decision, measure: Measure, *, title: str, due_on: dt.date, acting_user: User
) -> Milestone:
    """A meeting's decision becomes a milestone of a measure."""
    milestone = Milestone(measure=measure, title=title, due_on=due_on, decision=decision)
    save_milestone(milestone, acting_user=acting_user)
    audit.record(
        WorkplanEvent.FROM_DECISION,
        measure,
        acting_user=acting_user,
        meeting=decision.meeting.title,
        decision=decision.text,
        milestone=title,
    )
    return milestone


@transaction.atomic
def measure_from_decision(decision: Decision, measure: Measure, *, acting_user: User) -> Measure:
    """A meeting's decision becomes a new measure (unsaved `measure`, its key point set)."""
    measure.decision = decision
    save_measure(measure, co_owners=(), acting_user=acting_user)
    audit.record(
        WorkplanEvent.FROM_DECISION,
        measure,
        acting_user=acting_user,
        meeting=decision.meeting.title,
        decision=decision.text,
    )
    return measure
