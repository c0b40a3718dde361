"""The daily check-in and the privacy notice's acceptances.

Health and whereabouts are sensitive personal information (PIPL): the detail is
purged a set number of days after its incident closes (`retention`).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.lib.divisions import label as division_label
from shouwang.people.models import Person

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


def abnormal_q(prefix: str = "") -> Q:
    """CheckIn.is_abnormal in SQL; `prefix` is the path to the check-in ("today__")."""
    return (
        ~Q(**{f"{prefix}symptoms": []})
        | Q(**{f"{prefix}temperature__gte": FEVER})
        | Q(**{f"{prefix}contact_with_case": True})
        | Q(**{f"{prefix}stayed_in_risk_area": True})
    )


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
