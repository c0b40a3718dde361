"""The college's work plan (学院工作要点) run as projects.

A yearly plan has areas (一、), each area key points ((一)), each key point
measures (1.). A measure is a project: an owner unit and person, co-owners,
the party branch or teacher vanguard post that carries it, dates, milestones,
a budget and the expenditures booked against it, progress reports due on the
plan's schedule, and a status. The owner sets not started, in progress or
paused; "late" (滞后) is never stored: a measure is late while a milestone is
past its date undone (`MeasureQuerySet.with_state`); "done" is set only when a
leader accepts the owner's report of completion.

At the year's end a review round (评比) has a panel score the measures against
the college's weighted criteria (`shouwang.core.scoring`).

Every change to a measure or what belongs to it is written to the audit log
against the measure: that log is the measure's history.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from shouwang.core import scoring
from shouwang.core.importing import ImportRecord
from shouwang.core.uploads import Attachment
from shouwang.incidents.models import Decision
from shouwang.lib import clock
from shouwang.people.models import Branch, Person, Unit
from shouwang.volunteers.models import Team

# 一、二、… as the college numbers its areas and key points.
CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_number(number: int) -> str:
    """1 → 一, 10 → 十, 15 → 十五, 21 → 二十一 (up to 99)."""
    if number < 10:
        return CHINESE_DIGITS[number]
    tens, ones = divmod(number, 10)
    return (
        (CHINESE_DIGITS[tens] if tens > 1 else "") + "十" + (CHINESE_DIGITS[ones] if ones else "")
    )


class Plan(models.Model):
    """A year's plan: 2022年学院工作要点, for a college (its unit)."""

    class Every(models.IntegerChoices):
        MONTH = 1, _("monthly")
        QUARTER = 3, _("quarterly")
        HALF_YEAR = 6, _("half-yearly")

    title = models.CharField(_("title"), max_length=100)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="plans", verbose_name=_("unit"))
    # Progress reports fall due every `report_every` months, on `report_day`.
    report_every = models.PositiveSmallIntegerField(
        _("progress reports"), choices=Every.choices, default=Every.MONTH
    )
    report_day = models.PositiveSmallIntegerField(
        _("due on day"), default=25, validators=[MinValueValidator(1), MaxValueValidator(28)]
    )
    # Owners are reminded this many days before a report falls due.
    remind_days = models.PositiveSmallIntegerField(_("remind days before"), default=3)
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "title"], name="plan_title_once_per_unit")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workplan:plan_detail", args=[self.pk])

    @property
    def starts_on(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def ends_on(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    def report_dates(self) -> list[dt.date]:
        """The days progress reports fall due in the plan's year."""
        return [
            dt.date(self.year, month, self.report_day)
            for month in range(self.report_every, 13, self.report_every)
        ]


class Area(models.Model):
    """一、党建团学"""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="areas", verbose_name=_("plan"))
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="area_numbered_once"),
            models.UniqueConstraint(fields=["plan", "title"], name="area_title_once"),
        ]

    def __str__(self) -> str:
        return f"{self.label}{self.title}"

    @property
    def label(self) -> str:
        return f"{chinese_number(self.number)}、"


class KeyPoint(models.Model):
    """(一)加强党的政治建设 — numbered within its area."""

    area = models.ForeignKey(
        Area, models.CASCADE, related_name="key_points", verbose_name=_("area")
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        verbose_name = _("key point")
        verbose_name_plural = _("key points")
        ordering = ["area", "number"]
        constraints = [
            models.UniqueConstraint(fields=["area", "number"], name="key_point_numbered_once"),
            models.UniqueConstraint(fields=["area", "title"], name="key_point_title_once"),
        ]

    def __str__(self) -> str:
        return f"{self.label}{self.title}"

    @property
    def label(self) -> str:
        return f"（{chinese_number(self.number)}）"


class MeasureQuerySet(models.QuerySet["Measure"]):
    def with_state(self, today: dt.date | None = None) -> MeasureQuerySet:
        """Each measure's `state`: the owner's status, late while a milestone is
        past its date undone (unless done or paused)."""
        today = today or clock.today()
        overdue = Milestone.objects.filter(
            measure=OuterRef("pk"), done_on__isnull=True, due_on__lt=today
        )
        return self.annotate(
            is_late=Exists(overdue),
            state=Case(
                When(status__in=[Status.DONE, Status.PAUSED], then="status"),
                When(is_late=True, then=Value(Status.LATE)),
                default="status",
                output_field=models.CharField(),
            ),
        )


class Status(models.TextChoices):
    # The college's words: 未开始 / 进行中 / 已完成 / 滞后 / 暂停.
    NOT_STARTED = "not_started", pgettext_lazy("measure", "not started")
    IN_PROGRESS = "in_progress", pgettext_lazy("measure", "in progress")
    DONE = "done", pgettext_lazy("measure", "done")
    LATE = "late", pgettext_lazy("measure", "late")
    PAUSED = "paused", pgettext_lazy("measure", "paused")


# What an owner may set; done follows a leader's acceptance, late the milestones.
OWNER_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.PAUSED)


