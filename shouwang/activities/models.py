"""Contests and activities (赛事与活动): who may join, sign-ups alone or as a
team, entries, online sessions, judging, awards and their publication.

An activity is run by its organisers. Students sign up, alone or as a team
with a leader; a team or a student alone submits one entry. A forum or a
lecture has online sessions whose attendance comes from the meeting
platform's export. An external contest (蓝桥杯) records sign-ups and the
awards won outside. Judges score the entries assigned to them against
weighted criteria (`core.scoring`); the ranking gives awards, published to the
bulletin (评选公示) with an objection period before they are final.

Taking part (an entry, a session attended, an outside award, or signing up
for an activity that asks nothing more) gives the activity's hours to the
student's 第二课堂 record.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from shouwang.core import scoring
from shouwang.core.importing import ImportRecord
from shouwang.core.uploads import DOCUMENTS, IMAGES, MB, Attachment
from shouwang.lib import clock
from shouwang.people.models import AdminClass, Person, Unit

VIDEOS = frozenset({"mp4", "mov", "m4v", "webm"})


class Activity(models.Model):
    class Kind(models.TextChoices):
        COLLECTION = "collection", _("call for works")
        CONTEST = "contest", _("contest")
        FORUM = "forum", _("forum")
        FESTIVAL = "festival", _("festival")
        IDEOLOGY_CLASS = "ideology_class", _("ideological and political class")
        LECTURE = "lecture", _("lecture")

    class Audience(models.TextChoices):
        COLLEGE = "college", _("the whole college")
        CLASSES = "classes", _("some classes")
        GRADUATING = "graduating", _("graduating students")

    class EntryKind(models.TextChoices):
        IMAGE = "image", _("image")
        VIDEO = "video", _("video")
        DOCUMENT = "document", _("document")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="activities", verbose_name=_("unit")
    )
    organiser = models.CharField(
        _("organiser"), max_length=100, help_text=_("For example 学院团委")
    )
    # The people who run it: its sign-ups, sessions, judges and results.
    organisers = models.ManyToManyField(
        Person, related_name="organised_activities", blank=True, verbose_name=_("organisers")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    rules = models.TextField(_("rules"), blank=True)
    audience = models.CharField(
        _("open to"), max_length=12, choices=Audience.choices, default=Audience.COLLEGE
    )
    classes = models.ManyToManyField(
        AdminClass, related_name="activities", blank=True, verbose_name=_("classes")
    )
    # Run outside the college (蓝桥杯): sign-ups and the awards won there, no judging here.
    external = models.BooleanField(_("external contest"), default=False)
    signup_closes_at = models.DateTimeField(_("sign-up closes"), null=True, blank=True)
    # Entries are taken until this time; none without it.
    entries_close_at = models.DateTimeField(_("entries close"), null=True, blank=True)
    entry_kinds = models.JSONField(_("entry kinds"), default=list, blank=True)
    # A team of 2 or more, a leader among them; 1 means alone only.
    team_size_max = models.PositiveSmallIntegerField(
        _("largest team"), default=1, validators=[MinValueValidator(1)]
    )
    # 第二课堂 hours for each student who takes part.
    hours = models.DecimalField(
        _("second-classroom hours"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    judges = models.ManyToManyField(
        Person, related_name="judged_activities", blank=True, verbose_name=_("judges")
    )
    # 评选公示: the results are public from here, open to objection for
    # `objection_days`, final once `results_final_at` is set.
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    objection_days = models.PositiveSmallIntegerField(
        _("objection period (days)"), default=3, validators=[MaxValueValidator(30)]
    )
    results_final_at = models.DateTimeField(_("results final"), null=True, blank=True)
    # The bulletin's 评选公示 article (bulletin knows nothing of activities).
    results_article = models.ForeignKey(
        "bulletin.Article",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("results article"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=models.F("ends_on")), name="activity_dates"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:activity_detail", args=[self.pk])

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.starts_on > self.ends_on:
            raise ValidationError({"ends_on": gettext("The activity ends before it starts.")})
        unknown = set(self.entry_kinds or ()) - set(self.EntryKind.values)
        if unknown:
            raise ValidationError({"entry_kinds": gettext("Unknown kind of entry.")})

    @property
    def takes_teams(self) -> bool:
        return self.team_size_max > 1

    @property
    def takes_entries(self) -> bool:
        return bool(self.entry_kinds) and self.entries_close_at is not None

    @property
    def objection_ends_at(self) -> dt.datetime | None:
        if self.results_published_at is None:
            return None
        return self.results_published_at + dt.timedelta(days=self.objection_days)


class Team(models.Model):
    activity = models.ForeignKey(
        Activity, models.CASCADE, related_name="teams", verbose_name=_("activity")
    )
    name = models.CharField(_("team name"), max_length=100)
    leader = models.ForeignKey(
        Person, models.PROTECT, related_name="led_teams", verbose_name=_("leader")
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["activity", "name"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "name"], name="activity_team_name_once")
        ]

    def __str__(self) -> str:
        return self.name


class SignUp(models.Model):
    """A student taking part: alone, or as a member of a team."""

    activity = models.ForeignKey(
        Activity, models.CASCADE, related_name="signups", verbose_name=_("activity")
    )
    person = models.ForeignKey(
        Person, models.CASCADE, related_name="activity_signups", verbose_name=_("student")
    )
    team = models.ForeignKey(
        Team,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("team"),
    )
    signed_up_at = models.DateTimeField(_("signed up at"), default=clock.now)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["signed_up_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="signup_once_per_activity")
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.activity}"


class Entry(models.Model):
    """A work submitted: by a team, or by a student alone. One each."""

    activity = models.ForeignKey(
        Activity, models.CASCADE, related_name="entries", verbose_name=_("activity")
    )
    team = models.ForeignKey(
        Team, models.CASCADE, null=True, blank=True, related_name="entries", verbose_name=_("team")
    )
    # The student alone, or the team member who submitted it.
    person = models.ForeignKey(
        Person, models.CASCADE, related_name="activity_entries", verbose_name=_("submitted by")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=clock.now)

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["activity", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "team"],
                condition=Q(team__isnull=False),
                name="entry_once_per_team",
            ),
            models.UniqueConstraint(
                fields=["activity", "person"],
                condition=Q(team__isnull=True),
                name="entry_once_per_student",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:entry_detail", args=[self.pk])


class EntryFile(Attachment):
    """An entry's work: images re-encoded; a video or a document as sent."""

    folder = "activities/entries"
    kinds = DOCUMENTS | IMAGES | VIDEOS
    max_bytes = 200 * MB

    entry = models.ForeignKey(Entry, models.CASCADE, related_name="files", verbose_name=_("entry"))

    class Meta(Attachment.Meta):
        verbose_name = _("entry file")
        verbose_name_plural = _("entry files")


