"""Care for isolated people: isolations and isolation rooms, the meal plan,
deliveries of each meal to each door, and the care contacts (cards, videos,
calls and visits) the isolated receive.

A delivery copies its door (building, floor, room) and the dietary note when
it is generated: it is the day's instruction to a volunteer, and the route
list reads it without touching the person, whom a volunteer must not see.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.accounts.models import Role
from shouwang.lib import clock
from shouwang.people.dorms import floor_from_number
from shouwang.people.models import DormRoom, Person
from shouwang.screening.models import Flag
from shouwang.volunteers.models import Team

if TYPE_CHECKING:
    from shouwang.accounts.models import User

# A delivery not confirmed this long after its slot's time is late: the team
# lead and the counsellor hear of it.
LATE_AFTER = dt.timedelta(minutes=30)


def floor_of(number: str) -> int:
    """The floor a room number implies ("312" -> 3, "1205" -> 12); a room
    number without digits is on the ground floor (1)."""
    return floor_from_number(number) or 1


class IsolationRoom(models.Model):
    """A room set aside for isolation, with how many people it takes."""

    building = models.CharField(_("building"), max_length=50)
    number = models.CharField(_("room"), max_length=20)
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=1)
    is_active = models.BooleanField(_("in use"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("isolation room")
        verbose_name_plural = _("isolation rooms")
        ordering = ["building", "number"]
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="isolationroom_unique"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="isolationroom_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.building}-{self.number}"


class IsolationQuerySet(models.QuerySet["Isolation"]):
    def active(self) -> IsolationQuerySet:
        return self.filter(ended_at__isnull=True)


class Isolation(models.Model):
    """A person in isolation: in their own dorm room or in an isolation room."""

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="isolations", verbose_name=_("person")
    )
    # The screening flag that led here, if one did.
    flag = models.ForeignKey(
        Flag,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="isolations",
        verbose_name=_("screening flag"),
    )
    dorm_room = models.ForeignKey(
        DormRoom,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="isolations",
        verbose_name=_("dormitory room"),
    )
    room = models.ForeignKey(
        IsolationRoom,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="isolations",
        verbose_name=_("isolation room"),
    )
    reason = models.CharField(_("reason"), max_length=200)
    dietary_note = models.CharField(_("dietary note"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("start"))
    planned_end = models.DateField(_("planned end"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_note = models.CharField(_("note on ending"), max_length=500, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("placed by"),
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )

    objects = IsolationQuerySet.as_manager()

    class Meta:
        verbose_name = _("isolation")
        verbose_name_plural = _("isolations")
        ordering = ["-started_at", "-id"]
        constraints = [
            # Exactly one place: their own room or an isolation room.
            models.CheckConstraint(
                condition=Q(dorm_room__isnull=True, room__isnull=False)
                | Q(dorm_room__isnull=False, room__isnull=True),
                name="isolation_one_place",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_at__isnull=True),
                name="isolation_one_active_per_person",
            ),
        ]
        indexes = [models.Index(fields=["room", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.place}"

    def get_absolute_url(self) -> str:
        return reverse("care:isolation_detail", args=[self.pk])

    @property
    def place(self) -> DormRoom | IsolationRoom:
        place = self.room if self.room_id else self.dorm_room
        assert place is not None  # noqa: S101 - the check constraint promises it
        return place

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    def active_at(self, moment: dt.datetime) -> bool:
        return self.started_at <= moment and (self.ended_at is None or self.ended_at > moment)

    def end(self, note: str, by: User) -> None:
        self.ended_at = clock.now()
        self.end_note = note
        self.ended_by = by
        self.save(update_fields=["ended_at", "end_note", "ended_by"])


class MealSlot(models.Model):
    """One meal of the meal plan: its name, time and where it is dropped."""

    name = models.CharField(_("name"), max_length=20, unique=True)
    time = models.TimeField(_("time"))
    drop_point = models.CharField(_("drop point"), max_length=100, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("meal slot")
        verbose_name_plural = _("meal slots")
        ordering = ["time"]

    def __str__(self) -> str:
        return f"{self.name} {self.time:%H:%M}"

    def due_on(self, day: dt.date) -> dt.datetime:
        return clock.at(day, self.time)


class BuildingTeam(models.Model):
    """Which team carries the meals to a building's doors."""

    building = models.CharField(_("building"), max_length=50, unique=True)
    team = models.ForeignKey(
        Team, models.CASCADE, related_name="care_buildings", verbose_name=_("team")
    )

    class Meta:
        verbose_name = _("building's delivery team")
        verbose_name_plural = _("buildings' delivery teams")
        ordering = ["building"]

    def __str__(self) -> str:
        return f"{self.building} → {self.team}"


