"""Care workflows: place and end isolations, generate a day's deliveries,
take and confirm them, alert when one is late, and the care contacts.

Each is atomic and audited. Claims are conditional UPDATEs, so that of two
volunteers tapping at once exactly one wins; capacity is checked under a row
lock on the isolation room, so that two counsellors cannot both fill its last
bed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from shouwang.core import audit
from shouwang.lib import clock
from shouwang.notify.actions import deliver, send
from shouwang.notify.models import Message
from shouwang.people.models import DormRoom, Person
from shouwang.screening.actions import record_flag_action
from shouwang.screening.models import Flag, FlagAction
from shouwang.volunteers.models import Membership

from .audit import CareEvent
from .message_kinds import CARE
from .models import (
    LATE_AFTER,
    BuildingTeam,
    CareContact,
    Isolation,
    IsolationRoom,
    MealDelivery,
    MealSlot,
    floor_of,
)
from .signals import delivery_confirmed

if TYPE_CHECKING:
    from shouwang.accounts.models import User


class CareError(Exception):
    pass


class RoomFull(CareError):
    pass


class AlreadyIsolated(CareError):
    pass


class AlreadyTaken(CareError):
    """Another volunteer has the delivery; `by` is who."""

    def __init__(self, by: Person | None):
        super().__init__(by)
        self.by = by


class NotOpen(CareError):
    """The delivery is already delivered or recorded as missed."""


def occupancy(room: IsolationRoom) -> int:
    return Isolation.objects.active().filter(room=room).count()


@transaction.atomic
def place_in_isolation(
    person: Person,
    *,
    dorm_room: DormRoom | None = None,
    room: IsolationRoom | None = None,
    reason: str,
    dietary_note: str = "",
    started_at: dt.datetime,
    planned_end: dt.date,
    flag: Flag | None = None,
    acting_user: User,
    request: HttpRequest | None = None,
) -> Isolation:
    """Place a person in isolation; refuses a full room and a second isolation."""
    if room is not None:
        # The lock makes a second placement into this room wait until the first
        # commits, so it counts the first one's row (PostgreSQL; SQLite's
        # immediate transactions serialise writers anyway).
        IsolationRoom.objects.select_for_update().get(pk=room.pk)
        if occupancy(room) >= room.capacity:
            raise RoomFull(room)
    if Isolation.objects.active().filter(person=person).exists():
        raise AlreadyIsolated(person)
    isolation = Isolation(
        person=person,
        dorm_room=None if room else dorm_room,
        room=room,
        reason=reason,
        dietary_note=dietary_note,
        started_at=started_at,
        planned_end=planned_end,
        flag=flag,
        placed_by=acting_user,
    )
    try:
        with transaction.atomic():
            isolation.save()
    except IntegrityError as error:  # a concurrent placement of the same person
        raise AlreadyIsolated(person) from error
    if flag is not None and flag.resolved_at is None:
        record_flag_action(
            flag,
            outcome=FlagAction.Outcome.REFERRED,
            note=_("Placed in isolation: %(place)s") % {"place": isolation.place},
            acting_user=acting_user,
            request=request,
        )
    audit.record(
        CareEvent.ISOLATION_PLACED,
        person,
        acting_user=acting_user,
        request=request,
        isolation=isolation.pk,
    )
    send(
        [person],
        CARE,
        _("You are in isolation at %(place)s: meals come to your door")
        % {"place": isolation.place},
        link=reverse("care:mine"),
        key_for=lambda p: f"care-isolation:{isolation.pk}",
    )
    return isolation


@transaction.atomic
def end_isolation(
    isolation: Isolation, *, note: str, acting_user: User, request: HttpRequest | None = None
) -> None:
    """End an isolation; its meals not yet due are no longer carried."""
    isolation.end(note, acting_user)
    MealDelivery.objects.filter(
        isolation=isolation, status=MealDelivery.Status.PENDING, due_at__gt=isolation.ended_at
    ).delete()
    audit.record(
        CareEvent.ISOLATION_ENDED,
        isolation.person,
        acting_user=acting_user,
        request=request,
        isolation=isolation.pk,
    )


def generate_deliveries(day: dt.date) -> int:
    """One delivery per active isolation per meal slot of `day`; returns how
    many were new. Run twice, it makes nothing new: the unique constraint on
    (isolation, slot, date) says so, not this code. A fixed number of queries,
    however many isolations."""
    slots = list(MealSlot.objects.filter(is_active=True))
    if not slots:
        return 0
    first, last = min(s.due_on(day) for s in slots), max(s.due_on(day) for s in slots)
    isolations = list(
        Isolation.objects.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=first))
        .filter(started_at__lte=last)
        .select_related("dorm_room", "room")
        .only(
            "started_at",
            "ended_at",
            "dietary_note",
            "dorm_room__building",
            "dorm_room__floor",
            "dorm_room__number",
            "room__building",
            "room__number",
        )
    )
    teams = dict(BuildingTeam.objects.values_list("building", "team_id"))
    # Only to spare building rows that exist; the constraint is the guarantee.
    existing = set(MealDelivery.objects.filter(date=day).values_list("isolation_id", "slot_id"))
    rows = []
    for isolation in isolations:
        place = isolation.place
        for slot in slots:
            due = slot.due_on(day)
            if (isolation.pk, slot.pk) in existing or not isolation.active_at(due):
                continue
            rows.append(
                MealDelivery(
                    isolation_id=isolation.pk,
                    slot_id=slot.pk,
                    date=day,
                    due_at=due,
                    building=place.building,
                    floor=_floor(place),
                    room=place.number,
                    dietary_note=isolation.dietary_note,
                    team_id=teams.get(place.building),
                )
            )
    if not rows:
        return 0
    with transaction.atomic():
        before = MealDelivery.objects.filter(date=day).count()
        MealDelivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        return MealDelivery.objects.filter(date=day).count() - before


def _floor(place: DormRoom | IsolationRoom) -> int:
    """A dormitory room's stored floor (stated by the roster, as in 3栋4层15);
    an isolation room's, or a room stored without one, from its number."""
    floor = place.floor if isinstance(place, DormRoom) else None
    return floor if floor is not None else floor_of(place.number)


