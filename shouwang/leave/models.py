"""Leave and campus-access approvals (请假、离校、返校、入校).

A person asks for leave of a kind the college configures; the kind's chain of
steps names who approves, in order, each step applying always or only when
its condition holds (longer than some working days of the school calendar,
or leaving a city). A request waits on one approver at a time (`approver`,
resolved when its step begins), so "what waits on me" is one indexed query;
every submission, decision, reminder, escalation and gate passage is a
`LeaveStep` of its history.

An approved leave is a pass: the gate records the exit and the return by
scanning it, or the person reports back (销假) and their counsellor confirms.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.core.calendar import working_days_between
from shouwang.core.uploads import DOCUMENTS, MB, Attachment
from shouwang.lib import clock, divisions
from shouwang.people.models import Person, Unit


class LeaveKind(models.Model):
    """A kind of leave the college grants: 病假, 事假, 离校, 返校, 入校 …"""

    class Who(models.TextChoices):
        STUDENTS = "students", _("students")
        STAFF = "staff", _("teachers and staff")
        EVERYONE = "everyone", _("everyone")

    class Whereabouts(models.TextChoices):
        # Where the holder is while the leave runs: away from campus (a
        # hospital visit, home), or on a closed campus (staff entering for duty).
        AWAY = "away", _("off campus")
        ON_CAMPUS = "on_campus", _("on campus")

    name = models.CharField(_("name"), max_length=50, unique=True)
    who = models.CharField(
        _("who may ask"), max_length=10, choices=Who.choices, default=Who.STUDENTS
    )
    whereabouts = models.CharField(
        _("where the holder is"),
        max_length=10,
        choices=Whereabouts.choices,
        default=Whereabouts.AWAY,
    )
    needs_destination = models.BooleanField(_("asks for the destination"), default=True)
    needs_attachment = models.BooleanField(
        _("asks for a supporting document"), default=False, help_text=_("e.g. a doctor's note")
    )
    # An approver who has not decided within this many hours is reminded; as
    # long again, and the leaders are told and may decide instead.
    decide_within_hours = models.PositiveSmallIntegerField(
        _("hours an approver has to decide"), default=24
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("kind of leave")
        verbose_name_plural = _("kinds of leave")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name

    def offered_to(self, person: Person) -> bool:
        if self.who == self.Who.EVERYONE:
            return True
        is_student = person.kind == Person.Kind.STUDENT
        return is_student == (self.who == self.Who.STUDENTS)

    @property
    def decide_within(self) -> dt.timedelta:
        return dt.timedelta(hours=self.decide_within_hours)


class Post(models.Model):
    """A named post held in each unit by one person (学工副书记, 院长 …), to
    which a chain's step may send a request."""

    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PostHolder(models.Model):
    post = models.ForeignKey(Post, models.CASCADE, related_name="holders", verbose_name=_("post"))
    unit = models.ForeignKey(Unit, models.CASCADE, related_name="+", verbose_name=_("unit"))
    person = models.ForeignKey(
        Person, models.CASCADE, related_name="leave_posts", verbose_name=_("holder")
    )

    class Meta:
        verbose_name = _("holder of a post")
        verbose_name_plural = _("holders of posts")
        constraints = [models.UniqueConstraint(fields=["post", "unit"], name="post_held_once")]

    def __str__(self) -> str:
        return f"{self.unit} {self.post}: {self.person.name}"


