"""Graduates and where they go; employers, positions and online job fairs.

A graduate's destination (毕业去向) is one of the categories of the Ministry
of Education's graduate-destination statistics, under its code. What the
graduate reports is a `DestinationReport`; their counsellor confirms it, and
only then is it the graduate's destination, the one the 去向落实率 counts.
Every report stays: the history of a graduate's destination.

A job fair (网络双选会) has participating employers, each with its video room.
A participation (人次) is one graduate in one employer's room at one fair,
recorded once however it was seen (the platform's attendance export, or the
code the room shows); the participants (人) of a fair are the distinct
graduates among its participations.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from shouwang.core.importing import ImportRecord
from shouwang.core.uploads import DOCUMENTS, MB, Attachment
from shouwang.lib import clock
from shouwang.lib.text import mask_mobile
from shouwang.people.models import Person, Unit


class Destination(models.TextChoices):
    """毕业去向, by the Ministry of Education's code."""

    AGREEMENT = "10", _("employed under an employment agreement")
    CONTRACT = "11", _("employed under a labour contract")
    OTHER_HIRE = "12", _("employed in another form")
    RESEARCH_ASSISTANT = "46", _("research or management assistant")
    CONSCRIPT = "50", _("enlisted")
    NATIONAL_PROJECT = "51", _("national grassroots project")
    LOCAL_PROJECT = "52", _("local grassroots project")
    SELF_EMPLOYED = "75", _("started a business")
    FREELANCE = "76", _("freelance")
    FURTHER_STUDY = "80", _("further study in China")
    ABROAD = "85", _("study or work abroad")
    SEEKING = "70", _("seeking work")
    PREPARING_STUDY = "71", _("not working, preparing for further study")
    NOT_SEEKING = "72", _("not working for other reasons")


class Group(models.TextChoices):
    """The Ministry's grouping of destinations, by which the rates are given."""

    CONTRACTED = "contracted", _("agreement and contract employment")
    FLEXIBLE = "flexible", _("flexible employment")
    STUDY = "study", _("further study")
    NOT_PLACED = "not_placed", _("not placed")


GROUPS: dict[str, tuple[str, ...]] = {
    Group.CONTRACTED: (
        Destination.AGREEMENT,
        Destination.CONTRACT,
        Destination.RESEARCH_ASSISTANT,
        Destination.CONSCRIPT,
        Destination.NATIONAL_PROJECT,
        Destination.LOCAL_PROJECT,
    ),
    Group.FLEXIBLE: (Destination.OTHER_HIRE, Destination.SELF_EMPLOYED, Destination.FREELANCE),
    Group.STUDY: (Destination.FURTHER_STUDY, Destination.ABROAD),
    Group.NOT_PLACED: (
        Destination.SEEKING,
        Destination.PREPARING_STUDY,
        Destination.NOT_SEEKING,
    ),
}
# 去向落实率 counts the employed and those in further study, over every graduate.
PLACED = GROUPS[Group.CONTRACTED] + GROUPS[Group.FLEXIBLE] + GROUPS[Group.STUDY]
# Destinations that need evidence: an agreement, a contract, an admission letter.
NEEDS_EVIDENCE = (
    Destination.AGREEMENT,
    Destination.CONTRACT,
    Destination.OTHER_HIRE,
    Destination.RESEARCH_ASSISTANT,
    Destination.FURTHER_STUDY,
    Destination.ABROAD,
)


def group_of(destination: str) -> str:
    return next(group for group, codes in GROUPS.items() if destination in codes)


class Difficulty(models.TextChoices):
    """Why a graduate is 就业困难 and followed up one by one."""

    FAMILY_INCOME = "family_income", _("family in financial difficulty")
    DISABILITY = "disability", _("disability")
    NO_EMPLOYED_IN_FAMILY = "zero_employment", _("no one employed in the family")
    LONG_SEEKING = "long_seeking", _("long without work")
    OTHER = "other", _("other")


