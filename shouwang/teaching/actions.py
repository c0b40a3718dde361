"""Teaching's workflows: the timetable and enrolments saved, a term's lessons
laid, teaching moved online, lessons marked, attendance recorded, readiness
answered, lessons observed.

Each is atomic and audited; rows are written set-based, and unique
constraints (one lesson per class, planned date and first period; one
enrolment per class and student; one attendance per lesson and student) make
every one of them safe to run again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from shouwang.core import audit
from shouwang.core.calendar import Calendar
from shouwang.core.models import CalendarDay
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.notify.actions import deliver
from shouwang.notify.models import Message
from shouwang.people.models import Person, Unit

from .audit import TeachingEvent
from .message_kinds import FEEDBACK, OBSERVATION
from .models import (
    Attendance,
    Criterion,
    Enrolment,
    Lesson,
    Observation,
    OnlineSwitch,
    Platform,
    Readiness,
    Slot,
    TeachingClass,
    Term,
)

if TYPE_CHECKING:
    from shouwang.accounts.models import User

# Lessons are written this many at a time.
BATCH = 2000


def planned_lessons(term: Term, slots: Iterable[Slot], calendar: Calendar) -> Iterable[Lesson]:
    """The lessons the slots make on the term's working days (unsaved)."""
    for slot in slots:
        teaching_class = slot.teaching_class
        for week in slot.weeks:
            if not 1 <= week <= term.weeks:
                continue
            day = term.date_of(week, slot.weekday)
            if not calendar.is_working_day(day):
                continue
            yield Lesson(
                teaching_class=teaching_class,
                planned_date=day,
                planned_period=slot.first_period,
                date=day,
                first_period=slot.first_period,
                last_period=slot.last_period,
                location=slot.location,
                online=teaching_class.is_online_on(day),
            )