class ChainStep(models.Model):
    """One step of a kind's approval chain. A step with no condition always
    applies; with conditions, it applies when any of them holds."""

    class Approver(models.TextChoices):
        COUNSELLOR = "counsellor", _("the requester's counsellor")
        POST = "post", _("the holder of a post in the requester's unit or above")
        PERSON = "person", _("a named person")

    kind = models.ForeignKey(
        LeaveKind, models.CASCADE, related_name="steps", verbose_name=_("kind of leave")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    approver = models.CharField(_("approver"), max_length=10, choices=Approver.choices)
    post = models.ForeignKey(
        Post, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("post")
    )
    person = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("person")
    )
    # Conditions: more than this many working days of the school calendar …
    over_working_days = models.PositiveSmallIntegerField(
        _("when longer than (working days)"), null=True, blank=True
    )
    # … or a destination outside this city (a division code).
    outside_city = models.CharField(_("when leaving the city"), max_length=6, blank=True)

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["kind", "position"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "position"], name="chain_step_once"),
            models.CheckConstraint(
                condition=(Q(approver="post") & Q(post__isnull=False))
                | (Q(approver="person") & Q(person__isnull=False))
                | Q(approver="counsellor"),
                name="chain_step_names_its_approver",
            ),
        ]

    def __str__(self) -> str:
        if self.approver == self.Approver.POST and self.post:
            return str(self.post)
        if self.approver == self.Approver.PERSON and self.person:
            return self.person.name
        return str(self.get_approver_display())

    @property
    def conditional(self) -> bool:
        return self.over_working_days is not None or bool(self.outside_city)

    def applies_to(self, request: LeaveRequest) -> bool:
        if not self.conditional:
            return True
        if self.over_working_days is not None and request.working_days > self.over_working_days:
            return True
        # A leave with no destination (sick leave in the dorm) leaves no city.
        return bool(self.outside_city and request.city) and request.city != self.outside_city

    @property
    def condition_label(self) -> str:
        parts = []
        if self.over_working_days is not None:
            parts.append(_("longer than %(days)s working days") % {"days": self.over_working_days})
        if self.outside_city:
            city = divisions.names().get(self.outside_city, self.outside_city)
            parts.append(_("leaving %(city)s") % {"city": city})
        return str(_(" or ")).join(str(p) for p in parts)


class LeaveRequestQuerySet(models.QuerySet["LeaveRequest"]):
    def approved(self) -> LeaveRequestQuerySet:
        """Leaves in effect: approved, and not a change (an approved change
        took effect on the leave it amends)."""
        return self.filter(status=LeaveRequest.Status.APPROVED, amends__isnull=True)

    def covering(self, day: dt.date) -> LeaveRequestQuerySet:
        """Approved leaves that run on the local `day` and are not over yet."""
        start = clock.at(day, dt.time.min)
        end = start + dt.timedelta(days=1)
        return self.approved().filter(starts_at__lt=end, ends_at__gte=start, back_at__isnull=True)

    def overdue(self, now: dt.datetime) -> LeaveRequestQuerySet:
        """Approved leaves away from campus whose end has passed with nobody back."""
        return self.approved().filter(
            kind__whereabouts=LeaveKind.Whereabouts.AWAY, ends_at__lt=now, back_at__isnull=True
        )


class LeaveRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("leave request", "waiting for approval")
        RETURNED = "returned", pgettext_lazy("leave request", "returned for changes")
        APPROVED = "approved", pgettext_lazy("leave request", "approved")
        REJECTED = "rejected", pgettext_lazy("leave request", "rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("leave request", "withdrawn")
        # An approved leave called off, or replaced by its extension.
        CANCELLED = "cancelled", pgettext_lazy("leave request", "cancelled")

    class Change(models.TextChoices):
        EXTEND = "extend", _("extend the leave")
        CANCEL = "cancel", _("cancel the leave")

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="leave_requests", verbose_name=_("requester")
    )
    kind = models.ForeignKey(
        LeaveKind, models.PROTECT, related_name="requests", verbose_name=_("kind of leave")
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    province = models.CharField(_("province"), max_length=6, blank=True)
    city = models.CharField(_("city"), max_length=6, blank=True)
    address = models.CharField(_("where exactly"), max_length=200, blank=True)
    reason = models.TextField(_("reason"))
    contact_name = models.CharField(_("emergency contact"), max_length=50)
    contact_phone = models.CharField(_("emergency contact's phone"), max_length=20)
    # A change to an approved leave (extend or cancel) is a request of its own
    # through the chain again; once approved, it changes the leave it amends.
    amends = models.ForeignKey(
        "self",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("changes the leave"),
    )
    change = models.CharField(_("change"), max_length=10, choices=Change.choices, blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # While pending: the chain step it is at and the person it waits on (None
    # when the step names nobody: the leaders decide it).
    step = models.ForeignKey(
        ChainStep, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("step")
    )
    approver = models.ForeignKey(
        Person,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="leave_to_decide",
        verbose_name=_("waiting on"),
    )
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("approver reminded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("leaders told at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("asked at"), default=clock.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    # The pass: the gate's scans, or the person's report and its confirmation.
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    back_at = models.DateTimeField(_("back at"), null=True, blank=True)
    back_reported_at = models.DateTimeField(_("reported back at"), null=True, blank=True)
    overdue_told_at = models.DateTimeField(_("overdue told at"), null=True, blank=True)
    # The leaders hear of a leave a day after its counsellor (`overdue`).
    leaders_told_at = models.DateTimeField(
        _("leaders told of the overdue return at"), null=True, blank=True
    )

    objects = LeaveRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="leave_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(amends__isnull=True, change="")
                | (Q(amends__isnull=False) & ~Q(change="")),
                name="leave_change_names_its_leave",
            ),
        ]
        indexes = [
            # An approver's queue; the pending requests due a reminder.
            models.Index(fields=["approver", "status"], name="leave_queue"),
            models.Index(fields=["status", "waiting_since"], name="leave_waiting"),
            # Whose leave covers a day; who is overdue.
            models.Index(fields=["status", "ends_at"], name="leave_by_end"),
            models.Index(fields=["person", "status"], name="leave_by_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.kind.name} {self.local_start:%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("leave:request_detail", args=[self.pk])

    @property
    def local_start(self) -> dt.datetime:
        return timezone.localtime(self.starts_at)

    @property
    def local_end(self) -> dt.datetime:
        return timezone.localtime(self.ends_at)

    @property
    def working_days(self) -> int:
        """The working days of the school calendar the leave spans (both ends counted)."""
        return working_days_between(self.local_start.date(), self.local_end.date())

    @property
    def destination(self) -> str:
        place = divisions.label(self.province, self.city) if self.province else ""
        return " ".join(p for p in (place, self.address) if p)

    @property
    def is_open(self) -> bool:
        """Still waiting on someone: an approver, or the requester's changes."""
        return self.status in (self.Status.PENDING, self.Status.RETURNED)

    @property
    def in_effect(self) -> bool:
        """Approved, and a leave rather than a change of one (see `approved()`)."""
        return self.status == self.Status.APPROVED and self.amends_id is None

    @property
    def is_away(self) -> bool:
        approved = self.in_effect
        return approved and self.left_at is not None and self.back_at is None

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        return (
            self.in_effect
            and self.kind.whereabouts == LeaveKind.Whereabouts.AWAY
            and self.back_at is None
            and self.ends_at < (now or clock.now())
        )


class LeaveStep(models.Model):
    """One entry of a request's history: who did what, when, at which step."""

    class Event(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("leave history", "asked")
        RESUBMITTED = "resubmitted", pgettext_lazy("leave history", "sent again")
        APPROVED = "approved", pgettext_lazy("leave history", "approved")
        REJECTED = "rejected", pgettext_lazy("leave history", "rejected")
        RETURNED = "returned", pgettext_lazy("leave history", "returned for changes")
        WITHDRAWN = "withdrawn", pgettext_lazy("leave history", "withdrawn")
        REMINDED = "reminded", pgettext_lazy("leave history", "approver reminded")
        ESCALATED = "escalated", pgettext_lazy("leave history", "leaders told")
        LEFT = "left", pgettext_lazy("leave history", "left through the gate")
        CAME_BACK = "came_back", pgettext_lazy("leave history", "came back through the gate")
        BACK_REPORTED = "back_reported", pgettext_lazy("leave history", "reported back")
        BACK_CONFIRMED = "back_confirmed", pgettext_lazy("leave history", "return confirmed")
        CHANGED = "changed", pgettext_lazy("leave history", "changed by an approved request")

    DECISIONS = (Event.APPROVED, Event.REJECTED, Event.RETURNED)

    request = models.ForeignKey(
        LeaveRequest, models.CASCADE, related_name="history", verbose_name=_("request")
    )
    event = models.CharField(_("event"), max_length=15, choices=Event.choices)
    at = models.DateTimeField(_("at"), default=clock.now)
    # Who acted (a person; none for the system's reminders) and the step it was at.
    by = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    step = models.ForeignKey(
        ChainStep, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("step")
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("leave history entry")
        verbose_name_plural = _("leave history")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["by", "event"], name="leave_decided_by")]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.get_event_display()}"


class LeaveAttachment(Attachment):
    """A doctor's note, a hospital appointment, a duty order."""

    folder = "leave"
    kinds = DOCUMENTS
    max_bytes = 10 * MB

    request = models.ForeignKey(
        LeaveRequest, models.CASCADE, related_name="attachments", verbose_name=_("request")
    )

    class Meta(Attachment.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
