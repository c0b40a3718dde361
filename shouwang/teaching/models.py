"""Teaching: terms, teaching classes and their weekly slots, the lessons the
slots make, attendance, and what supervisors observed.

A teaching class (教学班) is not an administrative class (行政班): its students
come from many classes, and it belongs to the unit that offers the course. Its
slots say when it meets (`星期二第3-4节{1-16周}`); the lessons are those slots
laid on the term's working days (the school calendar, `shouwang.core.calendar`),
one row per class, planned date and first period, so generating twice makes
nothing new. Whether a lesson is online follows its class's `online_from`,
which a switch to online teaching sets for every class of its units.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shouwang.core.importing import ImportRecord
from shouwang.lib import clock
from shouwang.people.models import Person, Unit


class Term(models.Model):
    """A term (学期): "2021-2022-2", its first Monday and how many weeks it runs."""

    name = models.CharField(_("name"), max_length=30, unique=True)
    first_monday = models.DateField(_("first Monday"))
    weeks = models.PositiveSmallIntegerField(
        _("weeks"), validators=[MinValueValidator(1), MaxValueValidator(30)]
    )

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["-first_monday"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.first_monday and self.first_monday.weekday() != 0:
            raise ValidationError({"first_monday": gettext("A term starts on a Monday.")})

    @property
    def last_day(self) -> dt.date:
        return self.first_monday + dt.timedelta(weeks=self.weeks, days=-1)

    def week_of(self, day: dt.date) -> int | None:
        """The teaching week (1-based) `day` falls in, None outside the term."""
        if not self.first_monday <= day <= self.last_day:
            return None
        return (day - self.first_monday).days // 7 + 1

    def date_of(self, week: int, weekday: int) -> dt.date:
        """The date of `weekday` (1 = Monday) in teaching week `week`."""
        return self.first_monday + dt.timedelta(weeks=week - 1, days=weekday - 1)

    @classmethod
    def current(cls, day: dt.date | None = None) -> Term | None:
        """The term `day` (today) falls in, else the latest that has begun."""
        day = day or clock.today()
        terms = cls.objects.filter(first_monday__lte=day)
        return next((term for term in terms if term.week_of(day) is not None), terms.first())


class Period(models.Model):
    """A period of the college's day (节次): 第1节 08:00–08:45. A setting of the
    college, kept by the teaching office; lessons' times are read from it."""

    number = models.PositiveSmallIntegerField(_("period"), unique=True)
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["number"]

    def __str__(self) -> str:
        return gettext("period %(number)d") % {"number": self.number}


class Platform(models.TextChoices):
    TENCENT_MEETING = "tencent_meeting", _("Tencent Meeting (腾讯会议)")
    DINGTALK = "dingtalk", _("DingTalk (钉钉)")
    RAIN_CLASSROOM = "rain_classroom", _("Rain Classroom (雨课堂)")
    CHAOXING = "chaoxing", _("Xuexitong (学习通)")
    OTHER = "other", _("other")


def is_link(text: str) -> bool:
    """Whether a join link is a web address (else a meeting number to type in)."""
    text = text.strip()
    return text.lower().startswith(("https://", "http://")) and not any(c.isspace() for c in text)


class TeachingClassQuerySet(models.QuerySet["TeachingClass"]):
    def online_on(self, day: dt.date) -> TeachingClassQuerySet:
        return self.filter(online_from__lte=day)