@dataclass
class Room:
    number: str
    deliveries: list[MealDelivery] = field(default_factory=list)


@dataclass
class Floor:
    number: int
    rooms: list[Room] = field(default_factory=list)


@dataclass
class Building:
    name: str
    floors: list[Floor] = field(default_factory=list)

    @property
    def names_itself(self) -> bool:
        """Whether the name says it is a building ("3号楼", "西苑2栋"), unlike "B"."""
        return self.name.endswith(("楼", "栋", "幢", "座", "舍", "苑", "斋"))

    @property
    def count(self) -> int:
        return sum(len(room.deliveries) for floor in self.floors for room in floor.rooms)


def walking_order(deliveries: Iterable[MealDelivery]) -> list[MealDelivery]:
    """Deliveries building by building, floor by floor, room by room, each
    room's meals by time."""
    return sorted(
        deliveries,
        key=lambda d: (d.building, d.floor, _room_key(d.room), d.due_at, d.pk),
    )


def route_list(deliveries: Iterable[MealDelivery]) -> list[Building]:
    """Deliveries grouped building → floor → room, in walking order."""
    buildings: list[Building] = []
    for delivery in walking_order(deliveries):
        if not buildings or buildings[-1].name != delivery.building:
            buildings.append(Building(delivery.building))
        floors = buildings[-1].floors
        if not floors or floors[-1].number != delivery.floor:
            floors.append(Floor(delivery.floor))
        rooms = floors[-1].rooms
        if not rooms or rooms[-1].number != delivery.room:
            rooms.append(Room(delivery.room))
        rooms[-1].deliveries.append(delivery)
    return buildings


def _room_key(number: str) -> tuple[int, str]:
    digits = "".join(c for c in number if c.isdigit())
    return (int(digits) if digits else 0, number)


