"""Crisis mode: an incident, its check-in regime, its response plan and meetings.

Nothing here is specific to an epidemic: a flood or a campus closure is an
incident too. The check-in regime's settings live on the incident because they
start and end with it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.lib import clock
from shouwang.people.models import Person, Unit, in_units_q

REMINDER_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_reminder_times(values: Iterable[str]) -> list[str]:
    """Well-formed "HH:MM" times, sorted, each once; "8:00" becomes "08:00".

    Raises ValidationError naming every value that is not a time of day.
    """
    times: set[str] = set()
    bad: list[str] = []
    for value in values:
        value = value.strip()
        match = REMINDER_TIME.match(value)
        if match is None:
            bad.append(value)
            continue
        times.add(f"{int(match[1]):02d}:{match[2]}")
    if bad:
        raise ValidationError(
            _("Not a time of day (HH:MM): %(values)s"),
            code="invalid",
            params={"values": ", ".join(bad)},
        )
    return sorted(times)


def check_reminders_before(times: list[str], deadline: dt.time) -> None:
    """Reminders must come before the deadline: one at or after it would only
    tell people they are late, which the escalation already does."""
    late = [t for t in times if dt.time.fromisoformat(t) >= deadline]
    if late:
        raise ValidationError(
            _("Reminders must come before the deadline (%(deadline)s): %(times)s"),
            code="after_deadline",
            params={"deadline": deadline.strftime("%H:%M"), "times": ", ".join(late)},
        )


def people_covered(unit_ids: Iterable[int], reporters: str) -> QuerySet[Person]:
    """The present people of these units (sub-units included by the caller, and
    students with no unit through their class's unit) whom a regime of
    `reporters` asks to check in."""
    people = Person.objects.filter(in_units_q(unit_ids), status=Person.Status.PRESENT)
    if reporters == Incident.Reporters.STUDENTS:
        people = people.filter(kind=Person.Kind.STUDENT)
    elif reporters == Incident.Reporters.ON_CAMPUS:
        # On campus means living in a college dormitory: the roster knows
        # that; where someone happens to be today is what the check-in asks.
        people = people.filter(dorm_room__isnull=False)
    return people


def coverage_by_kind(unit_ids: Iterable[int], reporters: str) -> dict[str, int]:
    """How many people of each category (student, teacher, staff) a regime covers."""
    counts = dict.fromkeys(Person.Kind.values, 0)
    rows = (
        people_covered(unit_ids, reporters)
        .order_by()
        .values_list("kind")
        .annotate(n=models.Count("pk"))
    )
    counts.update(rows)
    return counts


class IncidentQuerySet(models.QuerySet["Incident"]):
    def open(self) -> IncidentQuerySet:
        return self.filter(closed_at__isnull=True)

    def open_first(self) -> IncidentQuerySet:
        """Open incidents (newest first), then closed ones, the latest closed first."""
        return self.order_by(F("closed_at").desc(nulls_first=True), "-started_at", "-pk")


class Incident(models.Model):
    class Level(models.IntegerChoices):
        # The four levels of China's emergency response (I is the gravest).
        I = 1, _("Level I (particularly serious)")  # noqa: E741
        II = 2, _("Level II (serious)")
        III = 3, _("Level III (relatively serious)")
        IV = 4, _("Level IV (general)")

    class Reporters(models.TextChoices):
        EVERYONE = "everyone", _("everyone")
        STUDENTS = "students", _("students only")
        ON_CAMPUS = "on_campus", _("on-campus residents only")

    title = models.CharField(_("title"), max_length=200)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, default=Level.III)
    started_at = models.DateTimeField(_("started at"), default=clock.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    units = models.ManyToManyField(Unit, related_name="incidents", verbose_name=_("units covered"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    # The check-in regime.
    reporters = models.CharField(
        _("who must report"), max_length=12, choices=Reporters.choices, default=Reporters.EVERYONE
    )
    deadline = models.TimeField(_("daily deadline"), default=dt.time(10, 0))
    # Local times ("HH:MM") at which everyone still missing is reminded.
    reminder_times = models.JSONField(_("reminder times"), default=list, blank=True)
    retention_days = models.PositiveIntegerField(
        _("days to keep check-in detail after closing"), default=30
    )
    # Under a closed campus: a check-in from off campus with no approved leave
    # covering the day is flagged for the counsellor (never judged).
    leave_required = models.BooleanField(_("off campus only with approved leave"), default=False)
    purged_at = models.DateTimeField(_("detail purged at"), null=True, blank=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("incidents:incident_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def start_date(self) -> dt.date:
        return timezone.localdate(self.started_at)

    @property
    def end_date(self) -> dt.date | None:
        return timezone.localdate(self.closed_at) if self.closed_at else None

    def clean(self) -> None:
        if self.deadline is None:
            return  # clean_fields reports the missing deadline
        try:
            if not isinstance(self.reminder_times, list):
                raise ValidationError(_("Give a list of times."))
            times = parse_reminder_times(self.reminder_times)
            if times != self.reminder_times:
                raise ValidationError(_("Reminder times must be sorted and given once each."))
            check_reminders_before(times, self.deadline)
        except ValidationError as error:
            raise ValidationError({"reminder_times": error}) from None

    def covers(self, day: dt.date) -> bool:
        end = self.end_date
        return self.start_date <= day and (end is None or day <= end)

    def deadline_at(self, day: dt.date) -> dt.datetime:
        """The deadline of a local day, as an aware datetime."""
        return clock.at(day, self.deadline)

    def unit_ids(self) -> set[int]:
        """The covered units and everything below them (two queries, however many units)."""
        # units.all(), not values_list: it uses the units prefetched by callers.
        return Unit.subtree_ids(unit.pk for unit in self.units.all())

    def expected_people(self) -> QuerySet[Person]:
        """Everyone the regime covers: present people of the covered units."""
        return people_covered(self.unit_ids(), self.reporters)

    def purge_due_at(self) -> dt.datetime | None:
        if self.closed_at is None:
            return None
        return self.closed_at + dt.timedelta(days=self.retention_days)


class PlanTemplate(models.Model):
    """A reusable response plan ("校园封控应急预案"): its tasks are copied into
    each incident opened with it."""

    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("plan template")
        verbose_name_plural = _("plan templates")

    def __str__(self) -> str:
        return self.name


class PlanTemplateTask(models.Model):
    template = models.ForeignKey(
        PlanTemplate, models.CASCADE, related_name="tasks", verbose_name=_("template")
    )
    title = models.CharField(_("title"), max_length=200)
    # Due this long after the incident opens.
    due_after = models.DurationField(_("due after"), default=dt.timedelta(hours=24))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("template task")
        verbose_name_plural = _("template tasks")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class PlanTask(models.Model):
    incident = models.ForeignKey(
        Incident, models.CASCADE, related_name="tasks", verbose_name=_("incident")
    )
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("owner")
    )
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    note = models.TextField(_("note"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("plan task")
        verbose_name_plural = _("plan tasks")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return not self.is_done and self.due_at is not None and self.due_at < clock.now()


class Meeting(models.Model):
    """A meeting and what it decided: one held for an incident ("召开专题会议研究
    部署"), or the college's own, such as the work-promotion meeting (学院工作推进会).
    Each decision is a row, so that the work it started can point to it."""

    incident = models.ForeignKey(
        Incident,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("incident"),
    )
    held_at = models.DateTimeField(_("held at"))
    title = models.CharField(_("title"), max_length=200)
    is_online = models.BooleanField(_("held online"), default=False)
    attendees = models.TextField(_("attendees"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("incidents:meeting_detail", args=[self.pk])


class Decision(models.Model):
    """One thing a meeting decided, numbered as the minutes number them."""

    meeting = models.ForeignKey(
        Meeting, models.CASCADE, related_name="decisions", verbose_name=_("meeting")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("decision"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="decision_numbered_once")
        ]

    def __str__(self) -> str:
        return f"{self.meeting}（{self.number}）{self.text[:40]}"


# "1." "1、" "(1)" "（一）" "一、" at the start of a line of minutes.
DECISION_NUMBER = re.compile(r"^\s*[(（]?[0-9一二三四五六七八九十]+[)）.、．]\s*")


def decision_lines(text: str) -> list[str]:
    """The decisions typed one per line, their numbering ("1.", "（二）") dropped."""
    lines = (DECISION_NUMBER.sub("", line).strip() for line in text.splitlines())
    return [line for line in lines if line]
