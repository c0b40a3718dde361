"""The chronicle (工作纪实): a college's public account of an incident.

The prose is its author's, stored with a marker where each figure goes
(`reports.chronicle` says how); the figures are the data's. Until the
chronicle is published they are counted afresh whenever it is shown or
exported; publishing freezes them, with the moment they were counted, in
`figures` and `counted_at`, and the published chronicle then says what the
data said at that moment whatever happens to the data after.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.lib import clock
from shouwang.people.models import Unit

from .figures import Scope

if TYPE_CHECKING:
    from shouwang.incidents.models import Incident


class Chronicle(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("college"))
    incident = models.ForeignKey(
        "incidents.Incident",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("incident"),
    )
    first = models.DateField(_("first day"))
    # None: up to the incident's close, or today while it runs; set when published.
    last = models.DateField(_("last day"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=120)
    # The bulletin's 供稿 line: "经济学院 王老师供稿".
    byline = models.CharField(_("contributed by"), max_length=60, blank=True)
    lead = models.TextField(_("opening paragraph"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # {key: value} as counted when published (JSON values, as `--json` prints them).
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    counted_at = models.DateTimeField(_("figures counted at"), null=True, blank=True)
    article = models.OneToOneField(
        "bulletin.Article",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="chronicle",
        verbose_name=_("article"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    created_at = models.DateTimeField(_("drafted at"), default=clock.now)
    changed_at = models.DateTimeField(_("changed at"), default=clock.now)
    published_at = models.DateTimeField(_("publication time"), null=True, blank=True)

    class Meta:
        verbose_name = _("chronicle")
        verbose_name_plural = _("chronicles")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["unit", "created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:chronicle", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def scope(self) -> Scope:
        """What the chronicle counts: its college over its days."""
        incident: Incident | None = self.incident
        if incident is not None:
            return Scope.of_incident(incident, self.unit, last=self.last)
        return Scope(unit=self.unit, first=self.first, last=self.last or clock.today())


class ChronicleSection(models.Model):
    """One part of the account, in the seed's order: its prose with the markers
    of its figures, and the heading printed before it (if any)."""

    class Topic(models.TextChoices):
        DEPLOYMENT = "deployment", _("Deployment")
        ONLINE_TEACHING = "online_teaching", _("Online teaching")
        KEY_WORK = "key_work", _("Key work")
        CARE = "care", _("Help and care")
        EMPLOYMENT = "employment", _("Employment")
        DUTY = "duty", _("Working from home and on duty on site")
        DONATIONS = "donations", _("Donations")
        VOLUNTEERING = "volunteering", _("Volunteering")
        ACTIVITIES = "activities", _("Activities")

    chronicle = models.ForeignKey(
        Chronicle, models.CASCADE, related_name="sections", verbose_name=_("chronicle")
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    position = models.PositiveSmallIntegerField(_("position"))
    heading = models.CharField(_("heading"), max_length=60, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("chronicle section")
        verbose_name_plural = _("chronicle sections")
        ordering = ["chronicle", "position"]
        constraints = [
            models.UniqueConstraint(fields=["chronicle", "topic"], name="chronicle_topic_once")
        ]

    def __str__(self) -> str:
        return self.get_topic_display()
