"""The daily check-in and what is derived from it: screening flags, the
counsellor's actions on them, risky regions, privacy acceptances, and the
aggregate counts that outlive the detail.

Health and whereabouts are sensitive personal information (PIPL): the detail is
purged a set number of days after its incident closes; `DailyTally` keeps the
counts the college reports.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.lib.divisions import label as division_label
from shouwang.people.models import AdminClass, Person, Unit

FEVER = Decimal("37.3")


class Location(models.TextChoices):
    CAMPUS = "campus", _("on campus")
    HOME = "home", _("at home")
    ELSEWHERE = "elsewhere", _("elsewhere")


class Symptom(models.TextChoices):
    FEVER = "fever", _("fever")
    COUGH = "cough", _("cough")
    SORE_THROAT = "sore_throat", _("sore throat")
    FATIGUE = "fatigue", _("fatigue")
    LOSS_OF_SMELL = "loss_of_smell", _("loss of taste or smell")
    BREATHING = "breathing", _("difficulty breathing")
    DIARRHOEA = "diarrhoea", _("diarrhoea")
    OTHER = "other", _("other")


class CheckIn(models.Model):
    """One person's report for one local day (Asia/Shanghai) of an incident."""

    # No index of their own: "checkin_once_a_day" begins with the person and
    # "checkin_day_counts" with the incident, and every index is one more page
    # each check-in writes and syncs to disk during the morning wave.
    person = models.ForeignKey(
        Person, models.CASCADE, related_name="checkins", verbose_name=_("person"), db_index=False
    )
    incident = models.ForeignKey(
        Incident,
        models.CASCADE,
        related_name="checkins",
        verbose_name=_("incident"),
        db_index=False,
    )
    date = models.DateField(_("date"))
    submitted_at = models.DateTimeField(_("submitted at"))
    updated_at = models.DateTimeField(_("updated at"))
    late = models.BooleanField(_("late"), default=False)
    location = models.CharField(_("where are you"), max_length=10, choices=Location.choices)
    province = models.CharField(_("province"), max_length=6, blank=True)
    city = models.CharField(_("city"), max_length=6, blank=True)
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)
    temperature = models.DecimalField(
        _("temperature (°C)"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("35.0")), MaxValueValidator(Decimal("42.0"))],
    )
    contact_with_case = models.BooleanField(_("contact with a case"), default=False)
    stayed_in_risk_area = models.BooleanField(_("stayed in a risk area"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # From the form: a retried or double-tapped submission carries the same key.
    idempotency_key = models.UUIDField(_("idempotency key"), default=uuid.uuid4)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(fields=["person", "date"], name="checkin_once_a_day"),
        ]
        # Compliance counts one incident-day at a time: this keeps that flat as
        # history grows, and the counts read from the index alone (late,
        # abnormal and on campus are decided from the columns after the person).
        indexes = [
            models.Index(
                fields=[
                    "incident",
                    "date",
                    "person",
                    "late",
                    "contact_with_case",
                    "stayed_in_risk_area",
                    "temperature",
                    "symptoms",
                    "location",
                ],
                name="checkin_day_counts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.date}"

    @property
    def has_symptoms(self) -> bool:
        return bool(self.symptoms)

    @property
    def has_fever(self) -> bool:
        return self.temperature is not None and self.temperature >= FEVER

    @property
    def is_abnormal(self) -> bool:
        return (
            self.has_symptoms
            or self.has_fever
            or self.contact_with_case
            or self.stayed_in_risk_area
        )

    @property
    def place(self) -> str:
        if self.location == Location.CAMPUS:
            return str(Location.CAMPUS.label)
        return division_label(self.province, self.city) or self.get_location_display()


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
        indexes = [models.Index(fields=["incident", "resolved_at"])]

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


class PrivacyAcceptance(models.Model):
    """That a person read and accepted a version of the check-in privacy notice."""

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="privacy_acceptances", verbose_name=_("person")
    )
    version = models.CharField(_("notice version"), max_length=20)
    accepted_at = models.DateTimeField(_("accepted at"), default=clock.now)

    class Meta:
        verbose_name = _("privacy acceptance")
        verbose_name_plural = _("privacy acceptances")
        constraints = [
            models.UniqueConstraint(fields=["person", "version"], name="privacy_accepted_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.version}"


class DailyTally(models.Model):
    """Counts for one class (or, for people in no class, one unit) on one day
    of an incident.

    Counted every minute while the incident runs (`compliance.keep_tallies`):
    the college-wide compliance page reads these few thousand rows instead of
    joining everyone with the day's check-ins. Counted a last time from the
    detail when it is purged, so the record outlives it."""

    incident = models.ForeignKey(
        Incident, models.CASCADE, related_name="tallies", verbose_name=_("incident")
    )
    date = models.DateField(_("date"))
    admin_class = models.ForeignKey(
        AdminClass,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("class"),
    )
    unit = models.ForeignKey(
        Unit, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    expected = models.PositiveIntegerField(_("expected"))
    reported = models.PositiveIntegerField(_("reported"))
    late = models.PositiveIntegerField(_("late"))
    abnormal = models.PositiveIntegerField(_("abnormal"))
    on_campus = models.PositiveIntegerField(_("on campus"))
    # A day's counts are final once taken after it ended (`compliance.day_over`).
    counted_at = models.DateTimeField(_("counted at"), default=clock.now)

    class Meta:
        verbose_name = _("daily tally")
        verbose_name_plural = _("daily tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "date", "admin_class", "unit"], name="tally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident} {self.date} {self.admin_class or self.unit}"