def claim_delivery(delivery: MealDelivery, person: Person) -> None:
    """Take a delivery for `person`: exactly one of two volunteers wins."""
    now = clock.now()
    won = MealDelivery.objects.filter(
        pk=delivery.pk, status=MealDelivery.Status.PENDING, claimed_by__isnull=True
    ).update(status=MealDelivery.Status.CLAIMED, claimed_by=person, claimed_at=now)
    delivery.refresh_from_db(fields=["status", "claimed_by", "claimed_at"])
    if won:
        return
    if delivery.status == MealDelivery.Status.CLAIMED and delivery.claimed_by_id == person.pk:
        return  # a double tap
    if not delivery.is_open:
        raise NotOpen(delivery)
    raise AlreadyTaken(delivery.claimed_by)


def confirm_delivery(
    delivery: MealDelivery,
    *,
    person: Person,
    via: str,
    acting_user: User,
    request: HttpRequest | None = None,
) -> None:
    """Record the meal at the door. A delivery nobody took is taken by the
    confirmer in the same statement; one another volunteer took is refused.
    What travelled with the meal is confirmed with it (`signals.delivery_confirmed`)."""
    now = clock.now()
    with transaction.atomic():
        won = MealDelivery.objects.filter(
            Q(claimed_by__isnull=True) | Q(claimed_by=person),
            pk=delivery.pk,
            status__in=[MealDelivery.Status.PENDING, MealDelivery.Status.CLAIMED],
        ).update(
            status=MealDelivery.Status.DELIVERED,
            claimed_by=person,
            claimed_at=delivery.claimed_at or now,
            delivered_at=now,
            confirmed_via=via,
        )
        delivery.refresh_from_db()
        if not won:
            if not delivery.is_open:
                raise NotOpen(delivery)
            raise AlreadyTaken(delivery.claimed_by)
        audit.record(
            CareEvent.DELIVERY_CONFIRMED,
            delivery,
            acting_user=acting_user,
            request=request,
            via=via,
        )
        delivery_confirmed.send(MealDelivery, delivery=delivery, acting_user=acting_user)


def confirm_receipt(delivery: MealDelivery) -> None:
    """The isolated person says the meal arrived."""
    if delivery.received_at is None:
        delivery.received_at = clock.now()
        delivery.save(update_fields=["received_at"])


def counsellor_of(isolation: Isolation) -> Person | None:
    admin_class = isolation.person.admin_class
    return admin_class.counsellor if admin_class else None


@transaction.atomic
def report_problem(delivery: MealDelivery, *, problem: str, note: str, acting_user: User) -> None:
    """The isolated person reports a wrong or missed meal; their counsellor hears of it."""
    delivery.problem = problem
    delivery.problem_note = note
    delivery.problem_at = clock.now()
    delivery.save(update_fields=["problem", "problem_note", "problem_at"])
    isolation = delivery.isolation
    counsellor = counsellor_of(isolation)
    audit.record(CareEvent.DELIVERY_PROBLEM, delivery, acting_user=acting_user, problem=problem)
    if counsellor is None:
        return
    label = MealDelivery.Problem(problem).label
    deliver(
        [
            Message(
                recipient=counsellor,
                kind=CARE,
                title=_("%(name)s (%(door)s): %(problem)s, %(meal)s")
                % {
                    "name": isolation.person.name,
                    "door": delivery.door,
                    "problem": label,
                    "meal": _meal(delivery),
                },
                body=note,
                link=reverse("care:isolation_detail", args=[isolation.pk]),
                # One message per problem report: a second report of the same
                # meal replaces the note, not the counsellor's inbox.
                key=f"care-problem:{delivery.pk}:{problem}",
                created_at=delivery.problem_at,
            )
        ]
    )