@transaction.atomic
def generate_lessons(
    term: Term,
    *,
    classes: Iterable[TeachingClass] | None = None,
    acting_user: User | None,
) -> int:
    """Lay the term's slots (or those of `classes`) on its working days; returns
    how many lessons are new. A swapped working day (调休) on a weekend holds
    no lesson of its own: the timetable has none on that weekday."""
    slots = Slot.objects.filter(teaching_class__term=term).select_related("teaching_class")
    if classes is not None:
        slots = slots.filter(teaching_class__in=list(classes))
    calendar = Calendar(term.first_monday, term.last_day)
    lessons = list(planned_lessons(term, slots, calendar))
    before = Lesson.objects.filter(teaching_class__term=term).count()
    Lesson.objects.bulk_create(
        lessons,
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    created = Lesson.objects.filter(teaching_class__term=term).count() - before
    if created:
        audit.record(
            TeachingEvent.LESSONS_GENERATED, term, acting_user=acting_user, created=created
        )
    return created


@transaction.atomic
def go_online(
    *,
    term: Term,
    units: Iterable[Unit],
    starts_on: dt.date,
    incident: Incident | None = None,
    acting_user: User,
) -> OnlineSwitch:
    """Every teaching class these units (and those below them) offer meets
    online from `starts_on`: its lessons from then on are online lessons. A
    class already online from an earlier day stays so."""
    units = list(units)
    switch = OnlineSwitch.objects.create(
        term=term, starts_on=starts_on, incident=incident, created_by=acting_user
    )
    switch.units.set(units)
    unit_ids = Unit.subtree_ids(unit.pk for unit in units)
    classes = TeachingClass.objects.filter(term=term, unit_id__in=unit_ids)
    classes.filter(Q(online_from__isnull=True) | Q(online_from__gt=starts_on)).update(
        online_from=starts_on
    )
    Lesson.objects.filter(teaching_class__in=classes, date__gte=starts_on).update(online=True)
    audit.record(
        TeachingEvent.WENT_ONLINE,
        switch,
        acting_user=acting_user,
        units=[unit.name for unit in units],
        starts_on=starts_on.isoformat(),
        classes=classes.count(),
    )
    return switch


@transaction.atomic
def set_platform(
    teaching_class: TeachingClass, *, platform: str, join_link: str, acting_user: User
) -> None:
    """The class's platform and link for every lesson that sets none of its own."""
    teaching_class.platform = Platform(platform)
    teaching_class.join_link = join_link
    teaching_class.save(update_fields=["platform", "join_link"])
    audit.record(
        TeachingEvent.PLATFORM_SET, teaching_class, acting_user=acting_user, platform=platform
    )


@transaction.atomic
def save_term(term: Term, *, acting_user: User) -> Term:
    """Create or change a term (its name, first Monday and weeks)."""
    created = term.pk is None
    term.save()
    audit.record(
        TeachingEvent.TERM_SAVED,
        term,
        acting_user=acting_user,
        created=created,
        first_monday=term.first_monday.isoformat(),
        weeks=term.weeks,
    )
    return term


@transaction.atomic
def add_calendar_day(
    term: Term, *, date: dt.date, kind: str, name: str, acting_user: User
) -> CalendarDay:
    """A holiday or a swapped working day (调休) in the term's school calendar.
    Lessons already laid on the day are left as they are."""
    day = CalendarDay.objects.create(date=date, kind=CalendarDay.Kind(kind), name=name)
    audit.record(
        TeachingEvent.TERM_SAVED,
        term,
        acting_user=acting_user,
        calendar_day_added=date.isoformat(),
        kind=kind,
        name=name,
    )
    return day


@transaction.atomic
def remove_calendar_day(term: Term, day: CalendarDay, *, acting_user: User) -> None:
    """The day is again what its weekday says."""
    audit.record(
        TeachingEvent.TERM_SAVED,
        term,
        acting_user=acting_user,
        calendar_day_removed=day.date.isoformat(),
        kind=day.kind,
        name=day.name,
    )
    day.delete()


def set_lesson_link(lesson: Lesson, *, platform: str, join_link: str, acting_user: User) -> None:
    """One lesson's own platform and link; empty ones fall back to the class's."""
    lesson.platform = Platform(platform) if platform else ""
    lesson.join_link = join_link
    lesson.save(update_fields=["platform", "join_link"])
    audit.record(
        TeachingEvent.PLATFORM_SET, lesson, acting_user=acting_user, platform=platform or "class"
    )


@dataclass(frozen=True)
class SlotRow:
    """One weekly meeting as a timetable states it (`timetable.parse_time` makes them)."""

    weekday: int
    first_period: int
    last_period: int
    weeks: tuple[int, ...]
    weeks_text: str
    location: str = ""


@dataclass
class ClassRow:
    """One teaching class as a timetable states it: its teachers by person pk."""

    code: str
    course_code: str
    course_name: str
    unit_id: int | None
    teacher_ids: list[int]
    slots: list[SlotRow] = field(default_factory=list)
    planned_hours: int = 0


def _same_class(teaching_class: TeachingClass, row: ClassRow, teachers: set[int]) -> bool:
    slots = {
        (s.weekday, s.first_period, s.last_period, tuple(s.weeks), s.weeks_text, s.location)
        for s in teaching_class.slots.all()
    }
    return (
        teaching_class.course_code == row.course_code
        and teaching_class.course_name == row.course_name
        and teaching_class.unit_id == row.unit_id
        and teaching_class.planned_hours == row.planned_hours
        and {t.pk for t in teaching_class.teachers.all()} == teachers
        and slots
        == {
            (s.weekday, s.first_period, s.last_period, s.weeks, s.weeks_text, s.location)
            for s in row.slots
        }
    )


@transaction.atomic
def save_teaching_classes(
    term: Term, rows: Iterable[ClassRow], *, acting_user: User | None
) -> dict[str, int]:
    """Create or update the term's teaching classes as the timetable states
    them (matched by code), with their teachers and slots; a class stated as
    before is left alone. Lessons of new or changed classes are laid at once.
    Returns {"created": n, "updated": n, "unchanged": n}."""
    rows = list(rows)
    known = {
        tc.code: tc
        for tc in TeachingClass.objects.filter(
            term=term, code__in=[row.code for row in rows]
        ).prefetch_related("teachers", "slots")
    }
    summary = {"created": 0, "updated": 0, "unchanged": 0}
    changed: list[TeachingClass] = []
    for row in rows:
        teachers = set(row.teacher_ids)
        teaching_class = known.get(row.code)
        if teaching_class is not None and _same_class(teaching_class, row, teachers):
            summary["unchanged"] += 1
            continue
        if teaching_class is None:
            teaching_class = TeachingClass.objects.create(
                term=term,
                code=row.code,
                course_code=row.course_code,
                course_name=row.course_name,
                unit_id=row.unit_id,
                planned_hours=row.planned_hours,
            )
            summary["created"] += 1
        else:
            teaching_class.course_code, teaching_class.course_name = (
                row.course_code,
                row.course_name,
            )
            teaching_class.unit_id, teaching_class.planned_hours = row.unit_id, row.planned_hours
            teaching_class.save(
                update_fields=["course_code", "course_name", "unit", "planned_hours"]
            )
            teaching_class.slots.all().delete()
            # Lessons not yet held follow the new timetable; what happened stays.
            teaching_class.lessons.filter(
                status=Lesson.Status.SCHEDULED, planned_date__isnull=False
            ).exclude(attendances__isnull=False).delete()
            summary["updated"] += 1
        teaching_class.teachers.set(row.teacher_ids)
        Slot.objects.bulk_create(
            Slot(
                teaching_class=teaching_class,
                weekday=s.weekday,
                first_period=s.first_period,
                last_period=s.last_period,
                weeks=list(s.weeks),
                weeks_text=s.weeks_text,
                location=s.location,
            )
            for s in row.slots
        )
        changed.append(teaching_class)
    if changed:
        generate_lessons(term, classes=changed, acting_user=acting_user)
    audit.record(TeachingEvent.TIMETABLE_COMMITTED, term, acting_user=acting_user, summary=summary)
    return summary


@transaction.atomic
def enrol(
    term: Term, pairs: Iterable[tuple[str, int]], *, acting_user: User | None
) -> dict[str, int]:
    """Enrol students (by person pk) in the term's teaching classes (by code),
    in one statement per batch; an enrolment already there is left alone.
    Returns {"created": n, "unchanged": n}."""
    pairs = set(pairs)
    classes = dict(
        TeachingClass.objects.filter(term=term, code__in={code for code, _ in pairs}).values_list(
            "code", "pk"
        )
    )
    rows = [
        Enrolment(teaching_class_id=classes[code], student_id=student)
        for code, student in pairs
        if code in classes
    ]
    before = Enrolment.objects.filter(teaching_class__term=term).count()
    Enrolment.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    created = Enrolment.objects.filter(teaching_class__term=term).count() - before
    summary = {"created": created, "unchanged": len(rows) - created}
    audit.record(TeachingEvent.ENROLMENT_COMMITTED, term, acting_user=acting_user, summary=summary)
    return summary


class LessonError(ValidationError):
    """A change a lesson cannot take; its message says why."""


def _needs_approval() -> str:
    return Lesson.Approval.PENDING if settings.TEACHING_CHANGES_NEED_APPROVAL else ""


@transaction.atomic
def mark_held(lesson: Lesson, *, platform: str = "", acting_user: User) -> None:
    """The teacher held the lesson (online: on `platform`, else the class's)."""
    if lesson.status == Lesson.Status.CANCELLED:
        raise LessonError(_("A cancelled lesson cannot be held; schedule its make-up instead."))
    if lesson.date > clock.today():
        raise LessonError(_("A lesson cannot be marked held before its day."))
    lesson.status = Lesson.Status.HELD
    if platform:
        lesson.platform = Platform(platform)
    lesson.marked_at, lesson.marked_by = clock.now(), acting_user
    lesson.save(update_fields=["status", "platform", "marked_at", "marked_by"])
    audit.record(TeachingEvent.LESSON_MARKED, lesson, acting_user=acting_user, status="held")


@transaction.atomic
def move_lesson(
    lesson: Lesson,
    *,
    date: dt.date,
    first_period: int,
    last_period: int,
    reason: str,
    acting_user: User,
) -> None:
    """The lesson takes place at another time (approved by the teaching
    office where the college requires it)."""
    if lesson.status != Lesson.Status.SCHEDULED:
        raise LessonError(_("Only a lesson still to be held can be moved."))
    if last_period < first_period:
        raise LessonError(_("The last period comes before the first."))
    lesson.date, lesson.first_period, lesson.last_period = date, first_period, last_period
    lesson.reason, lesson.approval = reason, _needs_approval()
    lesson.online = lesson.teaching_class.is_online_on(date)
    lesson.marked_at, lesson.marked_by = clock.now(), acting_user
    lesson.save(
        update_fields=[
            "date",
            "first_period",
            "last_period",
            "reason",
            "approval",
            "online",
            "marked_at",
            "marked_by",
        ]
    )
    audit.record(
        TeachingEvent.LESSON_MARKED,
        lesson,
        acting_user=acting_user,
        status="moved",
        date=date.isoformat(),
    )


@transaction.atomic
def cancel_lesson(
    lesson: Lesson,
    *,
    reason: str,
    makeup_date: dt.date | None = None,
    makeup_periods: tuple[int, int] | None = None,
    acting_user: User,
) -> Lesson | None:
    """The lesson does not take place; its make-up lesson, if given, is
    scheduled now (or later with `schedule_makeup`). Returns the make-up."""
    if lesson.status != Lesson.Status.SCHEDULED:
        raise LessonError(_("Only a lesson still to be held can be cancelled."))
    lesson.status, lesson.reason, lesson.approval = (
        Lesson.Status.CANCELLED,
        reason,
        _needs_approval(),
    )
    lesson.marked_at, lesson.marked_by = clock.now(), acting_user
    lesson.save(update_fields=["status", "reason", "approval", "marked_at", "marked_by"])
    audit.record(TeachingEvent.LESSON_MARKED, lesson, acting_user=acting_user, status="cancelled")
    if makeup_date is None or makeup_periods is None:
        return None
    return schedule_makeup(
        lesson, date=makeup_date, periods=makeup_periods, acting_user=acting_user
    )


@transaction.atomic
def schedule_makeup(
    lesson: Lesson, *, date: dt.date, periods: tuple[int, int], acting_user: User
) -> Lesson:
    """The make-up lesson of a cancelled one."""
    if lesson.status != Lesson.Status.CANCELLED:
        raise LessonError(_("Only a cancelled lesson is made up."))
    if hasattr(lesson, "makeup"):
        raise LessonError(_("This lesson's make-up is already scheduled."))
    first, last = periods
    if last < first:
        raise LessonError(_("The last period comes before the first."))
    teaching_class = lesson.teaching_class
    makeup = Lesson.objects.create(
        teaching_class=teaching_class,
        date=date,
        first_period=first,
        last_period=last,
        location=lesson.location,
        online=teaching_class.is_online_on(date),
        makeup_for=lesson,
        approval=_needs_approval(),
    )
    audit.record(
        TeachingEvent.LESSON_MARKED,
        makeup,
        acting_user=acting_user,
        status="makeup",
        date=date.isoformat(),
    )
    return makeup


@transaction.atomic
def decide_change(lesson: Lesson, *, approve: bool, acting_user: User) -> None:
    """The teaching office approves or rejects a move, cancellation or make-up.
    A rejected cancellation puts the lesson back on the timetable."""
    if lesson.approval != Lesson.Approval.PENDING:
        raise LessonError(_("This change is not waiting for a decision."))
    lesson.approval = Lesson.Approval.APPROVED if approve else Lesson.Approval.REJECTED
    fields = ["approval"]
    if not approve and lesson.status == Lesson.Status.CANCELLED:
        lesson.status = Lesson.Status.SCHEDULED
        fields.append("status")
    lesson.save(update_fields=fields)
    audit.record(TeachingEvent.LESSON_DECIDED, lesson, acting_user=acting_user, approved=approve)


@transaction.atomic
def record_attendance(
    lesson: Lesson,
    statuses: Mapping[int, tuple[str, int | None]],
    *,
    source: str,
    acting_user: User,
) -> int:
    """Who attended: {student pk: (status, minutes)}, for the lesson's
    enrolled students only; a second record of a student replaces the first.
    Attendance taken means the lesson was held. Returns the rows written."""
    if lesson.status == Lesson.Status.CANCELLED:
        raise LessonError(_("A cancelled lesson has no attendance."))
    enrolled = set(
        Enrolment.objects.filter(
            teaching_class_id=lesson.teaching_class_id, student_id__in=list(statuses)
        ).values_list("student_id", flat=True)
    )
    now = clock.now()
    rows = [
        Attendance(
            lesson=lesson,
            student_id=student,
            status=Attendance.Status(status),
            minutes=minutes,
            source=Attendance.Source(source),
            recorded_at=now,
        )
        for student, (status, minutes) in statuses.items()
        if student in enrolled
    ]
    Attendance.objects.bulk_create(
        rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["lesson", "student"],
        update_fields=["status", "minutes", "source", "recorded_at"],
    )
    if lesson.status == Lesson.Status.SCHEDULED and lesson.date <= clock.today():
        lesson.status, lesson.marked_at, lesson.marked_by = Lesson.Status.HELD, now, acting_user
        lesson.save(update_fields=["status", "marked_at", "marked_by"])
    event = (
        TeachingEvent.ATTENDANCE_IMPORTED
        if source == Attendance.Source.IMPORTED
        else TeachingEvent.ATTENDANCE_MARKED
    )
    audit.record(event, lesson, acting_user=acting_user, rows=len(rows))
    return len(rows)


@transaction.atomic
def answer_readiness(
    person: Person,
    *,
    no_device: bool,
    poor_network: bool,
    note: str = "",
    acting_user: User,
) -> Readiness:
    """A student says whether they can attend online; a later answer replaces it."""
    readiness, _created = Readiness.objects.update_or_create(
        person=person,
        defaults={
            "no_device": no_device,
            "poor_network": poor_network,
            "note": note,
            "answered_at": clock.now(),
        },
    )
    audit.record(
        TeachingEvent.READINESS_ANSWERED,
        readiness,
        acting_user=acting_user,
        no_device=no_device,
        poor_network=poor_network,
    )
    return readiness


@transaction.atomic
def assign_observation(lesson: Lesson, supervisor: Person, *, acting_user: User) -> Observation:
    """A supervisor is to observe a lesson, and hears of it in their inbox;
    assigning twice assigns (and tells them) once."""
    observation, created = Observation.objects.get_or_create(
        lesson=lesson, supervisor=supervisor, defaults={"assigned_by": acting_user}
    )
    if created:
        audit.record(
            TeachingEvent.OBSERVATION_ASSIGNED,
            observation,
            acting_user=acting_user,
            supervisor=supervisor.number,
        )
        teaching_class = lesson.teaching_class
        deliver(
            [
                Message(
                    recipient=supervisor,
                    kind=OBSERVATION,
                    title=_("Observe %(course)s (%(code)s), %(date)s %(periods)s")
                    % {
                        "course": teaching_class.course_name,
                        "code": teaching_class.code,
                        "date": f"{lesson.date:%m-%d}",
                        "periods": lesson.periods_label,
                    },
                    link=reverse("teaching:observation_detail", args=[observation.pk]),
                    # One message per observation: assigning again tells nobody twice.
                    key=f"teaching-observation:{observation.pk}",
                    created_at=observation.assigned_at,
                )
            ]
        )
    return observation


@transaction.atomic
def write_observation(
    observation: Observation, *, ratings: Mapping[int, int], comments: str, acting_user: User
) -> None:
    """The supervisor's ratings (criterion pk -> 1..5, every criterion) and comments."""
    criteria = set(Criterion.objects.values_list("pk", flat=True))
    if set(ratings) != criteria or not all(1 <= value <= 5 for value in ratings.values()):
        raise ValidationError(_("Rate every criterion from 1 to 5."))
    observation.ratings = {str(pk): value for pk, value in ratings.items()}
    observation.comments = comments
    observation.observed_at = clock.now()
    observation.save(update_fields=["ratings", "comments", "observed_at"])
    audit.record(TeachingEvent.OBSERVATION_WRITTEN, observation, acting_user=acting_user)
    lesson = observation.lesson
    course = lesson.teaching_class.course_name
    deliver(
        Message(
            recipient=teacher,
            kind=FEEDBACK,
            title=_("Feedback on your lesson: %(course)s, %(date)s")
            % {"course": course, "date": f"{lesson.date:%m-%d}"},
            link=reverse("teaching:observation_detail", args=[observation.pk]),
            # Told once: a supervisor who changes the ratings later tells nobody again.
            key=f"teaching-feedback:{observation.pk}:{teacher.pk}",
            created_at=observation.observed_at,
        )
        for teacher in lesson.teaching_class.teachers.all()
    )
