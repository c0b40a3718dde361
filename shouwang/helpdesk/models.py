"""Help requests: a person's problem, its owner, its deadline and its history.

Every change to a request is a `HelpRequestEvent`: the history is the record, and every
count in the overview is a query over requests and their events.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.uploads import MB, Attachment
from shouwang.lib import clock
from shouwang.people.models import Person, Unit


class UnitDesk(models.Model):
    """Who takes the help requests of a unit's staff (its office), set in the admin."""

    unit = models.OneToOneField(Unit, models.CASCADE, related_name="desk", verbose_name=_("unit"))
    handler = models.ForeignKey(
        Person, models.PROTECT, related_name="desks", verbose_name=_("handler")
    )

    class Meta:
        verbose_name = _("unit desk")
        verbose_name_plural = _("unit desks")

    def __str__(self) -> str:
        return f"{self.unit} → {self.handler}"


class HelpRequest(models.Model):
    class Category(models.TextChoices):
        STUDY = "study", _("study")
        LIVING = "living", _("living")
        HEALTH = "health", _("health")
        PSYCHOLOGICAL = "psychological", _("psychological")
        EMPLOYMENT = "employment", _("employment")
        SUPPLIES = "supplies", _("supplies")
        FINANCE = "finance", _("finance")
        OTHER = "other", _("other")

    class Urgency(models.TextChoices):
        URGENT = "urgent", _("urgent")
        HIGH = "high", _("high")
        NORMAL = "normal", _("normal")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        ACCEPTED = "accepted", _("accepted")
        IN_PROGRESS = "in_progress", _("in progress")
        RESOLVED = "resolved", _("resolved")
        CONFIRMED = "confirmed", _("confirmed")
        REOPENED = "reopened", _("reopened")
        CLOSED = "closed", _("closed without confirmation")

    requester = models.ForeignKey(
        Person, models.PROTECT, related_name="help_requests", verbose_name=_("requester")
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    handler = models.ForeignKey(
        Person,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_requests",
        verbose_name=_("handler"),
    )
    created_at = models.DateTimeField(_("submitted at"), default=clock.now)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)

    OPEN = (Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS, Status.REOPENED)
    DONE = (Status.CONFIRMED, Status.CLOSED)

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_category_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_sensitive(self) -> bool:
        return self.category == self.Category.PSYCHOLOGICAL

    def limits(self) -> tuple[dt.timedelta, dt.timedelta]:
        """Hours to a first response and to a resolution for this urgency."""
        response, resolution = settings.HELPDESK_LIMITS[self.urgency]
        return dt.timedelta(hours=response), dt.timedelta(hours=resolution)

    @property
    def respond_by(self) -> dt.datetime:
        return self.created_at + self.limits()[0]

    @property
    def resolve_by(self) -> dt.datetime:
        return self.created_at + self.limits()[1]

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        now = now or clock.now()
        if not self.is_open:
            return False
        return (self.first_response_at is None and now > self.respond_by) or now > self.resolve_by


class HelpRequestAttachment(Attachment):
    folder = "helpdesk"
    # A phone's photo or a scanned form: a student's data plan is small.
    max_bytes = 10 * MB

    request = models.ForeignKey(
        HelpRequest, models.CASCADE, related_name="attachments", verbose_name=_("help request")
    )

    def get_absolute_url(self) -> str:
        return reverse("helpdesk:attachment", args=[self.request_id, self.pk])


class HelpRequestEvent(models.Model):
    """One line of a request's history."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        ASSIGNED = "assigned", _("assigned")
        CLAIMED = "claimed", _("taken")
        REPLY = "reply", _("reply")
        NOTE = "note", _("internal note")
        STATUS = "status", _("status changed")
        CONFIRMED = "confirmed", _("confirmed")
        REOPENED = "reopened", _("reopened")
        CLOSED = "closed", _("closed")
        ALERT = "alert", _("time limit passed")
        TASK = "task", _("task")

    request = models.ForeignKey(
        HelpRequest, models.CASCADE, related_name="events", verbose_name=_("help request")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=clock.now)
    text = models.TextField(_("text"), blank=True)
    internal = models.BooleanField(_("staff only"), default=False)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind}"


class HelpRequestTask(models.Model):
    """A piece of a request done by someone else: what to do and where, nothing more."""

    request = models.ForeignKey(
        HelpRequest, models.CASCADE, related_name="tasks", verbose_name=_("help request")
    )
    assignee = models.ForeignKey(
        Person, models.PROTECT, related_name="help_tasks", verbose_name=_("assignee")
    )
    what = models.CharField(_("what to do"), max_length=300)
    where = models.CharField(_("where or whom to contact"), max_length=200)
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.what
