from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
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
