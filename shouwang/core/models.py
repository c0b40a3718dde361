from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar, runtime_checkable

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shouwang.lib import clock

from .audit_kinds import UnknownKind, kind_of, kinds


class ScheduledRun(models.Model):
    """One firing of a periodic job for one due time.

    The unique constraint is the lock: every scheduler process that sees a job
    due tries to insert this row, and only the one whose insert succeeds
    enqueues the task. Two app servers, or one scheduler restarted mid-minute,
    never run the same slot twice.
    """

    job = models.CharField(_("job"), max_length=100)
    due_at = models.DateTimeField(_("due at"))
    enqueued_at = models.DateTimeField(_("enqueued at"), auto_now_add=True)
    task_result_id = models.CharField(_("task result"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [
            models.UniqueConstraint(fields=["job", "due_at"], name="scheduledrun_once_per_slot")
        ]
        indexes = [models.Index(fields=["due_at"])]

    def __str__(self) -> str:
        return f"{self.job} @ {self.due_at:%Y-%m-%d %H:%M}"


class LogEntryQuerySet(models.QuerySet["LogEntry"]):
    def get_for_object(self, obj: models.Model) -> LogEntryQuerySet:
        """The entries about `obj`."""
        content_type = ContentType.objects.get_for_model(obj)
        if isinstance(obj.pk, int):
            return self.filter(content_type=content_type, object_id=obj.pk)
        return self.filter(content_type=content_type, object_pk=str(obj.pk))

    def reads(self) -> LogEntryQuerySet:
        """The entries of kinds that are reads: someone looked."""
        return self.filter(kind__in=[code for code, kind in kinds().items() if kind.read])


class LogEntry(models.Model):
    """One entry of the audit log: `actor` did or read `kind` (a code that an
    app registered with `core.audit`) to an object, from `remote_addr`, at
    `timestamp`, with the event's data.

    The indexes are those of how the log is read: an object's history, a
    person's actions, a period of time. Every check-in writes an entry during
    the morning wave, and each index is one more page each entry writes; the
    kind has none, nothing looks entries up by it alone. Entries written before
    the log was the app's own (by django-auditlog, into this table) keep their
    values: a change's fields are in the data's "changes"."""

    content_type = models.ForeignKey(
        ContentType,
        models.CASCADE,
        related_name="+",
        verbose_name=_("content type"),
        db_index=False,
    )
    object_pk = models.CharField(_("object pk"), max_length=255)
    object_id = models.BigIntegerField(_("object id"), blank=True, null=True)
    object_repr = models.TextField(_("object"))
    kind = models.TextField(_("kind"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        blank=True,
        null=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # Kept when the user is gone.
    actor_email = models.CharField(_("actor email"), max_length=254, blank=True, null=True)
    remote_addr = models.GenericIPAddressField(_("remote address"), blank=True, null=True)
    # The app's clock: on the demo, the log reads in the demo's day.
    timestamp = models.DateTimeField(_("timestamp"), default=clock.now, db_index=True)
    additional_data = models.JSONField(_("data"), blank=True, default=dict)

    objects = LogEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")
        ordering = ["-timestamp"]
        get_latest_by = "timestamp"
        indexes = [models.Index(fields=["content_type", "object_id"], name="logentry_object")]

    def __str__(self) -> str:
        return f"{self.kind_label}: {self.object_repr}"

    @property
    def kind_label(self) -> str:
        """The kind's label in the user's language, or its code if no app
        registers it any longer."""
        try:
            return str(kind_of(self.kind).label)
        except UnknownKind:
            return self.kind


M = TypeVar("M", bound=models.Model)


class BackgroundJobQuerySet(models.QuerySet["BackgroundJob"]):
    def of(self, subject: models.Model) -> BackgroundJobQuerySet:
        """The jobs run for one object (a roster import, a password issue), newest first."""
        return self.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
        ).order_by("-created_at", "-pk")

    def unfinished(self) -> BackgroundJobQuerySet:
        return self.filter(state__in=[BackgroundJob.State.QUEUED, BackgroundJob.State.RUNNING])

    def abandoned(self, now: datetime) -> BackgroundJobQuerySet:
        """Unfinished jobs whose lease ran out: their worker died, or none came."""
        return self.unfinished().filter(lease_expires_at__lt=now)


class BackgroundJob(models.Model):
    """One run of a long background task, as the person who started it follows
    it: how far it got, what it is doing, whether it is still alive.

    A worker holds a lease on the job and renews it with each progress report
    or heartbeat (`shouwang.core.jobs`). A job whose lease runs out before it
    finishes lost its worker, or never had one: its page says so at once, and
    the periodic `recover_abandoned_jobs` takes it up again if its task is
    resumable (`shouwang.core.jobs`), or marks it failed and tells its subject
    (the object the job works on) through the subject's `job_failed(job)`."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    # The task's module path: what runs it, and (registered) what it is called.
    kind = models.CharField(_("kind"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    subject_type = models.ForeignKey(
        ContentType, models.CASCADE, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    # None until the job knows how much there is to do.
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    # What the job is doing while it runs; why it failed once it has.
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)
    # How many times a worker took the job up. Each claim is a new holder: a
    # worker taken for dead that wakes up finds its claim superseded.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Where a resumable job got to, written with each batch it commits (and,
    # for a scheduled job, the slot it runs for): what a resumed run starts from.
    checkpoint = models.JSONField(_("checkpoint"), default=dict, blank=True)

    objects = BackgroundJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="backgroundjob_subject"),
            # What recover_abandoned_jobs looks for every minute.
            models.Index(fields=["state", "lease_expires_at"], name="backgroundjob_lease"),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.subject}" if self.subject_id else str(self.label)

    @property
    def label(self) -> str:
        """What the job does, as its task was registered (`jobs.background_job`)."""
        from .jobs import label_of  # the registry imports this module

        return label_of(self.kind)

    def subject_as(self, model: type[M]) -> M:
        """The job's subject, which its task knows to be a `model`."""
        return model._default_manager.get(pk=self.subject_id)

    @property
    def is_unfinished(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def has_died(self) -> bool:
        """Unfinished, with its lease run out: no worker is on it any more."""
        return (
            self.is_unfinished
            and self.lease_expires_at is not None
            and self.lease_expires_at < timezone.now()
        )

    @property
    def is_active(self) -> bool:
        return self.is_unfinished and not self.has_died

    @property
    def percent(self) -> int:
        if not self.total:
            return 0
        return min(100, round(100 * self.done / self.total))

    def abandonment(self) -> str:
        """Why a job whose lease ran out is failed, as its page says."""
        if self.state == self.State.QUEUED:
            return gettext(
                "No worker started this job: the task worker may not be running. Start it again."
            )
        last = timezone.localtime(self.heartbeat_at or self.started_at or self.created_at)
        return gettext(
            "The worker running this job stopped without finishing (its last sign of life "
            "was at %(time)s). Start it again."
        ) % {"time": f"{last:%Y-%m-%d %H:%M}"}

    @classmethod
    def claim(cls, pk: int) -> BackgroundJob | None:
        """Take a queued job for this worker; None if it is not queued (a task
        delivered twice, or a job given up before any worker came)."""
        now = timezone.now()
        if not cls.objects.filter(pk=pk, state=cls.State.QUEUED).update(
            state=cls.State.RUNNING,
            started_at=now,
            heartbeat_at=now,
            lease_expires_at=now + JOB_LEASE,
            attempts=models.F("attempts") + 1,
        ):
            return None
        return cls.objects.get(pk=pk)

    def renew(self, **fields: Any) -> None:
        """Renew the lease, writing `fields` (progress) with it. Raises
        JobAbandoned if the job was given up meanwhile: its worker must stop."""
        now = timezone.now()
        fields.update(heartbeat_at=now, lease_expires_at=now + JOB_LEASE)
        if not self._held().update(**fields):
            raise JobAbandoned(self.pk)
        for name, value in fields.items():
            setattr(self, name, value)

    def finish(self) -> None:
        now = timezone.now()
        done = self.total if self.total is not None else self.done
        self._held().update(state=self.State.DONE, finished_at=now, done=done, message="")
        self.state, self.finished_at, self.done, self.message = self.State.DONE, now, done, ""

    def fail(self, message: str, *, abandoned: bool = False) -> bool:
        """Mark the job failed unless it has finished, and tell its subject
        (`abandoned`: its worker died, or none came); False if it had
        finished already."""
        now = timezone.now()
        # Only this claim's: a worker whose job was taken up again fails nothing.
        if (
            not BackgroundJob.objects.unfinished()
            .filter(pk=self.pk, attempts=self.attempts)
            .update(state=self.State.FAILED, finished_at=now, message=message)
        ):
            return False
        self.state, self.finished_at, self.message = self.State.FAILED, now, message
        subject = self.subject
        if abandoned and isinstance(subject, AbandonedJobSubject):
            subject.job_abandoned(self)
        elif isinstance(subject, JobSubject):
            subject.job_failed(self)
        return True

    def requeue(self, message: str, lease: timedelta) -> bool:
        """Queue again a running job whose lease ran out, for a worker to
        resume; False if someone else did first or it came back to life."""
        now = timezone.now()
        return bool(
            BackgroundJob.objects.filter(
                pk=self.pk,
                state=self.State.RUNNING,
                attempts=self.attempts,
                lease_expires_at__lt=now,
            ).update(state=self.State.QUEUED, lease_expires_at=now + lease, message=message)
        )

    def _held(self) -> BackgroundJobQuerySet:
        """This job while this worker's claim on it holds."""
        return BackgroundJob.objects.filter(
            pk=self.pk, state=self.State.RUNNING, attempts=self.attempts
        )


# A running job renews its lease at least this often (each progress report
# renews it); one whose lease runs out is taken for dead.
JOB_LEASE = timedelta(seconds=settings.JOB_LEASE_SECONDS)


class JobAbandoned(Exception):
    """The job was given up (its lease ran out) while its worker still ran."""


@runtime_checkable
class JobSubject(Protocol):
    """An object background jobs work on, told when one of them fails."""

    def job_failed(self, job: BackgroundJob) -> None: ...


@runtime_checkable
class AbandonedJobSubject(Protocol):
    """A subject that does something else when its job is given up because
    its worker died (or none came) than when the job fails of itself."""

    def job_abandoned(self, job: BackgroundJob) -> None: ...


class CalendarDay(models.Model):
    """A day of the school calendar (校历) that is not what its weekday says:
    a holiday on a weekday (清明 on 4月4–5日) or a working day on a weekend
    (调休: 4月24日, a Sunday, in 2022). Every other Monday–Friday is a working
    day and every weekend day a rest day. Lessons, working-day limits and
    deadlines all ask `shouwang.core.calendar`, which reads these rows."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("holiday")
        WORKING_DAY = "working_day", _("working day (swapped)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # 清明节, 劳动节调休: what the calendar prints beside the day.
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
