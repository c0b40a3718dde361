"""What activities compute: who took part, the 第二课堂 hours, the counts.

A student takes part (参与) in an activity by any one of:

- an entry submitted, by them alone or by their team (any member's);
- a session of the activity attended for at least half its length (a
  sign-in export that gives no minutes counts as attended);
- an award won outside, for an external contest (蓝桥杯);
- for an activity that asks no entry and has no sessions (a festival, an
  external contest), signing up.

Each activity a student takes part in gives them its hours once, however
many of these they did. Every figure here is a query over the records;
nothing is typed in. `taking_part` reads the five ways in five queries
whatever the number of activities or people.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from shouwang.lib import clock
from shouwang.people.models import AdminClass, Person, Unit, in_units_q

from .models import Activity, Attendance, Entry, ExternalAward, Session, SignUp, Team


class Way:
    """How a student took part in an activity."""

    ENTRY = "entry"
    SESSION = "session"
    AWARD = "award"
    SIGNUP = "signup"

    LABELS = {
        ENTRY: _("an entry submitted"),
        SESSION: _("a session attended"),
        AWARD: _("an award won outside"),
        SIGNUP: _("signed up"),
    }


# A session counts as attended from half its length.
ATTENDED_SHARE = 2  # minutes × 2 ≥ the session's length


def eligible_students(activity: Activity) -> QuerySet[Person]:
    """The students the activity is open to (its audience), at school: those
    `actions.refusal` would let join, sign-up dates aside."""
    students = Person.objects.filter(kind=Person.Kind.STUDENT, status=Person.Status.PRESENT)
    if activity.audience == Activity.Audience.CLASSES:
        return students.filter(admin_class__in=activity.classes.all())
    students = students.filter(in_units_q(Unit.subtree_ids([activity.unit_id])))
    if activity.audience == Activity.Audience.GRADUATING:
        students = students.filter(graduating=True)
    return students


def attended_q(path: str = "") -> Q:
    """Attendance rows (at `path`) that count: at least half the session, or a
    sign-in with no minutes."""
    return Q(**{f"{path}minutes__isnull": True}) | Q(**{f"{path}stayed__gte": F("length")})


def _with_length(attendance: QuerySet[Attendance]) -> QuerySet[Attendance]:
    length = ExpressionWrapper(
        F("session__ends_at") - F("session__starts_at"), output_field=DurationField()
    )
    stayed = ExpressionWrapper(
        # PositiveIntegerField is not an operand SQLite's duration arithmetic takes.
        ExpressionWrapper(F("minutes"), output_field=IntegerField())
        * Value(dt.timedelta(minutes=ATTENDED_SHARE)),
        output_field=DurationField(),
    )
    return attendance.alias(length=length, stayed=stayed)


def counted_attendance(activities: QuerySet[Activity] | None = None) -> QuerySet[Attendance]:
    """The attendance rows that make a student take part."""
    rows = Attendance.objects.all()
    if activities is not None:
        rows = rows.filter(session__activity__in=activities)
    return _with_length(rows).filter(attended_q())


@dataclass
class TakingPart:
    """Who took part in what: {(activity, person): the ways}, and of each
    person their class and political status, of each activity its hours."""

    ways: dict[tuple[int, int], set[str]] = field(default_factory=dict)
    people: dict[int, tuple[int | None, str]] = field(default_factory=dict)
    hours: dict[int, Decimal] = field(default_factory=dict)

    def add(self, way: str, rows: Iterable[tuple[int, int, int | None, str]]) -> None:
        for activity_id, person_id, class_id, status in rows:
            self.ways.setdefault((activity_id, person_id), set()).add(way)
            self.people[person_id] = (class_id, status)

    def takers(self, activity_id: int) -> int:
        return sum(1 for activity, _person in self.ways if activity == activity_id)

    def activities_of(self, person_id: int) -> list[int]:
        return [activity for activity, person in self.ways if person == person_id]

    def hours_of(self, person_id: int) -> Decimal:
        return sum((self.hours[activity] for activity in self.activities_of(person_id)), Decimal(0))

    def by_person(self) -> dict[int, list[int]]:
        found: dict[int, list[int]] = defaultdict(list)
        for activity, person in self.ways:
            found[person].append(activity)
        return found


def _person_columns(path: str) -> tuple[str, str, str]:
    return (f"{path}pk", f"{path}admin_class_id", f"{path}political_status")


def taking_part(
    activities: QuerySet[Activity] | None = None, people: QuerySet[Person] | None = None
) -> TakingPart:
    """Who of `people` (everyone) took part in which of `activities` (all), and how."""
    activities = activities if activities is not None else Activity.objects.all()
    found = TakingPart()
    meta = activities.order_by().annotate(
        has_sessions=Exists(Session.objects.filter(activity=OuterRef("pk")))
    )
    signing_up_counts = []
    for pk, hours, kinds, entries_close_at, has_sessions in meta.values_list(
        "pk", "hours", "entry_kinds", "entries_close_at", "has_sessions"
    ):
        found.hours[pk] = hours
        if not (kinds and entries_close_at) and not has_sessions:
            signing_up_counts.append(pk)

    def scoped(rows: QuerySet[Any], activity: str, person: str) -> QuerySet[Any]:
        rows = rows.filter(**{f"{activity}__in": activities})
        if people is not None:
            rows = rows.filter(**{f"{person}__in": people})
        return rows.order_by()

    alone = scoped(Entry.objects.filter(team__isnull=True), "activity", "person")
    found.add(Way.ENTRY, alone.values_list("activity_id", *_person_columns("person__")))
    in_teams = scoped(
        SignUp.objects.filter(team__entries__isnull=False), "activity", "person"
    ).distinct()
    found.add(Way.ENTRY, in_teams.values_list("activity_id", *_person_columns("person__")))
    sessions = scoped(counted_attendance(), "session__activity", "person").distinct()
    found.add(
        Way.SESSION, sessions.values_list("session__activity_id", *_person_columns("person__"))
    )
    awards = scoped(ExternalAward.objects.all(), "activity", "signup__person").distinct()
    found.add(Way.AWARD, awards.values_list("activity_id", *_person_columns("signup__person__")))
    if signing_up_counts:
        signed = scoped(
            SignUp.objects.filter(activity_id__in=signing_up_counts), "activity", "person"
        )
        found.add(Way.SIGNUP, signed.values_list("activity_id", *_person_columns("person__")))
    return found


def _count_of(model: type[Any], **condition: Any) -> Coalesce:
    rows = (
        model.objects.filter(activity=OuterRef("pk"), **condition)
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def with_counts(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """Each activity with its sign-ups, teams and entries counted (subqueries:
    no join multiplies another)."""
    return activities.annotate(
        signup_count=_count_of(SignUp),
        team_count=_count_of(Team),
        entry_count=_count_of(Entry),
    )


@dataclass(frozen=True)
class Row:
    """One line of a counts table: a key (an activity, a class, a status),
    its students signed up, its students who took part and their
    participations (人次: one student in one activity), and their hours."""

    key: Any
    label: str
    signed_up: int
    took_part: int
    participations: int
    hours: Decimal


@dataclass(frozen=True)
class ActivityCount:
    activity: Activity
    takers: int


@dataclass
class Counts:
    activities: list[ActivityCount]
    by_class: list[Row]
    by_status: list[Row]
    total: Row


def counts(activities: QuerySet[Activity]) -> Counts:
    """The participation counts of `activities`: per activity, per class and
    per political status of the students, and in total. Nine queries."""
    listed = list(with_counts(activities).order_by("-starts_on", "pk"))
    parts = taking_part(activities)
    signups = SignUp.objects.filter(activity__in=activities).order_by()
    signed_people = dict(signups.values_list("person_id", "person__admin_class_id").distinct())
    signed_statuses = dict(signups.values_list("person_id", "person__political_status").distinct())

    def row(key: Any, label: str, who: set[int], signed: set[int]) -> Row:
        pairs = [(a, p) for a, p in parts.ways if p in who]
        return Row(
            key,
            label,
            signed_up=len(signed),
            took_part=len({p for _a, p in pairs}),
            participations=len(pairs),
            hours=sum((parts.hours[a] for a, _p in pairs), Decimal(0)),
        )

    class_of = {person: data[0] for person, data in parts.people.items()}
    status_of = {person: data[1] for person, data in parts.people.items()}
    class_ids = set(class_of.values()) | set(signed_people.values())
    names = dict(AdminClass.objects.filter(pk__in=class_ids - {None}).values_list("pk", "name"))
    by_class = [
        row(
            class_id,
            names.get(class_id, "") if class_id else str(_("no class")),
            {p for p, c in class_of.items() if c == class_id},
            {p for p, c in signed_people.items() if c == class_id},
        )
        for class_id in sorted(class_ids, key=lambda pk: (pk is None, names.get(pk or 0, "")))
    ]
    statuses = set(status_of.values()) | set(signed_statuses.values())
    by_status = [
        row(
            status,
            str(Person.PoliticalStatus(status).label),
            {p for p, s in status_of.items() if s == status},
            {p for p, s in signed_statuses.items() if s == status},
        )
        for status in Person.PoliticalStatus.values
        if status in statuses
    ]
    everyone = set(class_of)
    total = row(None, str(_("total")), everyone, set(signed_people))
    return Counts(
        activities=[ActivityCount(activity, parts.takers(activity.pk)) for activity in listed],
        by_class=by_class,
        by_status=by_status,
        total=total,
    )


@dataclass(frozen=True)
class RecordLine:
    activity: Activity
    ways: list[str]
    hours: Decimal

    @property
    def way_labels(self) -> list[str]:
        return [str(Way.LABELS[way]) for way in self.ways]


@dataclass
class Record:
    """A student's 第二课堂 record: the activities they took part in, how,
    and the hours; the sign-ups that do not count yet."""

    lines: list[RecordLine]
    pending: list[SignUp]

    @property
    def hours(self) -> Decimal:
        return sum((line.hours for line in self.lines), Decimal(0))


WAY_ORDER = (Way.ENTRY, Way.SESSION, Way.AWARD, Way.SIGNUP)


def record_of(person: Person) -> Record:
    """One student's record, newest activity first."""
    parts = taking_part(people=Person.objects.filter(pk=person.pk))
    ids = [activity for activity, _person in parts.ways]
    activities = {a.pk: a for a in Activity.objects.filter(pk__in=ids)}
    lines = [
        RecordLine(
            activities[activity],
            [way for way in WAY_ORDER if way in parts.ways[(activity, person.pk)]],
            parts.hours[activity],
        )
        for activity in ids
    ]
    lines.sort(key=lambda line: (line.activity.starts_on, line.activity.pk), reverse=True)
    pending = list(
        SignUp.objects.filter(person=person)
        .exclude(activity_id__in=ids)
        .select_related("activity", "team")
        .order_by("-activity__starts_on")
    )
    return Record(lines, pending)