class GraduateQuerySet(models.QuerySet["Graduate"]):
    def placed(self) -> GraduateQuerySet:
        return self.filter(destination__in=PLACED)

    def seeking(self) -> GraduateQuerySet:
        """Those the positions are for: without a destination yet, looking."""
        return self.filter(destination=Destination.SEEKING)


class Graduate(models.Model):
    """A student of a graduating cohort (届), taken from the roster."""

    person = models.OneToOneField(
        Person, models.CASCADE, related_name="graduate", verbose_name=_("graduate")
    )
    cohort = models.PositiveSmallIntegerField(_("cohort (届)"))
    # The confirmed destination: what the rates count.
    destination = models.CharField(
        _("destination"), max_length=2, choices=Destination.choices, default=Destination.SEEKING
    )
    # The employer, school or project of the confirmed destination.
    organisation = models.CharField(_("employer or school"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    difficulty = models.CharField(
        _("employment difficulty"), max_length=20, choices=Difficulty.choices, blank=True
    )
    # A graduate may mute the daily digest of positions and fairs.
    digest_muted = models.BooleanField(_("digest muted"), default=False)
    # Positions and fairs newer than this are in their next digest.
    digest_sent_at = models.DateTimeField(_("last digest"), null=True, blank=True)

    objects = GraduateQuerySet.as_manager()

    class Meta:
        verbose_name = _("graduate")
        verbose_name_plural = _("graduates")
        ordering = ["person__number"]
        indexes = [models.Index(fields=["cohort", "destination"])]

    def __str__(self) -> str:
        return str(self.person)

    def get_absolute_url(self) -> str:
        return reverse("careers:graduate_detail", args=[self.pk])

    @property
    def group(self) -> str:
        return group_of(self.destination)

    @property
    def is_placed(self) -> bool:
        return self.destination in PLACED


class DestinationReport(models.Model):
    """A destination as the graduate (or the office, from an offer) reported
    it; confirmed by the counsellor, it becomes the graduate's destination."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        CONFIRMED = "confirmed", pgettext_lazy("destination report", "confirmed")
        RETURNED = "returned", pgettext_lazy("destination report", "returned")

    graduate = models.ForeignKey(
        Graduate, models.CASCADE, related_name="reports", verbose_name=_("graduate")
    )
    destination = models.CharField(_("destination"), max_length=2, choices=Destination.choices)
    organisation = models.CharField(_("employer or school"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    offer = models.ForeignKey(
        "Offer",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("offer"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported at"), default=clock.now)
    decided_by = models.ForeignKey(
        Person,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Why a report was returned (an unreadable file, a wrong category).
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("destination report")
        verbose_name_plural = _("destination reports")
        ordering = ["-reported_at", "-pk"]
        constraints = [
            # One report waits at a time: a new one replaces the one pending.
            models.UniqueConstraint(
                fields=["graduate"],
                condition=Q(status="pending"),
                name="destination_report_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.graduate}: {self.get_destination_display()}"


class Evidence(Attachment):
    """An offer or agreement, a contract, an admission letter."""

    folder = "careers/evidence"
    kinds = DOCUMENTS
    max_bytes = 10 * MB

    report = models.ForeignKey(
        DestinationReport, models.CASCADE, related_name="evidence", verbose_name=_("report")
    )

    class Meta(Attachment.Meta):
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")


class FollowUp(models.Model):
    """A counsellor's follow-up of a graduate still seeking work (就业帮扶)."""

    graduate = models.ForeignKey(
        Graduate, models.CASCADE, related_name="follow_ups", verbose_name=_("graduate")
    )
    by = models.ForeignKey(
        Person, models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    on = models.DateField(_("date"))
    note = models.TextField(_("what was done"))
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=clock.now)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["graduate", "-on"])]

    def __str__(self) -> str:
        return f"{self.graduate} {self.on}"


