"""Counselling referrals: a counsellor refers a student for psychological
support, records the student's own consent, and the support workers take it on.

The most sensitive data in the system. Nothing else joins these tables: no
reverse relation from a person or a user (related_name="+"), no Django admin,
no export, no API. Who may read a referral is
`access.py`'s alone. The referral's summary and its notes are encrypted at
rest (`fields.EncryptedTextField`); the audit log names a referral by its
number, never by its student.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.lib import clock

from .fields import EncryptedTextField


class Referral(models.Model):
    class Reason(models.TextChoices):
        LOW_MOOD = "low_mood", _("low mood")
        ANXIETY = "anxiety", _("anxiety or panic")
        SLEEP = "sleep", _("sleep problems")
        STUDY = "study", _("study or exam pressure")
        RELATIONSHIPS = "relationships", _("family or relationships")
        ISOLATION = "isolation", _("isolation or lockdown")
        RISK = "risk", _("risk of harm")
        OTHER = "other", _("other")

    class Urgency(models.TextChoices):
        ROUTINE = "routine", _("routine: within a week")
        SOON = "soon", _("soon: within a day")
        URGENT = "urgent", _("urgent: today")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_SUPPORT = "in_support", _("in support")
        CLOSED = "closed", _("closed")

    class ConsentMethod(models.TextChoices):
        IN_PERSON = "in_person", _("in person, verbally")
        SIGNED_FORM = "signed_form", _("signed form")
        PHONE = "phone", _("by phone")
        MESSAGE = "message", _("in writing, by message")

    student = models.ForeignKey(
        "people.Person", models.PROTECT, related_name="+", verbose_name=_("student")
    )
    referred_by = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="+", verbose_name=_("referred by")
    )
    created_at = models.DateTimeField(_("referred at"), default=clock.now)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    # What the counsellor saw and why they refer: readable before consent, as
    # the support worker must know what to prepare for the first conversation.
    summary = EncryptedTextField(_("what you noticed"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    supporter = models.ForeignKey(
        "accounts.User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supported by"),
    )
    # The student's own consent, asked separately from the referral itself.
    consented_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_method = models.CharField(
        _("how consent was given"), max_length=20, choices=ConsentMethod.choices, blank=True
    )
    consent_recorded_by = models.ForeignKey(
        "accounts.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent recorded by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A double tap on "Refer" makes one referral, not two.
            models.UniqueConstraint(
                fields=["student", "referred_by"],
                condition=~Q(status="closed"),
                name="referral_one_active_per_student_and_counsellor",
            ),
            models.CheckConstraint(
                condition=(
                    Q(consented_at__isnull=True, consent_method="")
                    | Q(consented_at__isnull=False, consent_recorded_by__isnull=False)
                    & ~Q(consent_method="")
                ),
                name="referral_consent_complete",
            ),
            models.CheckConstraint(
                condition=~Q(status="in_support") | Q(consented_at__isnull=False),
                name="referral_support_needs_consent",
            ),
        ]

    def __str__(self) -> str:
        # What the audit log shows: a number, never the student or the reason.
        return f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("counselling:referral_detail", args=[self.pk])

    @property
    def has_consent(self) -> bool:
        return self.consented_at is not None

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class ReferralNote(models.Model):
    """A note on a referral by its counsellor or a support worker, encrypted at rest."""

    referral = models.ForeignKey(
        Referral, models.CASCADE, related_name="notes", verbose_name=_("referral")
    )
    author = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("written at"), default=clock.now)
    body = EncryptedTextField(_("note"))

    class Meta:
        verbose_name = _("referral note")
        verbose_name_plural = _("referral notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"#{self.referral_id}/{self.pk}"