class TeachingClass(models.Model):
    """A teaching class (教学班) of one term: a course taught by its teachers to
    its enrolled students at its weekly slots."""

    term = models.ForeignKey(
        Term, models.PROTECT, related_name="teaching_classes", verbose_name=_("term")
    )
    # The academic-affairs system's name for it, the key imports match on:
    # "(2021-2022-2)-B0101234-01" or "数据库原理-01".
    code = models.CharField(_("teaching class"), max_length=100)
    course_code = models.CharField(_("course code"), max_length=50)
    course_name = models.CharField(_("course name"), max_length=100)
    # The offering unit (开课单位), else the first teacher's unit.
    unit = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="teaching_classes",
        verbose_name=_("offering unit"),
    )
    teachers = models.ManyToManyField(
        Person, related_name="taught_classes", blank=True, verbose_name=_("teachers")
    )
    students: models.ManyToManyField[Person, Enrolment] = models.ManyToManyField(
        Person,
        through="Enrolment",
        related_name="teaching_classes",
        blank=True,
        verbose_name=_("students"),
    )
    # 计划学时: the periods the timetable promises, against which delivery is shown.
    planned_hours = models.PositiveSmallIntegerField(_("planned hours"), default=0)
    # From this day on its lessons are online (a switch to online teaching sets it).
    online_from = models.DateField(_("online from"), null=True, blank=True)
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices, blank=True)
    # A meeting link, or a meeting number such as "123 456 789" with its password.
    join_link = models.CharField(_("link or meeting number"), max_length=300, blank=True)

    objects = TeachingClassQuerySet.as_manager()

    class Meta:
        verbose_name = _("teaching class")
        verbose_name_plural = _("teaching classes")
        ordering = ["course_name", "code"]
        constraints = [
            models.UniqueConstraint(fields=["term", "code"], name="teachingclass_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.course_name}（{self.code}）"

    def get_absolute_url(self) -> str:
        return reverse("teaching:class_detail", args=[self.pk])

    def is_online_on(self, day: dt.date) -> bool:
        return self.online_from is not None and self.online_from <= day


class Slot(models.Model):
    """One weekly meeting of a teaching class: 星期二第3-4节{1-16周}, 地点."""

    class Parity(models.TextChoices):
        EVERY = "", _("every week")
        ODD = "odd", _("odd weeks")
        EVEN = "even", _("even weeks")

    teaching_class = models.ForeignKey(
        TeachingClass, models.CASCADE, related_name="slots", verbose_name=_("teaching class")
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    first_period = models.PositiveSmallIntegerField(_("first period"))
    last_period = models.PositiveSmallIntegerField(_("last period"))
    # The teaching weeks it meets in, parity applied: [1, 2, ..., 8, 10, ...].
    weeks = models.JSONField(_("weeks"), default=list)
    # As the timetable wrote them: "1-8,10-16周(单)".
    weeks_text = models.CharField(_("weeks as written"), max_length=100)
    location = models.CharField(_("location"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["teaching_class", "weekday", "first_period"]
        constraints = [
            models.UniqueConstraint(
                fields=["teaching_class", "weekday", "first_period", "weeks_text"],
                name="slot_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(last_period__gte=models.F("first_period")),
                name="slot_periods_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.weekday}:{self.first_period}-{self.last_period} {self.weeks_text}"

    @property
    def hours(self) -> int:
        return self.last_period - self.first_period + 1


class Enrolment(models.Model):
    teaching_class = models.ForeignKey(
        TeachingClass, models.CASCADE, related_name="enrolments", verbose_name=_("teaching class")
    )
    student = models.ForeignKey(
        Person, models.CASCADE, related_name="enrolments", verbose_name=_("student")
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["teaching_class", "student"], name="enrolment_once_per_class"
            )
        ]
        # A student's classes (today's lessons) go from the student.
        indexes = [models.Index(fields=["student", "teaching_class"])]

    def __str__(self) -> str:
        return f"{self.student_id} @ {self.teaching_class_id}"


class OnlineSwitch(models.Model):
    """Leaders moved teaching online: every teaching class offered by these
    units meets online from `starts_on` (if it did not already)."""

    units = models.ManyToManyField(Unit, related_name="+", verbose_name=_("units"))
    term = models.ForeignKey(Term, models.PROTECT, related_name="+", verbose_name=_("term"))
    starts_on = models.DateField(_("online from"))
    incident = models.ForeignKey(
        "incidents.Incident",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("incident"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("switched by"),
    )
    created_at = models.DateTimeField(_("switched at"), default=clock.now)

    class Meta:
        verbose_name = _("switch to online teaching")
        verbose_name_plural = _("switches to online teaching")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.term} {self.starts_on:%Y-%m-%d}"


class Lesson(models.Model):
    """One meeting of a teaching class. `planned_date` and `planned_period` are
    where the timetable put it (none for a make-up lesson); `date` and the
    periods are when it happens, which a move changes."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    class Approval(models.TextChoices):
        NOT_NEEDED = "", _("not needed")
        PENDING = "pending", _("waiting for the teaching office")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    teaching_class = models.ForeignKey(
        TeachingClass, models.CASCADE, related_name="lessons", verbose_name=_("teaching class")
    )
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    planned_period = models.PositiveSmallIntegerField(_("planned first period"), null=True)
    date = models.DateField(_("date"))
    first_period = models.PositiveSmallIntegerField(_("first period"))
    last_period = models.PositiveSmallIntegerField(_("last period"))
    location = models.CharField(_("location"), max_length=100, blank=True)
    online = models.BooleanField(_("online"), default=False)
    # Set for one lesson only; empty: the class's platform and link.
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices, blank=True)
    join_link = models.CharField(_("link or meeting number"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    # A move or a cancellation the college wants the teaching office to approve.
    approval = models.CharField(
        _("approval"), max_length=10, choices=Approval.choices, blank=True, default=""
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    # The lesson a cancelled one is made up by.
    makeup_for = models.OneToOneField(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="makeup",
        verbose_name=_("make-up for"),
    )
    marked_at = models.DateTimeField(_("marked at"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked by"),
    )
    # The teacher was reminded of a lesson left unmarked at the end of its day.
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["date", "first_period", "pk"]
        constraints = [
            # Generating a term's lessons twice makes nothing new.
            models.UniqueConstraint(
                fields=["teaching_class", "planned_date", "planned_period"],
                name="lesson_once_per_planned_slot",
            ),
            models.CheckConstraint(
                condition=models.Q(last_period__gte=models.F("first_period")),
                name="lesson_periods_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["date", "teaching_class"], name="lesson_by_date"),
            models.Index(fields=["teaching_class", "date"], name="lesson_by_class"),
            # The report's lessons planned in a range, wherever they were moved.
            models.Index(fields=["planned_date"], name="lesson_by_planned_date"),
        ]

    def __str__(self) -> str:
        return f"{self.teaching_class.course_name} {self.date:%m-%d} {self.periods_label}"

    def get_absolute_url(self) -> str:
        return reverse("teaching:lesson_detail", args=[self.pk])

    @property
    def hours(self) -> int:
        return self.last_period - self.first_period + 1

    @property
    def periods_label(self) -> str:
        if self.first_period == self.last_period:
            return gettext("period %(first)d") % {"first": self.first_period}
        return gettext("periods %(first)d–%(last)d") % {
            "first": self.first_period,
            "last": self.last_period,
        }

    @property
    def is_moved(self) -> bool:
        return self.planned_date is not None and (
            self.date != self.planned_date or self.first_period != self.planned_period
        )

    @property
    def is_makeup(self) -> bool:
        return self.makeup_for_id is not None

    @property
    def joins_on(self) -> str:
        """The platform students join on: the lesson's own, else the class's."""
        return self.platform or self.teaching_class.platform

    @property
    def joins_on_label(self) -> str:
        return str(Platform(self.joins_on).label) if self.joins_on else ""

    @property
    def join_text(self) -> str:
        """The link or meeting number: the lesson's own, else the class's."""
        return self.join_link or self.teaching_class.join_link

    @property
    def join_url(self) -> str:
        """The link to tap, when the join text is a web address."""
        return self.join_text.strip() if is_link(self.join_text) else ""


class Attendance(models.Model):
    """Whether one student attended one lesson, from the platform's export or
    marked by the teacher."""

    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        LATE = "late", _("late")
        ABSENT = "absent", _("absent")
        EXCUSED = "excused", _("on leave")

    class Source(models.TextChoices):
        IMPORTED = "imported", _("platform export")
        MARKED = "marked", _("marked by the teacher")

    lesson = models.ForeignKey(
        Lesson, models.CASCADE, related_name="attendances", verbose_name=_("lesson")
    )
    student = models.ForeignKey(
        Person, models.CASCADE, related_name="attendances", verbose_name=_("student")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # Minutes in the meeting, as the platform counted them.
    minutes = models.PositiveIntegerField(_("minutes"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    recorded_at = models.DateTimeField(_("recorded at"), default=clock.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "student"], name="attendance_once")
        ]
        indexes = [
            # A counsellor's "absent twice this week" goes from the student.
            models.Index(fields=["student", "status"], name="attendance_by_student"),
            # The online-teaching report counts a day's lessons' rows from this
            # index alone (students absent twice included).
            models.Index(fields=["lesson", "status", "student"], name="attendance_by_lesson"),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} @ {self.lesson_id}: {self.status}"


class AttendanceImport(ImportRecord):
    """A platform's attendance export brought in for one lesson: the rows
    matched to students, and the rows no student was found for, which the
    teacher resolves by hand (`unmatched`)."""

    file = models.FileField(_("file"), upload_to="teaching/attendance/%Y/%m/", blank=True)
    lesson = models.ForeignKey(
        Lesson, models.CASCADE, related_name="attendance_imports", verbose_name=_("lesson")
    )
    # [{"row": 5, "name": "张三-手机", "minutes": 80}]: rows with no student's number.
    unmatched = models.JSONField(_("unmatched rows"), default=list)

    class Meta:
        verbose_name = _("attendance import")
        verbose_name_plural = _("attendance imports")
        ordering = ["-created_at"]


class Readiness(models.Model):
    """A student's answer to "can you attend online?", asked the first time
    their teaching goes online and changeable later."""

    person = models.OneToOneField(
        Person, models.CASCADE, related_name="teaching_readiness", verbose_name=_("person")
    )
    no_device = models.BooleanField(_("no device to attend on"), default=False)
    poor_network = models.BooleanField(_("poor network"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    answered_at = models.DateTimeField(_("answered at"), default=clock.now)
    # The help request it was turned into, if it was.
    help_request = models.ForeignKey(
        "helpdesk.HelpRequest",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("help request"),
    )

    class Meta:
        verbose_name = _("readiness for online teaching")
        verbose_name_plural = _("readiness for online teaching")
        indexes = [
            models.Index(
                fields=["person"],
                condition=models.Q(no_device=True) | models.Q(poor_network=True),
                name="readiness_with_problem",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.no_device=} {self.poor_network=}"

    @property
    def has_problem(self) -> bool:
        return self.no_device or self.poor_network


class Criterion(models.Model):
    """One of the college's criteria a supervisor rates an online lesson on."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("observation criterion")
        verbose_name_plural = _("observation criteria")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Observation(models.Model):
    """A supervisor's observation (督导听课) of one lesson: assigned, then done
    with a rating per criterion and comments the teacher reads."""

    lesson = models.ForeignKey(
        Lesson, models.CASCADE, related_name="observations", verbose_name=_("lesson")
    )
    supervisor = models.ForeignKey(
        Person, models.PROTECT, related_name="observations", verbose_name=_("supervisor")
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("assigned by")
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=clock.now)
    # {criterion pk (as text): 1..5}; empty until observed.
    ratings = models.JSONField(_("ratings"), default=dict)
    comments = models.TextField(_("comments"), blank=True)
    observed_at = models.DateTimeField(_("observed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-lesson__date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "supervisor"], name="observation_once")
        ]

    def __str__(self) -> str:
        return f"{self.supervisor.name}: {self.lesson}"

    def get_absolute_url(self) -> str:
        return reverse("teaching:observation_detail", args=[self.pk])

    @property
    def is_done(self) -> bool:
        return self.observed_at is not None

    @property
    def average(self) -> float | None:
        values = [int(value) for value in self.ratings.values()]
        return round(sum(values) / len(values), 2) if values else None


class TimetableImport(ImportRecord):
    """A timetable export (课程代码, 课程名称, 教学班, 教师工号, 上课时间, 地点) of one term."""

    file = models.FileField(_("file"), upload_to="teaching/timetable/%Y/%m/", blank=True)
    term = models.ForeignKey(Term, models.PROTECT, related_name="+", verbose_name=_("term"))

    class Meta:
        verbose_name = _("timetable import")
        verbose_name_plural = _("timetable imports")
        ordering = ["-created_at"]


class EnrolmentImport(ImportRecord):
    """An enrolment list (教学班, 学号) of one term."""

    file = models.FileField(_("file"), upload_to="teaching/enrolment/%Y/%m/", blank=True)
    term = models.ForeignKey(Term, models.PROTECT, related_name="+", verbose_name=_("term"))

    class Meta:
        verbose_name = _("enrolment import")
        verbose_name_plural = _("enrolment imports")
        ordering = ["-created_at"]