class Session(models.Model):
    """An online session of an activity: a forum's meeting, a 思政云课堂 lecture."""

    activity = models.ForeignKey(
        Activity, models.CASCADE, related_name="sessions", verbose_name=_("activity")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    platform = models.CharField(_("platform"), max_length=100, blank=True)
    link = models.URLField(_("link"), blank=True)
    speaker = models.CharField(_("speaker"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")), name="activity_session_times"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.starts_at >= self.ends_at:
            raise ValidationError({"ends_at": gettext("The session ends before it starts.")})

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class Attendance(models.Model):
    """A student at a session, from the platform's export; once each."""

    session = models.ForeignKey(
        Session, models.CASCADE, related_name="attendance", verbose_name=_("session")
    )
    person = models.ForeignKey(
        Person, models.CASCADE, related_name="activity_attendance", verbose_name=_("student")
    )
    minutes = models.PositiveIntegerField(_("minutes"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session", "person"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="session_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.session}"


class AttendanceImport(ImportRecord):
    """A session's attendance as the meeting platform exported it."""

    session = models.ForeignKey(
        Session, models.CASCADE, related_name="imports", verbose_name=_("session")
    )

    class Meta:
        verbose_name = _("session attendance import")
        verbose_name_plural = _("session attendance imports")
        ordering = ["-created_at"]


class Prize(models.TextChoices):
    FIRST = "first", _("first prize")
    SECOND = "second", _("second prize")
    THIRD = "third", _("third prize")
    MERIT = "merit", _("honourable mention")


class ExternalAward(models.Model):
    """An award won at an external contest, by a student or a team."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("national")
        PROVINCIAL = "provincial", _("provincial")
        UNIVERSITY = "university", pgettext_lazy("award level", "university")

    activity = models.ForeignKey(
        Activity, models.CASCADE, related_name="external_awards", verbose_name=_("activity")
    )
    signup = models.ForeignKey(
        SignUp, models.CASCADE, related_name="external_awards", verbose_name=_("sign-up")
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    prize = models.CharField(_("prize"), max_length=10, choices=Prize.choices)
    awarded_on = models.DateField(_("awarded on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("external award")
        verbose_name_plural = _("external awards")
        ordering = ["activity", "level", "prize"]
        constraints = [
            models.UniqueConstraint(
                fields=["signup", "level"], name="external_award_once_per_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.signup.person}: {self.get_level_display()} {self.get_prize_display()}"


class JudgingCriterion(scoring.Criterion):
    activity = models.ForeignKey(
        Activity, models.CASCADE, related_name="criteria", verbose_name=_("activity")
    )

    class Meta(scoring.Criterion.Meta):
        verbose_name = _("judging criterion")
        verbose_name_plural = _("judging criteria")
        constraints = [
            models.UniqueConstraint(fields=["activity", "name"], name="judging_criterion_once")
        ]


class JudgeAssignment(models.Model):
    """An entry a judge scores: never one of their own class or team."""

    activity = models.ForeignKey(
        Activity, models.CASCADE, related_name="assignments", verbose_name=_("activity")
    )
    judge = models.ForeignKey(
        Person, models.CASCADE, related_name="judge_assignments", verbose_name=_("judge")
    )
    entry = models.ForeignKey(
        Entry, models.CASCADE, related_name="assignments", verbose_name=_("entry")
    )
    comment = models.TextField(_("comment"), blank=True)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)

    class Meta:
        verbose_name = _("judge assignment")
        verbose_name_plural = _("judge assignments")
        ordering = ["activity", "entry", "judge"]
        constraints = [
            models.UniqueConstraint(fields=["judge", "entry"], name="judge_assignment_once")
        ]

    def __str__(self) -> str:
        return f"{self.judge}: {self.entry}"


class JudgeScore(models.Model):
    assignment = models.ForeignKey(
        JudgeAssignment, models.CASCADE, related_name="scores", verbose_name=_("assignment")
    )
    criterion = models.ForeignKey(
        JudgingCriterion, models.CASCADE, related_name="scores", verbose_name=_("criterion")
    )
    points = models.DecimalField(
        _("points"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("judge's score")
        verbose_name_plural = _("judges' scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="judge_score_once_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points}"


class Award(models.Model):
    """A prize given to an entry from the ranking."""

    activity = models.ForeignKey(
        Activity, models.CASCADE, related_name="awards", verbose_name=_("activity")
    )
    entry = models.OneToOneField(
        Entry, models.CASCADE, related_name="award", verbose_name=_("entry")
    )
    prize = models.CharField(_("prize"), max_length=10, choices=Prize.choices)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("place"), null=True, blank=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["activity", "rank", "pk"]

    def __str__(self) -> str:
        return f"{self.entry}: {self.get_prize_display()}"


class Objection(models.Model):
    """An objection to published results, within the objection period."""

    activity = models.ForeignKey(
        Activity, models.CASCADE, related_name="objections", verbose_name=_("activity")
    )
    person = models.ForeignKey(
        Person, models.CASCADE, related_name="activity_objections", verbose_name=_("raised by")
    )
    text = models.TextField(_("objection"))
    raised_at = models.DateTimeField(_("raised at"), default=clock.now)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["raised_at", "pk"]

    def __str__(self) -> str:
        return f"{self.activity}: {self.person}"