@dataclass(frozen=True)
class StudentHours:
    student: Person
    activities: list[Activity]
    hours: Decimal


def class_record(admin_class: AdminClass) -> list[StudentHours]:
    """Each student of a class with the activities they took part in and their hours."""
    students = list(
        Person.objects.filter(admin_class=admin_class, kind=Person.Kind.STUDENT).order_by("number")
    )
    parts = taking_part(people=Person.objects.filter(pk__in=[s.pk for s in students]))
    mine = parts.by_person()
    titles = {
        a.pk: a
        for a in Activity.objects.filter(pk__in={a for a, _p in parts.ways}).order_by("-starts_on")
    }
    return [
        StudentHours(
            student,
            sorted(
                (titles[a] for a in mine.get(student.pk, [])),
                key=lambda a: a.starts_on,
                reverse=True,
            ),
            parts.hours_of(student.pk),
        )
        for student in students
    ]


def joinable(person: Person, activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """The activities of `activities` a student may still join (not signed up
    to, open to them, sign-up not closed): a set-based twin of `actions.refusal`."""
    if person.kind != Person.Kind.STUDENT:
        return activities.none()
    units = Unit.ancestor_ids(person.unit_id) if person.unit_id else set()
    audience = Q(audience=Activity.Audience.CLASSES, classes=person.admin_class_id or 0)
    audience |= Q(audience=Activity.Audience.COLLEGE, unit_id__in=units)
    if person.graduating:
        audience |= Q(audience=Activity.Audience.GRADUATING, unit_id__in=units)
    now = clock.now()
    return (
        activities.filter(audience, ends_on__gte=clock.today())
        .filter(Q(signup_closes_at__isnull=True) | Q(signup_closes_at__gte=now))
        .exclude(signups__person=person)
        .distinct()
    )
