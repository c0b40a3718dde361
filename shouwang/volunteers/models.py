"""Teams: volunteer brigades, party-member vanguard posts and work teams,
staff duty teams. A team is a group people belong to, with leads; notices go
to teams. Members sign up to their team's shifts, and the lead checks them in
and out: the hours are what the check-in and check-out say. The duty roster
records where each member of staff works each day; students away from school
report the service they do in their home communities."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.uploads import IMAGES, AllowedUpload
from shouwang.lib import clock, divisions
from shouwang.people.models import Person, Unit


class Team(models.Model):
    class Kind(models.TextChoices):
        BRIGADE = "brigade", _("volunteer brigade")
        VANGUARD_POST = "vanguard_post", _("party-member vanguard post")
        PARTY_WORK_TEAM = "party_work_team", _("student party-member work team")
        STAFF_DUTY = "staff_duty", _("staff duty team")
        # 教师党员先锋岗: teachers who are party members carrying a measure of
        # the work plan; not volunteer work.
        TEACHER_VANGUARD_POST = "teacher_vanguard_post", _("teacher party-member vanguard post")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    # The unit that runs the team, e.g. the league committee for a brigade.
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="teams", verbose_name=_("unit")
    )
    members: models.ManyToManyField[Person, Membership] = models.ManyToManyField(
        Person, through="Membership", related_name="teams", verbose_name=_("members")
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    team = models.ForeignKey(
        Team, models.CASCADE, related_name="memberships", verbose_name=_("team")
    )
    person = models.ForeignKey(
        Person, models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    is_lead = models.BooleanField(_("team lead"), default=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["team", "person"], name="membership_once_per_team")
        ]

    def __str__(self) -> str:
        return f"{self.team}: {self.person}"


# Volunteer work is done by brigades and party members' posts and teams; a
# staff duty team's members are on duty, which the roster records instead, and
# a teacher vanguard post's carry the work plan's measures.
VOLUNTEER_KINDS = (Team.Kind.BRIGADE, Team.Kind.VANGUARD_POST, Team.Kind.PARTY_WORK_TEAM)
PHOTO_MAX_BYTES = 10 * 1024 * 1024


class Shift(models.Model):
    """A stint of work a team needs, e.g. 核酸检测秩序维护 · 体育馆 · 08:00–11:00."""

    team = models.ForeignKey(Team, models.CASCADE, related_name="shifts", verbose_name=_("team"))
    title = models.CharField(_("title"), max_length=100)
    place = models.CharField(_("place"), max_length=100)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    places = models.PositiveSmallIntegerField(_("places"))
    created_by = models.ForeignKey(
        "accounts.User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            ),
            models.CheckConstraint(condition=models.Q(places__gt=0), name="shift_has_places"),
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.place}"

    def get_absolute_url(self) -> str:
        return reverse("volunteers:shift_detail", args=[self.pk])

    @property
    def withdrawal_cutoff(self) -> dt.datetime:
        """Until when a member may withdraw: the lead needs time to find someone else."""
        return self.starts_at - settings.SHIFT_WITHDRAW_BEFORE

    @property
    def has_started(self) -> bool:
        return clock.now() >= self.starts_at


class SignUp(models.Model):
    """A member on a shift. Hours are counted from the lead's check-in to check-out."""

    shift = models.ForeignKey(
        Shift, models.CASCADE, related_name="signups", verbose_name=_("shift")
    )
    person = models.ForeignKey(
        Person, models.CASCADE, related_name="signups", verbose_name=_("person")
    )
    signed_up_at = models.DateTimeField(_("signed up at"), default=clock.now)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    # Stored at check-out so that hours add up in the database, per person and team.
    minutes = models.PositiveIntegerField(_("minutes served"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["signed_up_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "person"], name="signup_once_per_shift")
        ]

    def __str__(self) -> str:
        return f"{self.shift}: {self.person}"

    @property
    def hours(self) -> Decimal | None:
        return hours_of(self.minutes) if self.minutes is not None else None

    def check_in(self, at: dt.datetime) -> bool:
        """Record arrival once; False if already checked in."""
        changed = SignUp.objects.filter(pk=self.pk, checked_in_at__isnull=True).update(
            checked_in_at=at
        )
        if changed:
            self.checked_in_at = at
        return bool(changed)

    def check_out(self, at: dt.datetime) -> bool:
        """Record departure once, after check-in, and the minutes served."""
        if self.checked_in_at is None or at < self.checked_in_at:
            return False
        minutes = int((at - self.checked_in_at).total_seconds() // 60)
        changed = SignUp.objects.filter(
            pk=self.pk, checked_in_at__isnull=False, checked_out_at__isnull=True
        ).update(checked_out_at=at, minutes=minutes)
        if changed:
            self.checked_out_at, self.minutes = at, minutes
        return bool(changed)


def hours_of(minutes: int | None) -> Decimal:
    """Minutes as hours to one decimal place, as volunteer hours are reported."""
    return (Decimal(minutes or 0) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class DutyDay(models.Model):
    """One row of the daily duty roster: where a member of staff works that day, in what role."""

    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("on site")
        REMOTE = "remote", _("working remotely")

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="duty_days", verbose_name=_("person")
    )
    date = models.DateField(_("date"))
    mode = models.CharField(_("where"), max_length=10, choices=Mode.choices)
    role = models.CharField(_("role that day"), max_length=50, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("duty day")
        verbose_name_plural = _("duty roster")
        ordering = ["date", "person__number"]
        constraints = [
            models.UniqueConstraint(fields=["person", "date"], name="dutyday_once_per_person_day")
        ]
        indexes = [models.Index(fields=["date", "mode"])]

    def __str__(self) -> str:
        return f"{self.date} {self.person}: {self.get_mode_display()}"


def photo_path(instance: models.Model, filename: str) -> str:
    # A random name: the photo's own name may say where or who.
    return f"service/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()[:10]}"


class ServiceReport(models.Model):
    """Service a student did in their home community, for their counsellor to approve."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("waiting for approval")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned")

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="service_reports", verbose_name=_("person")
    )
    date = models.DateField(_("date"))
    # A code of shouwang.lib.divisions: the province counts the seed's "全国各地".
    province = models.CharField(_("province"), max_length=6)
    city = models.CharField(_("city"), max_length=6, blank=True)
    place = models.CharField(_("community"), max_length=100)
    activity = models.TextField(_("what you did"), max_length=1000)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    photo = models.ImageField(
        _("photo"),
        upload_to=photo_path,
        blank=True,
        validators=[AllowedUpload(IMAGES, PHOTO_MAX_BYTES)],
    )
    # Counted in the person's upload quota (core.uploads).
    photo_size = models.PositiveIntegerField(_("photo size"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=clock.now)
    reviewed_by = models.ForeignKey(
        Person,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("community service report")
        verbose_name_plural = _("community service reports")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["status", "date"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="service_hours_positive")
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.date} {self.place}"

    def get_absolute_url(self) -> str:
        return reverse("volunteers:service_detail", args=[self.pk])

    @property
    def where(self) -> str:
        return divisions.label(self.province, self.city)