class MealDelivery(models.Model):
    """One meal to one isolated person's door."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        CLAIMED = "claimed", _("on the way")
        DELIVERED = "delivered", _("delivered")
        MISSED = "missed", _("missed")

    class Via(models.TextChoices):
        QR = "qr", _("door label scanned")
        BUTTON = "button", _("confirmed without the label")

    class Problem(models.TextChoices):
        WRONG_MEAL = "wrong_meal", _("wrong meal")
        MISSED_MEAL = "missed_meal", _("meal not received")

    isolation = models.ForeignKey(
        Isolation, models.CASCADE, related_name="deliveries", verbose_name=_("isolation")
    )
    slot = models.ForeignKey(
        MealSlot, models.PROTECT, related_name="deliveries", verbose_name=_("meal")
    )
    date = models.DateField(_("date"))
    due_at = models.DateTimeField(_("due at"))
    # The door as it was when the delivery was made (see the module docstring).
    building = models.CharField(_("building"), max_length=50)
    floor = models.SmallIntegerField(_("floor"))
    room = models.CharField(_("room"), max_length=20)
    dietary_note = models.CharField(_("dietary note"), max_length=200, blank=True)
    team = models.ForeignKey(
        Team,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="care_deliveries",
        verbose_name=_("team"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    claimed_by = models.ForeignKey(
        Person,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="claimed_deliveries",
        verbose_name=_("taken by"),
    )
    claimed_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    confirmed_via = models.CharField(
        _("confirmed by"), max_length=10, choices=Via.choices, blank=True
    )
    alerted_at = models.DateTimeField(_("late alert sent at"), null=True, blank=True)
    received_at = models.DateTimeField(_("receipt confirmed at"), null=True, blank=True)
    problem = models.CharField(_("problem"), max_length=12, choices=Problem.choices, blank=True)
    problem_note = models.CharField(_("about the problem"), max_length=300, blank=True)
    problem_at = models.DateTimeField(_("problem reported at"), null=True, blank=True)
    handled_note = models.CharField(_("what was done"), max_length=300, blank=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )

    class Meta:
        verbose_name = _("meal delivery")
        verbose_name_plural = _("meal deliveries")
        ordering = ["due_at", "building", "floor", "room"]
        constraints = [
            models.UniqueConstraint(
                fields=["isolation", "slot", "date"], name="delivery_once_per_slot"
            ),
        ]
        indexes = [
            # The route list: a team's deliveries of a day.
            models.Index(fields=["team", "date"]),
            # The late-alert job: what is still open past its time.
            models.Index(fields=["status", "due_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.door} · {self.date:%m-%d} {self.slot_id}"

    def get_absolute_url(self) -> str:
        return reverse("care:delivery_detail", args=[self.pk])

    @property
    def door(self) -> str:
        return f"{self.building}-{self.room}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.CLAIMED)

    @property
    def badges(self) -> list[tuple[str, str]]:
        """(text, Bootstrap class) of the state as a volunteer's list shows it."""
        shown = {
            self.Status.PENDING: "text-bg-secondary",
            self.Status.CLAIMED: "text-bg-info",
            self.Status.DELIVERED: "text-bg-success",
            self.Status.MISSED: "text-bg-danger",
        }
        badges = [(str(self.get_status_display()), shown[self.Status(self.status)])]
        if self.status != self.Status.MISSED and self.is_late:
            badges.append((str(pgettext_lazy("meal delivery", "late")), "text-bg-warning"))
        return badges

    @property
    def is_late(self) -> bool:
        """Delivered, but later than LATE_AFTER past its time; or still open past it."""
        if self.delivered_at is not None:
            return self.delivered_at > self.due_at + LATE_AFTER
        return self.is_open and clock.now() > self.due_at + LATE_AFTER


class CareContact(models.Model):
    """Care an isolated person received: a card, a video, a call, a visit.

    The person sees who sent it as the site knows them, with their role: a
    card is not signed "辅导员 王老师" by whoever types that. The sender's name
    and role are kept as they were when it was sent.
    """

    class Kind(models.TextChoices):
        CARD = "card", _("card")
        VIDEO = "video", _("video")
        CALL = "call", _("call")
        VISIT = "visit", _("visit")

    class SenderRole(models.TextChoices):
        LEADER = "leader", _("college leader")
        COUNSELLOR = "counsellor", _("counsellor")
        VOLUNTEER = "volunteer", _("volunteer")
        TEACHER = "teacher", _("teacher")
        STAFF = "staff", _("staff member")
        ADMIN = "admin", _("administrator")

    isolation = models.ForeignKey(
        Isolation, models.CASCADE, related_name="contacts", verbose_name=_("isolation")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    body = models.TextField(_("message"), blank=True)
    link = models.URLField(_("video link"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("from"),
    )
    sender_name = models.CharField(_("sender"), max_length=100, blank=True)
    sender_role = models.CharField(
        _("sender's role"), max_length=12, choices=SenderRole.choices, blank=True
    )
    # A line the sender adds below their name (their team, "and classmates"):
    # shown as theirs, never in place of it.
    signed = models.CharField(_("signed"), max_length=100, blank=True)
    at = models.DateTimeField(_("at"), default=clock.now)

    class Meta:
        verbose_name = _("care contact")
        verbose_name_plural = _("care contacts")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.at:%m-%d}"

    @property
    def is_log(self) -> bool:
        """Calls and visits are the counsellor's log; cards and videos are sent."""
        return self.kind in (self.Kind.CALL, self.Kind.VISIT)

    def set_sender(self, user: User) -> None:
        """Name the sender by their account, and their role by what they are in the college."""
        person = user.person
        self.sender_name = (person.name if person else user.get_full_name() or user.username)[:100]
        roles, role = user.roles, self.SenderRole
        if Role.LEADER in roles:
            self.sender_role = role.LEADER
        elif Role.COUNSELLOR in roles:
            self.sender_role = role.COUNSELLOR
        elif Role.VOLUNTEER in roles or (person and person.kind == Person.Kind.STUDENT):
            self.sender_role = role.VOLUNTEER
        elif person and person.kind == Person.Kind.TEACHER:
            self.sender_role = role.TEACHER
        elif person:
            self.sender_role = role.STAFF
        else:
            self.sender_role = role.ADMIN

    @property
    def sender(self) -> str:
        """The sender's name; for a contact from before names were kept, its author's."""
        if self.sender_name:
            return self.sender_name
        author = self.author
        return author.person.name if author and author.person else ""