@transaction.atomic
def handle_delivery(
    delivery: MealDelivery, *, note: str, acting_user: User, request: HttpRequest | None = None
) -> None:
    """Record what was done about a late, missed or complained-about meal; an
    undelivered one is closed as missed."""
    fields = ["handled_note", "handled_at", "handled_by"]
    delivery.handled_note = note
    delivery.handled_at = clock.now()
    delivery.handled_by = acting_user
    if delivery.is_open:
        delivery.status = MealDelivery.Status.MISSED
        fields.append("status")
    delivery.save(update_fields=fields)
    audit.record(CareEvent.DELIVERY_HANDLED, delivery, acting_user=acting_user, request=request)


def _meal(delivery: MealDelivery) -> str:
    return f"{delivery.date:%m-%d} {delivery.slot.name} {delivery.slot.time:%H:%M}"


def alert_late(now: dt.datetime | None = None) -> int:
    """Tell the team lead(s) and the counsellor about each delivery still open
    LATE_AFTER past its time, once per delivery and person (the message key);
    returns how many messages were new. Only the last day is looked at: an
    alert about last week's breakfast helps nobody."""
    now = now or clock.now()
    late = list(
        MealDelivery.objects.filter(
            status__in=[MealDelivery.Status.PENDING, MealDelivery.Status.CLAIMED],
            due_at__lte=now - LATE_AFTER,
            due_at__gt=now - dt.timedelta(days=1),
            alerted_at__isnull=True,
        ).select_related("slot", "isolation__person__admin_class__counsellor")
    )
    if not late:
        return 0
    leads: dict[int, list[int]] = {}
    for team_id, person_id in Membership.objects.filter(
        team_id__in={d.team_id for d in late if d.team_id}, is_lead=True
    ).values_list("team_id", "person_id"):
        leads.setdefault(team_id, []).append(person_id)
    messages = []
    for delivery in late:
        meal = _meal(delivery)
        # The team lead is a volunteer: the door, never the person.
        for lead in leads.get(delivery.team_id or 0, []):
            messages.append(
                Message(
                    recipient_id=lead,
                    kind=CARE,
                    title=_("Not yet delivered: %(door)s, %(meal)s")
                    % {"door": delivery.door, "meal": meal},
                    link=delivery.get_absolute_url(),
                    key=f"care-late:{delivery.pk}:{lead}",
                    created_at=now,
                )
            )
        counsellor = counsellor_of(delivery.isolation)
        if counsellor is not None:
            messages.append(
                Message(
                    recipient=counsellor,
                    kind=CARE,
                    title=_("Not yet delivered: %(name)s (%(door)s), %(meal)s")
                    % {"name": delivery.isolation.person.name, "door": delivery.door, "meal": meal},
                    link=delivery.isolation.get_absolute_url(),
                    key=f"care-late:{delivery.pk}:{counsellor.pk}",
                    created_at=now,
                )
            )
    sent = deliver(messages)
    MealDelivery.objects.filter(pk__in=[d.pk for d in late], alerted_at__isnull=True).update(
        alerted_at=now
    )
    return sent


@transaction.atomic
def send_care(
    isolation: Isolation,
    *,
    kind: str,
    body: str,
    link: str = "",
    signed: str = "",
    acting_user: User,
    request: HttpRequest | None = None,
) -> CareContact:
    """A card or video to an isolated person (who is told), or a call or visit logged.

    It is from `acting_user` as the site knows them; `signed` is only a line
    they add below their name."""
    contact = CareContact(
        isolation=isolation,
        kind=kind,
        body=body,
        link=link,
        signed=signed,
        author=acting_user,
        at=clock.now(),
    )
    contact.set_sender(acting_user)
    contact.save()
    audit.record(
        CareEvent.CONTACT_RECORDED,
        isolation.person,
        acting_user=acting_user,
        request=request,
        kind=kind,
    )
    if not contact.is_log:
        sender = {"name": contact.sender_name, "role": contact.get_sender_role_display()}
        send(
            [isolation.person],
            CARE,
            _("A card for you from %(name)s (%(role)s)") % sender
            if kind == CareContact.Kind.CARD
            else _("A video for you from %(name)s (%(role)s)") % sender,
            body=body,
            link=reverse("care:mine"),
            key_for=lambda person: f"care-contact:{contact.pk}",
        )
    return contact