class Employer(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("careers:employer_detail", args=[self.pk])

    @property
    def masked_phone(self) -> str:
        """The contact's phone as lists show it: 138****0000."""
        return mask_mobile(self.contact_phone) if self.contact_phone else ""


class Position(models.Model):
    employer = models.ForeignKey(
        Employer, models.CASCADE, related_name="positions", verbose_name=_("employer")
    )
    title = models.CharField(_("title"), max_length=200)
    city = models.CharField(_("city"), max_length=50, blank=True)
    # 元 a month; a range, either end open.
    salary_min = models.PositiveIntegerField(_("salary from (yuan a month)"), null=True, blank=True)
    salary_max = models.PositiveIntegerField(_("salary to (yuan a month)"), null=True, blank=True)
    openings = models.PositiveSmallIntegerField(
        _("openings"), default=1, validators=[MinValueValidator(1)]
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now, db_index=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "title"], name="position_once_per_employer"
            ),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_min__lte=models.F("salary_max")),
                name="position_salary_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("careers:position_detail", args=[self.pk])

    def clean(self) -> None:
        if (
            self.salary_min is not None
            and self.salary_max is not None
            and self.salary_min > self.salary_max
        ):
            raise ValidationError({"salary_max": gettext("The salary range ends below its start.")})

    def is_open(self, on: dt.date | None = None) -> bool:
        return self.deadline is None or self.deadline >= (on or clock.today())

    @property
    def salary_said(self) -> str:
        """The salary range as the pages say it: 6000–9000 元/月, or 面议."""
        low, high = self.salary_min, self.salary_max
        if low is not None and high is not None and low != high:
            return gettext("%(low)s–%(high)s yuan a month") % {"low": low, "high": high}
        if low is not None and high is not None:
            return gettext("%(amount)s yuan a month") % {"amount": low}
        if low is not None:
            return gettext("from %(low)s yuan a month") % {"low": low}
        if high is not None:
            return gettext("up to %(high)s yuan a month") % {"high": high}
        return gettext("salary negotiable")


class PositionMajor(models.Model):
    """A major (the roster's programme) a position wants; a position without
    any is open to every major."""

    position = models.ForeignKey(
        Position, models.CASCADE, related_name="majors", verbose_name=_("position")
    )
    programme = models.CharField(_("major"), max_length=100, db_index=True)

    class Meta:
        verbose_name = _("major wanted")
        verbose_name_plural = _("majors wanted")
        constraints = [
            models.UniqueConstraint(fields=["position", "programme"], name="position_major_once")
        ]

    def __str__(self) -> str:
        return self.programme


class EmployerImport(ImportRecord):
    """An employer list as it arrives: one row a position, with its employer."""

    class Meta:
        verbose_name = _("employer import")
        verbose_name_plural = _("employer imports")
        ordering = ["-created_at"]


class JobFair(models.Model):
    """A 网络双选会: one day, on one platform, with employers' video rooms."""

    title = models.CharField(_("title"), max_length=200)
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="job_fairs", verbose_name=_("unit"))
    organiser = models.CharField(
        _("organiser"), max_length=100, help_text=_("For example 学院团委")
    )
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    platform = models.CharField(_("platform"), max_length=100)
    link = models.URLField(_("platform link"), blank=True)
    description = models.TextField(_("description"), blank=True)
    # Graduates register until the fair starts.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, db_index=True)

    class Meta:
        verbose_name = _("job fair")
        verbose_name_plural = _("job fairs")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")), name="job_fair_times"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("careers:fair_detail", args=[self.pk])

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.starts_at >= self.ends_at:
            raise ValidationError({"ends_at": gettext("The fair ends before it starts.")})

    @property
    def starts(self) -> dt.datetime:
        return clock.at(self.held_on, self.starts_at)

    @property
    def ends(self) -> dt.datetime:
        return clock.at(self.held_on, self.ends_at)


