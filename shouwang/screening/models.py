"""Screening: flags raised from check-ins (and their absence), what the
counsellors did about them, and the regions the leaders mark as risky."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.lib.divisions import label as division_label
from shouwang.people.models import Person


class RiskRegion(models.Model):
    """A region the leaders mark as risky for an incident: a whole province
    (no city) or one city."""

    incident = models.ForeignKey(
        Incident, models.CASCADE, related_name="risk_regions", verbose_name=_("incident")
    )
    province = models.CharField(_("province"), max_length=6)
    city = models.CharField(_("city"), max_length=6, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("marked by"),
    )
    marked_at = models.DateTimeField(_("marked at"), default=clock.now)

    class Meta:
        verbose_name = _("risk region")
        verbose_name_plural = _("risk regions")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "province", "city"], name="riskregion_unique"
            )
        ]

    def __str__(self) -> str:
        return division_label(self.province, self.city)


class Flag(models.Model):
    """A screening suggestion about a person on a day. Nothing is decided
    automatically: a counsellor records what was done (FlagAction)."""

    class Reason(models.TextChoices):
        SYMPTOMS = "symptoms", _("symptoms")
        FEVER = "fever", _("temperature of 37.3 °C or more")
        CONTACT = "contact", _("contact with a case")
        RISK_AREA = "risk_area", _("stayed in a risk area")
        MISSED = "missed", _("missed two or more days in a row")
        RISK_REGION = "risk_region", _("off campus in a risky region")
        # Where the check-in says the person is, against their approved leave
        # (or its absence, where the regime asks for leave to be off campus).
        LEAVE = "leave", _("whereabouts differ from leave")
        NO_LEAVE = "no_leave", _("off campus without approved leave")

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="flags", verbose_name=_("person")
    )
    incident = models.ForeignKey(
        Incident, models.CASCADE, related_name="flags", verbose_name=_("incident")
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    created_at = models.DateTimeField(_("raised at"), default=clock.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("screening flag")
        verbose_name_plural = _("screening flags")
        constraints = [
            models.UniqueConstraint(fields=["person", "date", "reason"], name="flag_once_a_day")
        ]
        indexes = [models.Index(fields=["incident", "resolved_at"], name="flag_open_by_incident")]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_reason_display()} ({self.date})"


class FlagAction(models.Model):
    class Outcome(models.TextChoices):
        CONTACTED = "contacted", _("contacted")
        REFERRED = "referred", _("referred to isolation")
        CLEARED = "cleared", _("cleared")

    flag = models.ForeignKey(Flag, models.CASCADE, related_name="actions", verbose_name=_("flag"))
    outcome = models.CharField(_("what was done"), max_length=10, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=clock.now)

    class Meta:
        verbose_name = _("action on a flag")
        verbose_name_plural = _("actions on flags")
        ordering = ["at"]

    def __str__(self) -> str:
        return self.get_outcome_display()