class Measure(models.Model):
    """1. 推进国家一流专业建设 — a project."""

    key_point = models.ForeignKey(
        KeyPoint, models.CASCADE, related_name="measures", verbose_name=_("key point")
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner_unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="measures", verbose_name=_("owner unit")
    )
    owner = models.ForeignKey(
        Person, models.PROTECT, related_name="measures_owned", verbose_name=_("owner")
    )
    co_owners = models.ManyToManyField(
        Person, blank=True, related_name="measures_co_owned", verbose_name=_("co-owners")
    )
    # Who carries it: a party branch, or a teacher party-member vanguard post.
    branch = models.ForeignKey(
        Branch,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("party branch"),
    )
    post = models.ForeignKey(
        Team,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        limit_choices_to={"kind": Team.Kind.TEACHER_VANGUARD_POST},
        verbose_name=_("vanguard post"),
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget (yuan)"), max_digits=12, decimal_places=2, default=Decimal(0)
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    # The owner reported it complete; a leader accepts (done) or sends it back.
    completion_reported_at = models.DateTimeField(_("completion reported"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    is_breakthrough = models.BooleanField(_("breakthrough"), default=False)
    breakthrough = models.TextField(_("breakthrough"), blank=True)
    # The meeting decision that made this measure, if one did.
    decision = models.ForeignKey(
        Decision,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("decided at"),
    )

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["key_point__area__number", "key_point__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["key_point", "number"], name="measure_numbered_once"),
            models.UniqueConstraint(fields=["key_point", "title"], name="measure_title_once"),
            models.CheckConstraint(
                condition=~Q(branch__isnull=False, post__isnull=False),
                name="measure_carried_by_branch_or_post",
            ),
        ]
        indexes = [models.Index(fields=["owner", "status"], name="measure_owner_status")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("workplan:measure_detail", args=[self.pk])

    @property
    def label(self) -> str:
        return f"{self.number}."

    def clean(self) -> None:
        if self.starts_on and self.due_on and self.due_on < self.starts_on:
            raise ValidationError({"due_on": gettext("A measure is due after it starts.")})
        if self.branch_id and self.post_id:
            raise ValidationError(
                gettext("A measure is carried by a party branch or a vanguard post, not both.")
            )

    @property
    def carrier(self) -> Branch | Team | None:
        return self.branch or self.post

    @property
    def current_state(self) -> str:
        """The state `with_state` annotates, worked out for one measure."""
        state = getattr(self, "state", None)
        if state is not None:
            return str(state)
        if self.status in (Status.DONE, Status.PAUSED):
            return self.status
        if self.milestones.filter(done_on__isnull=True, due_on__lt=clock.today()).exists():
            return Status.LATE
        return self.status

    @property
    def state_label(self) -> str:
        return str(Status(self.current_state).label)

    def is_owned_by(self, person: Person | None) -> bool:
        """The owner or a co-owner."""
        if person is None:
            return False
        return self.owner_id == person.pk or self.co_owners.filter(pk=person.pk).exists()


class Milestone(models.Model):
    measure = models.ForeignKey(
        Measure, models.CASCADE, related_name="milestones", verbose_name=_("measure")
    )
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    # The meeting decision that set this milestone, if one did.
    decision = models.ForeignKey(
        Decision,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("decided at"),
    )

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["measure", "due_on", "pk"]
        indexes = [
            models.Index(
                fields=["measure", "due_on"],
                condition=Q(done_on__isnull=True),
                name="milestone_open",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.due_on < clock.today()


class Expenditure(models.Model):
    """Money spent on a measure out of its budget (经费项目化支持)."""

    measure = models.ForeignKey(
        Measure, models.CASCADE, related_name="expenditures", verbose_name=_("measure")
    )
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    spent_on = models.DateField(_("date"))
    purpose = models.CharField(_("purpose"), max_length=200)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("booked by"),
    )

    class Meta:
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        ordering = ["measure", "spent_on", "pk"]

    def __str__(self) -> str:
        return f"{self.purpose} ¥{self.amount}"


class Evidence(Attachment):
    """A file showing a breakthrough (an award, an approval letter)."""

    folder = "workplan/evidence"

    measure = models.ForeignKey(
        Measure, models.CASCADE, related_name="evidence", verbose_name=_("measure")
    )

    class Meta(Attachment.Meta):
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")


class Report(models.Model):
    """A progress report, due on one of the plan's report dates; written by the
    owner or a co-owner, scored by a leader (1–5 and a comment)."""

    measure = models.ForeignKey(
        Measure, models.CASCADE, related_name="reports", verbose_name=_("measure")
    )
    due_on = models.DateField(_("due on"))
    text = models.TextField(_("what was done"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    score = models.PositiveSmallIntegerField(
        _("score"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(_("comment"), blank=True)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scored by"),
    )
    # Each sent once: the owner's reminder, the leaders' word that it is overdue.
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    overdue_told_at = models.DateTimeField(_("overdue told at"), null=True, blank=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["measure", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "due_on"], name="report_once_per_due_date"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(submitted_at__isnull=False),
                name="report_scored_once_submitted",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_on"], condition=Q(submitted_at__isnull=True), name="report_unsubmitted"
            ),
            # The overview's last report of an area: the newest, read from the end.
            models.Index(
                fields=["submitted_at"],
                condition=Q(submitted_at__isnull=False),
                name="report_submitted",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(measure)s: report due %(due)s") % {
            "measure": self.measure,
            "due": self.due_on,
        }

    def get_absolute_url(self) -> str:
        return reverse("workplan:report_detail", args=[self.pk])

    @property
    def is_late(self) -> bool:
        """Submitted after its day, or still unwritten past it."""
        if self.submitted_at is None:
            return self.due_on < clock.today()
        return timezone.localdate(self.submitted_at) > self.due_on


class ReportFile(Attachment):
    """A file showing what a report says was done."""

    folder = "workplan/reports"

    report = models.ForeignKey(
        Report, models.CASCADE, related_name="files", verbose_name=_("progress report")
    )

    class Meta(Attachment.Meta):
        verbose_name = _("report file")
        verbose_name_plural = _("report files")


class Review(models.Model):
    """A year-end review round (年终项目化评比) of a plan's measures."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="reviews", verbose_name=_("plan"))
    title = models.CharField(_("title"), max_length=100)
    closes_on = models.DateField(_("scores due"))
    # Published: the owners see their measures' results and the ranking.
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    panel = models.ManyToManyField(
        Person, related_name="reviews", blank=True, verbose_name=_("panel")
    )

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-closes_on"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "title"], name="review_title_once_per_plan")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workplan:review_detail", args=[self.pk])


class ReviewCriterion(scoring.Criterion):
    review = models.ForeignKey(
        Review, models.CASCADE, related_name="criteria", verbose_name=_("review")
    )

    class Meta(scoring.Criterion.Meta):
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")
        constraints = [
            models.UniqueConstraint(fields=["review", "name"], name="review_criterion_once")
        ]


class Assignment(models.Model):
    """A measure a reviewer scores. Never their own: not one they own or
    co-own, nor one their unit carries."""

    review = models.ForeignKey(
        Review, models.CASCADE, related_name="assignments", verbose_name=_("review")
    )
    reviewer = models.ForeignKey(
        Person, models.CASCADE, related_name="review_assignments", verbose_name=_("reviewer")
    )
    measure = models.ForeignKey(
        Measure, models.CASCADE, related_name="review_assignments", verbose_name=_("measure")
    )
    comment = models.TextField(_("comment"), blank=True)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        ordering = ["review", "measure", "reviewer"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "reviewer", "measure"], name="assignment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.measure}"


class ReviewScore(models.Model):
    """The points a reviewer gave a measure on one criterion."""

    assignment = models.ForeignKey(
        Assignment, models.CASCADE, related_name="scores", verbose_name=_("review assignment")
    )
    criterion = models.ForeignKey(
        ReviewCriterion, models.CASCADE, related_name="scores", verbose_name=_("criterion")
    )
    points = models.DecimalField(
        _("points"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("review score")
        verbose_name_plural = _("review scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="review_score_once_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points}"


class PlanImport(ImportRecord):
    """An Excel outline of a plan: area, key point, measure, owner unit, owner,
    co-owners, deadline, budget."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="imports", verbose_name=_("plan"))
    file = models.FileField(_("file"), upload_to="workplan/imports/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("plan import")
        verbose_name_plural = _("plan imports")
        ordering = ["-created_at"]