class FairEmployer(models.Model):
    """An employer at a fair, with its video room and the positions it brings."""

    fair = models.ForeignKey(
        JobFair, models.CASCADE, related_name="employers", verbose_name=_("job fair")
    )
    employer = models.ForeignKey(
        Employer, models.PROTECT, related_name="fairs", verbose_name=_("employer")
    )
    room_link = models.URLField(_("video room link"), blank=True)
    # Shown in the room: a graduate who enters it is counted there.
    room_code = models.CharField(_("room code"), max_length=12)
    positions = models.ManyToManyField(
        Position, related_name="fair_rooms", blank=True, verbose_name=_("positions")
    )

    class Meta:
        verbose_name = _("fair employer")
        verbose_name_plural = _("fair employers")
        ordering = ["fair", "employer__name"]
        constraints = [
            models.UniqueConstraint(fields=["fair", "employer"], name="fair_employer_once"),
            models.UniqueConstraint(fields=["fair", "room_code"], name="fair_room_code_once"),
        ]

    def __str__(self) -> str:
        return f"{self.fair} · {self.employer}"


class Registration(models.Model):
    """A graduate's sign-up for a fair."""

    fair = models.ForeignKey(
        JobFair, models.CASCADE, related_name="registrations", verbose_name=_("job fair")
    )
    person = models.ForeignKey(
        Person, models.CASCADE, related_name="fair_registrations", verbose_name=_("graduate")
    )
    registered_at = models.DateTimeField(_("registered at"), default=clock.now)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["fair", "person"], name="fair_registration_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.fair}"


class Participation(models.Model):
    """One graduate in one employer's room at one fair: one 人次, however often
    and by however many sources it was seen."""

    class Source(models.TextChoices):
        ATTENDANCE = "attendance", _("platform's attendance export")
        ROOM_CODE = "room_code", _("room code")

    room = models.ForeignKey(
        FairEmployer, models.CASCADE, related_name="participations", verbose_name=_("room")
    )
    # The room's fair, kept beside it so that a fair's counts are one index range.
    fair = models.ForeignKey(
        JobFair, models.CASCADE, related_name="participations", verbose_name=_("job fair")
    )
    person = models.ForeignKey(
        Person, models.CASCADE, related_name="fair_participations", verbose_name=_("graduate")
    )
    source = models.CharField(_("recorded from"), max_length=12, choices=Source.choices)
    minutes = models.PositiveIntegerField(_("minutes"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=clock.now)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["room", "person"]
        constraints = [
            models.UniqueConstraint(fields=["room", "person"], name="participation_once_per_room")
        ]
        indexes = [models.Index(fields=["fair", "person"])]

    def __str__(self) -> str:
        return f"{self.person} @ {self.room}"


class FairAttendanceImport(ImportRecord):
    """A room's attendance as the meeting platform exported it."""

    room = models.ForeignKey(
        FairEmployer, models.CASCADE, related_name="imports", verbose_name=_("room")
    )

    class Meta:
        verbose_name = _("fair attendance import")
        verbose_name_plural = _("fair attendance imports")
        ordering = ["-created_at"]


class Offer(models.Model):
    """An offer a graduate had from an employer; accepting it reports the destination."""

    class Status(models.TextChoices):
        OFFERED = "offered", pgettext_lazy("offer", "offered")
        ACCEPTED = "accepted", pgettext_lazy("offer", "accepted")
        DECLINED = "declined", pgettext_lazy("offer", "declined")

    graduate = models.ForeignKey(
        Graduate, models.CASCADE, related_name="offers", verbose_name=_("graduate")
    )
    employer = models.ForeignKey(
        Employer, models.PROTECT, related_name="offers", verbose_name=_("employer")
    )
    position = models.ForeignKey(
        Position,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="offers",
        verbose_name=_("position"),
    )
    # The fair it came from, if any: what a fair led to.
    fair = models.ForeignKey(
        JobFair,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="offers",
        verbose_name=_("job fair"),
    )
    offered_on = models.DateField(_("offered on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OFFERED
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=clock.now)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-offered_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.graduate}: {self.employer}"
