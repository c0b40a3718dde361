"""The counsellor's morning page: one look at their own classes today.

Who has not checked in and the reason known for it, who reported something
abnormal, who is isolated and how their meals went, the help requests open,
the students absent twice this week, the graduates still seeking work, and
the reminder slot a "remind all" would go out in. Each part is one or two
set-based queries over the counsellor's classes, whatever their size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from shouwang.care.access import isolations_for_user
from shouwang.care.models import Isolation, IsolationQuerySet, MealDelivery
from shouwang.careers.access import graduates_for_user
from shouwang.careers.queries import cohorts, seeking
from shouwang.checkins.models import CheckIn, Symptom, abnormal_q
from shouwang.checkins.reminders import Slot, SlotKind, reminded_in, slot_at
from shouwang.compliance.counts import Scope, missing_in_scope
from shouwang.helpdesk.access import handled_for_user
from shouwang.helpdesk.models import HelpRequest
from shouwang.helpdesk.queries import overdue_q
from shouwang.incidents.models import Incident
from shouwang.leave.queries import OnLeave, on_leave
from shouwang.people.access import classes_for_user
from shouwang.people.models import AdminClass, Person, Unit
from shouwang.screening.access import flags_for_user
from shouwang.screening.models import Flag
from shouwang.teaching.models import Readiness
from shouwang.teaching.queries import Absentee, absent_twice

if TYPE_CHECKING:
    from shouwang.accounts.models import User
    from shouwang.careers.models import Graduate

# Without a check-in and a login for this long, a student is unreachable.
UNREACHABLE_AFTER = dt.timedelta(days=2)
# The screening flags that say what the check-in's own values say.
CHECKIN_REASONS = {
    Flag.Reason.SYMPTOMS,
    Flag.Reason.FEVER,
    Flag.Reason.CONTACT,
    Flag.Reason.RISK_AREA,
}
# Graduates still seeking work listed by name; the careers page has them all.
SEEKING_SHOWN = 10


def _active(isolations: QuerySet[Isolation]) -> QuerySet[Isolation]:
    return cast(IsolationQuerySet, isolations).active()


def own_classes(user: User) -> QuerySet[AdminClass]:
    """The classes the user counsels themselves (a leader's reach aside)."""
    if not user.person_id:
        return AdminClass.objects.none()
    return classes_for_user(user).filter(counsellor_id=user.person_id)


def incident_for(classes: list[AdminClass]) -> Incident | None:
    """The open incident whose check-in the classes' students report to: the
    earliest opened over their units (as for each student), in two queries."""
    unit_ids = {c.unit_id for c in classes if c.unit_id is not None}
    if not unit_ids:
        return None
    parents = Unit.parents()
    lines = set().union(*(Unit.ancestor_ids(pk, parents) for pk in unit_ids))
    return (
        Incident.objects.open()
        .filter(
            pk__in=Incident.units.through.objects.filter(unit_id__in=lines).values("incident_id")
        )
        .prefetch_related("units")
        .order_by("started_at", "pk")
        .first()
    )


@dataclass
class MissingRow:
    person: Person  # with last_checkin, last_login, isolated and no_device
    leave: OnLeave | None
    reasons: list[str]


@dataclass
class AbnormalRow:
    person: Person
    checkin: CheckIn | None = None
    flags: list[Flag] = field(default_factory=list)

    @property
    def values(self) -> list[str]:
        """What was abnormal, in words: the check-in's values, then the flags'."""
        shown: list[str] = []
        checkin = self.checkin
        if checkin is not None:
            if checkin.temperature is not None:
                shown.append(f"{checkin.temperature} °C")
            known = Symptom.values
            shown += [str(Symptom(code).label) for code in checkin.symptoms if code in known]
            if checkin.contact_with_case:
                shown.append(_("contact with a case"))
            if checkin.stayed_in_risk_area:
                shown.append(_("stayed in a risk area"))
            # The flags that only repeat these values are not shown again.
            flags = [flag for flag in self.flags if flag.reason not in CHECKIN_REASONS]
        else:
            flags = self.flags
        return shown + [str(flag.get_reason_display()) for flag in flags]


@dataclass
class Reminder:
    slot: Slot
    reminded: int  # missing students reminded in this slot (by anyone, or the job)
    last_at: dt.datetime | None
    to_remind: int  # missing students this slot has not reached yet

    @property
    def label(self) -> str:
        """The slot in words: "the 09:00 reminder", "before the 10:00 deadline"."""
        time = time_format(timezone.localtime(self.slot.at), "H:i")
        if self.slot.kind == SlotKind.REMINDER:
            return _("the %(time)s reminder") % {"time": time}
        if self.slot.kind == SlotKind.DEADLINE:
            return _("before the %(time)s deadline") % {"time": time}
        return _("after the deadline, until midnight")

    @property
    def next_at(self) -> dt.datetime | None:
        """When the next slot opens (none after the deadline's: it runs to midnight)."""
        return None if self.slot.late else self.slot.until


@dataclass
class Morning:
    day: dt.date
    now: dt.datetime
    classes: list[AdminClass]
    incident: Incident | None = None
    expected: int = 0
    missing: list[MissingRow] = field(default_factory=list)
    abnormal: list[AbnormalRow] = field(default_factory=list)
    isolated: list[Isolation] = field(default_factory=list)
    help_requests: list[HelpRequest] = field(default_factory=list)
    absentees: list[Absentee] = field(default_factory=list)
    seeking: list[Graduate] = field(default_factory=list)
    seeking_count: int = 0
    reminder: Reminder | None = None

    @property
    def reported(self) -> int:
        return self.expected - len(self.missing)

    @property
    def overdue_count(self) -> int:
        return sum(1 for item in self.help_requests if getattr(item, "overdue", False))


def _missing(
    user: User, incident: Incident, day: dt.date, now: dt.datetime, scope: Scope
) -> list[MissingRow]:
    people = missing_in_scope(incident, day, scope)
    last_checkin = (
        CheckIn.objects.filter(person_id=OuterRef("pk"), date__lt=day)
        .order_by("-date")
        .values("date")[:1]
    )
    rows = list(
        people.select_related("admin_class")
        .annotate(
            last_checkin=Subquery(last_checkin),
            last_login=F("user__last_login"),
            isolated=Exists(_active(isolations_for_user(user)).filter(person_id=OuterRef("pk"))),
            no_device=Exists(Readiness.objects.filter(person_id=OuterRef("pk"), no_device=True)),
        )
        .order_by("admin_class__name", "number")
    )
    leaves = on_leave([person.pk for person in rows], day) if rows else {}
    yesterday = day - dt.timedelta(days=1)
    result = []
    for person in rows:
        leave = leaves.get(person.pk)
        reasons = []
        if person.isolated:
            reasons.append(_("in isolation"))
        if leave is not None:
            reasons.append(leave.label)
        if person.no_device:
            reasons.append(_("no device"))
        silent = person.last_checkin is None or person.last_checkin < yesterday
        if silent and (person.last_login is None or person.last_login < now - UNREACHABLE_AFTER):
            reasons.append(_("unreachable: no check-in and no login for two days"))
        result.append(MissingRow(person, leave, reasons))
    return result


def _abnormal(
    user: User, incident: Incident, day: dt.date, class_ids: list[int]
) -> list[AbnormalRow]:
    in_classes = Q(person__admin_class_id__in=class_ids)
    rows: dict[int, AbnormalRow] = {}
    checkins = (
        CheckIn.objects.filter(in_classes, abnormal_q(), incident=incident, date=day)
        .select_related("person__admin_class")
        .order_by("person__admin_class__name", "person__number")
    )
    for checkin in checkins:
        rows[checkin.person_id] = AbnormalRow(checkin.person, checkin)
    # The flags of the day the check-in's own values do not show (a risky
    # region, whereabouts against leave); missing days are the list above.
    flags = (
        flags_for_user(user)
        .filter(in_classes, date=day, resolved_at__isnull=True)
        .exclude(reason=Flag.Reason.MISSED)
        .select_related("person__admin_class")
        .order_by("person__admin_class__name", "person__number", "pk")
    )
    for flag in flags:
        rows.setdefault(flag.person_id, AbnormalRow(flag.person)).flags.append(flag)
    return sorted(rows.values(), key=lambda row: _by_class(row.person))


def _by_class(person: Person) -> tuple[str, str]:
    return (person.admin_class.name if person.admin_class else "", person.number)


def _isolated(user: User, day: dt.date, class_ids: list[int]) -> list[Isolation]:
    meals = MealDelivery.objects.filter(date=day).select_related("slot").order_by("due_at")
    return list(
        _active(isolations_for_user(user))
        .filter(person__admin_class_id__in=class_ids)
        .select_related("person__admin_class", "room", "dorm_room")
        .prefetch_related(Prefetch("deliveries", queryset=meals, to_attr="todays_meals"))
        .order_by("person__admin_class__name", "person__number")
    )


def _help_requests(user: User, now: dt.datetime, class_ids: list[int]) -> list[HelpRequest]:
    return list(
        handled_for_user(user)
        .filter(status__in=HelpRequest.OPEN, requester__admin_class_id__in=class_ids)
        .annotate(
            overdue=Case(
                When(overdue_q(now), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .select_related("requester__admin_class", "handler")
        .order_by("-overdue", "created_at", "pk")
    )


def _seeking(user: User, class_ids: list[int]) -> tuple[list[Graduate], int]:
    graduates = graduates_for_user(user).filter(person__admin_class_id__in=class_ids)
    latest = cohorts(graduates)[:1]
    if not latest:
        return [], 0
    still = seeking(graduates.filter(cohort=latest[0]))
    shown = list(still[: SEEKING_SHOWN + 1])
    count = len(shown) if len(shown) <= SEEKING_SHOWN else still.count()
    return shown[:SEEKING_SHOWN], count


def _reminder(incident: Incident, now: dt.datetime, missing: list[MissingRow]) -> Reminder | None:
    slot = slot_at(incident, now)
    if slot is None:
        return None
    ids = [row.person.pk for row in missing]
    reached = reminded_in(slot, Person.objects.filter(pk__in=ids)) if ids else {}
    return Reminder(
        slot=slot,
        reminded=len(reached),
        last_at=max(reached.values(), default=None),
        to_remind=len(ids) - len(reached),
    )


def morning_for(user: User, now: dt.datetime) -> Morning:
    """The morning page of a counsellor's own classes at `now`."""
    day = timezone.localdate(now)
    classes = list(own_classes(user).order_by("name"))
    class_ids = [admin_class.pk for admin_class in classes]
    page = Morning(day=day, now=now, classes=classes)
    if not classes:
        return page
    page.incident = incident = incident_for(classes)
    if incident is not None and incident.purged_at is None:
        scope = Scope(frozenset(class_ids))
        page.expected = scope.people(incident).count()
        page.missing = _missing(user, incident, day, now, scope)
        page.abnormal = _abnormal(user, incident, day, class_ids)
        page.reminder = _reminder(incident, now, page.missing)
    page.isolated = _isolated(user, day, class_ids)
    page.help_requests = _help_requests(user, now, class_ids)
    students = Person.objects.filter(admin_class_id__in=class_ids)
    page.absentees = absent_twice(students, day - dt.timedelta(days=day.weekday()))
    page.seeking, page.seeking_count = _seeking(user, class_ids)
    return page


def missing_students(user: User, now: dt.datetime) -> tuple[Incident | None, QuerySet[Person]]:
    """The incident and the students of the user's own classes missing today:
    whom "remind all" reaches."""
    classes = list(own_classes(user))
    incident = incident_for(classes)
    if incident is None:
        return None, Person.objects.none()
    scope = Scope(frozenset(admin_class.pk for admin_class in classes))
    return incident, missing_in_scope(incident, timezone.localdate(now), scope)
